/**
 * `npm run bench [name…]`: runs every bench/*.bench.ts (or those whose file
 * name contains one of the given names) one after another — never in
 * parallel, so they don't disturb each other's timings — and fails when any
 * benchmark misses its target.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";

const filters = process.argv.slice(2);
const benches = readdirSync(import.meta.dirname)
  .filter((file) => file.endsWith(".bench.ts"))
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort();

const missed: string[] = [];
for (const file of benches) {
  console.log(`\n## ${file.replace(/\.bench\.ts$/, "")}\n`);
  const result = spawnSync("node_modules/.bin/tsx", [path.join("bench", file)], { stdio: "inherit" });
  if (result.status !== 0) missed.push(file);
}
console.log(missed.length ? `\nTargets missed in: ${missed.join(", ")}` : `\nAll ${benches.length} benchmarks met their targets.`);
process.exit(missed.length ? 1 : 0);
