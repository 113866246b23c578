/**
 * 20 search patterns over a 10,000-file tree: the runner (one `search` node
 * per pattern, merged by the optimizer into one pass that reads each file
 * once) against running `rg` once per pattern, alternately. Target: faster.
 * Both sides report the same matching lines (checked).
 * Usage: npx tsx bench/runner-search.bench.ts [rounds]
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { optimizePlan } from "../lib/plan/optimize-plan";
import { PlanDocument } from "../lib/plan/schema";
import type { SearchResult } from "../lib/runner/executors/search";
import { memoryResources, runPlan } from "../lib/runner/testing/harness";
import { median, ms, printTable } from "./runner-bench-kit";

const FILES = 10_000;
const ROUNDS = Number(process.argv[2] ?? 3);
// The reference comes from Debian's package ripgrep, installed here when missing.
if (spawnSync("bash", ["scripts/ensure-debian-package.sh", "rg", "ripgrep"], { stdio: "inherit" }).status !== 0) {
  console.error("ripgrep (rg) is missing and could not be installed: apt-get install -y ripgrep");
  process.exit(2);
}

const work = mkdtempSync(path.join(os.tmpdir(), "batchboard-bench-search-"));
const words = ["alpha", "beta", "gamma", "delta", "render", "compute", "value", "config", "handler", "request", "response", "cache", "index", "token", "parse", "stream", "buffer", "socket", "thread", "queue"];
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
for (let file = 0; file < FILES; file += 1) {
  const lines: string[] = [];
  for (let line = 0; line < 40; line += 1) {
    const picked = Array.from({ length: 6 }, () => words[Math.floor(random() * words.length)]);
    if (random() < 0.02) picked.push(`TODO_${file % 97}`);
    if (random() < 0.01) picked.push(`deprecatedCall(${line})`);
    lines.push(`  const ${picked[0]}_${line} = ${picked.slice(1).join(".")}();`);
  }
  const target = path.join(work, `pkg${file % 20}`, `dir${Math.floor(file / 20) % 25}`, `file${file}.ts`);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, lines.join("\n") + "\n");
}

const patterns: Array<{ pattern: string; regex: boolean }> = [
  ...["TODO_13", "deprecatedCall", "socket.thread", "alpha.beta.gamma", "handler.request", "queue.stream", "cache.index.token", "config.render", "response.buffer", "parse.value.compute"].map(
    (pattern) => ({ pattern, regex: false }),
  ),
  ...["TODO_\\d{2}\\b", "deprecatedCall\\(1\\d\\)", "const (alpha|beta)_3\\d ", "token\\.(parse|stream)\\.queue", "\\bgamma_\\d+ = delta", "socket\\(\\);$", "render\\.render", "^  const queue_0 ", "buffer\\.(cache|index)\\.value", "(thread\\.){2}"].map(
    (pattern) => ({ pattern, regex: true }),
  ),
];
const document = PlanDocument.parse({
  name: "search bench",
  nodes: patterns.map((entry, index) => ({ id: `s${index}`, type: "search", params: { ...entry, glob: "**/*", maxMatches: 100_000 } })),
});
const executionPlan = optimizePlan(document);
const passes = executionPlan.batches.flatMap((batch) => batch.units).filter((unit) => unit.kind === "search-pass").length;

function runRipgrep(): number[] {
  return patterns.map((entry) => {
    const result = spawnSync("rg", ["--no-heading", "--line-number", "--column", "--no-config", ...(entry.regex ? [] : ["--fixed-strings"]), "--", entry.pattern, "."], {
      cwd: work,
      maxBuffer: 256 * 1024 * 1024,
    });
    if (result.status !== 0 && result.status !== 1) throw new Error(`rg failed: ${result.stderr}`);
    const text = result.stdout.toString();
    return text === "" ? 0 : text.trimEnd().split("\n").length;
  });
}

const rgTimes: number[] = [];
const runnerTimes: number[] = [];
let rgCounts: number[] = [];
let runnerCounts: number[] = [];
for (let round = 0; round < ROUNDS; round += 1) {
  let started = performance.now();
  rgCounts = runRipgrep();
  rgTimes.push(performance.now() - started);
  const resources = memoryResources({ flushIntervalMs: 50 });
  started = performance.now();
  const { outcome } = await runPlan(resources, document, work, { executionPlan });
  runnerTimes.push(performance.now() - started);
  if (outcome.status !== "succeeded") throw new Error(`run ${outcome.status}`);
  runnerCounts = patterns.map((_, index) => (outcome.nodes.get(`s${index}`)?.result as SearchResult).matches.length);
}
rmSync(work, { recursive: true, force: true });
const same = rgCounts.every((count, index) => count === runnerCounts[index]);

const rgMs = median(rgTimes);
const runnerMs = median(runnerTimes);
const ratio = runnerMs / rgMs;
console.log(
  `${patterns.length} patterns (10 literal, 10 regex) over ${FILES} files, ${passes} search pass(es), median of ${ROUNDS} alternating rounds, load average ${os.loadavg()[0]?.toFixed(1)}\n`,
);
printTable(
  ["side", "wall time (median)", "rounds", "ratio", "target"],
  [
    ["rg once per pattern", ms(rgMs), rgTimes.map(ms).join(", "), "1.00×", ""],
    ["batchboard runner (one pass)", ms(runnerMs), runnerTimes.map(ms).join(", "), `${ratio.toFixed(2)}×`, "< 1.00×"],
  ],
);
console.log(`\nMatching lines per pattern ${same ? "agree" : "DIFFER"}: ${runnerCounts.join(", ")}${same ? "" : ` vs rg ${rgCounts.join(", ")}`}`);
const missed = ratio >= 1 || !same;
console.log(missed ? "\nTarget missed." : "\nTarget met.");
process.exit(missed ? 1 : 0);
