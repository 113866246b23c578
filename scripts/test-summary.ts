/**
 * Prints one closing line over every test runner's JSON report, e.g.
 * "tests: 120 passed, 0 failed", and fails when a report is missing or empty
 * (a suite that ran nothing must not look green).
 */
import { existsSync, readFileSync } from "node:fs";
import * as z from "zod";

const VitestReport = z.object({ numPassedTests: z.number(), numFailedTests: z.number(), numPendingTests: z.number() });
const PlaywrightReport = z.object({
  stats: z.object({ expected: z.number(), unexpected: z.number(), flaky: z.number(), skipped: z.number() }),
});

let passed = 0;
let failed = 0;
let skipped = 0;
let problems = 0;
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) {
    console.error(`missing test report: ${file}`);
    problems += 1;
    continue;
  }
  const json: unknown = JSON.parse(readFileSync(file, "utf8"));
  const vitest = VitestReport.safeParse(json);
  const playwright = PlaywrightReport.safeParse(json);
  const counts = vitest.success
    ? { passed: vitest.data.numPassedTests, failed: vitest.data.numFailedTests, skipped: vitest.data.numPendingTests }
    : playwright.success
      ? {
          passed: playwright.data.stats.expected + playwright.data.stats.flaky,
          failed: playwright.data.stats.unexpected,
          skipped: playwright.data.stats.skipped,
        }
      : null;
  if (!counts || counts.passed + counts.failed === 0) {
    console.error(`no tests ran according to ${file}`);
    problems += 1;
    continue;
  }
  passed += counts.passed;
  failed += counts.failed;
  skipped += counts.skipped;
}
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed + problems === 0 ? 0 : 1);
