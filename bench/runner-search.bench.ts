/**
 * 20 search patterns over a 10,000-file tree: the runner (one `search` node
 * per pattern, merged by the optimizer into one pass) against one `rg -e p1
 * … -e p20` pass (the reference; target ≤ 2×) and against `rg` once per
 * pattern, alternately. The runner runs twice: with ripgrep as its prefilter
 * (`ripgrepPath`; the server and CLI default where rg is installed, which
 * this benchmark ensures) and in-process (the fallback). Every side
 * reports the same matching lines (checked: per pattern against `rg` once per
 * pattern, and the union against the single pass).
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
const words = [
  "alpha",
  "beta",
  "gamma",
  "delta",
  "render",
  "compute",
  "value",
  "config",
  "handler",
  "request",
  "response",
  "cache",
  "index",
  "token",
  "parse",
  "stream",
  "buffer",
  "socket",
  "thread",
  "queue",
];
let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
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
  ...[
    "TODO_13",
    "deprecatedCall",
    "socket.thread",
    "alpha.beta.gamma",
    "handler.request",
    "queue.stream",
    "cache.index.token",
    "config.render",
    "response.buffer",
    "parse.value.compute",
  ].map((pattern) => ({ pattern, regex: false })),
  ...[
    "TODO_\\d{2}\\b",
    "deprecatedCall\\(1\\d\\)",
    "const (alpha|beta)_3\\d ",
    "token\\.(parse|stream)\\.queue",
    "\\bgamma_\\d+ = delta",
    "socket\\(\\);$",
    "render\\.render",
    "^  const queue_0 ",
    "buffer\\.(cache|index)\\.value",
    "(thread\\.){2}",
  ].map((pattern) => ({ pattern, regex: true })),
];
const document = PlanDocument.parse({
  name: "search bench",
  nodes: patterns.map((entry, index) => ({ id: `s${index}`, type: "search", params: { ...entry, glob: "**/*", maxMatches: 100_000 } })),
});
const executionPlan = optimizePlan(document);
const passes = executionPlan.batches.flatMap((batch) => batch.units).filter((unit) => unit.kind === "search-pass").length;

/** `rg`'s own syntax for a pattern of the plan (literals escaped). */
const rgPattern = (entry: { pattern: string; regex: boolean }) =>
  entry.regex ? entry.pattern : entry.pattern.replace(/[\\.+*?()|[\]{}^$#&\-~]/g, "\\$&");
const rgArgs = ["--no-heading", "--line-number", "--no-config", "--null"];

/** Output lines `path\0line:text` as `path:line` keys. */
function lineKeys(output: Buffer): string[] {
  const text = output.toString();
  return text === ""
    ? []
    : text
        .trimEnd()
        .split("\n")
        .map((line) =>
          line
            .slice(0, line.indexOf(":", line.indexOf("\0")))
            .replace("\0", ":")
            .replace(/^\.\//, ""),
        );
}

function runRipgrep(args: string[]): Buffer {
  const result = spawnSync("rg", [...rgArgs, ...args, "."], { cwd: work, maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0 && result.status !== 1) throw new Error(`rg failed: ${result.stderr}`);
  return result.stdout;
}

const runPerPattern = () => patterns.map((entry) => lineKeys(runRipgrep(["--", rgPattern(entry)])).length);
const runSinglePass = () => new Set(lineKeys(runRipgrep(patterns.flatMap((entry) => ["-e", rgPattern(entry)]))));

async function runRunner(ripgrepPath: string | null) {
  const resources = Object.assign(memoryResources({ flushIntervalMs: 50 }), { ripgrepPath });
  const started = performance.now();
  const { outcome } = await runPlan(resources, document, work, { executionPlan });
  const elapsed = performance.now() - started;
  if (outcome.status !== "succeeded") throw new Error(`run ${outcome.status}`);
  const results = patterns.map((_, index) => outcome.nodes.get(`s${index}`)?.result as SearchResult);
  return { elapsed, results };
}

const times = { single: [] as number[], perPattern: [] as number[], runner: [] as number[], inProcess: [] as number[] };
let perPatternCounts: number[] = [];
let singleLines = new Set<string>();
let runnerResults: SearchResult[] = [];
let inProcessResults: SearchResult[] = [];
// A warm-up round on every side, not counted: the file tree's pages and the runner's code.
for (let round = -1; round < ROUNDS; round += 1) {
  let started = performance.now();
  singleLines = runSinglePass();
  const single = performance.now() - started;
  started = performance.now();
  perPatternCounts = runPerPattern();
  const perPattern = performance.now() - started;
  const runner = await runRunner("rg");
  const inProcess = await runRunner(null);
  runnerResults = runner.results;
  inProcessResults = inProcess.results;
  if (round < 0) continue;
  times.single.push(single);
  times.perPattern.push(perPattern);
  times.runner.push(runner.elapsed);
  times.inProcess.push(inProcess.elapsed);
}
rmSync(work, { recursive: true, force: true });
const runnerCounts = runnerResults.map((result) => result.matches.length);
const runnerLines = new Set(runnerResults.flatMap((result) => result.matches.map((match) => `${match.path}:${match.line}`)));
const sameAsPerPattern = perPatternCounts.every((count, index) => count === runnerCounts[index]);
const sameAsSinglePass = runnerLines.size === singleLines.size && [...singleLines].every((key) => runnerLines.has(key));
const sameEngines = JSON.stringify(runnerResults) === JSON.stringify(inProcessResults);

const singleMs = median(times.single);
const ratio = (values: number[]) => `${(median(values) / singleMs).toFixed(2)}×`;
const runnerRatio = median(times.runner) / singleMs;
console.log(
  `${patterns.length} patterns (10 literal, 10 regex) over ${FILES} files, ${passes} search pass(es), median of ${ROUNDS} alternating rounds after a warm-up, load average ${os.loadavg()[0]?.toFixed(1)}\n`,
);
printTable(
  ["side", "wall time (median)", "rounds", "ratio", "target"],
  [
    ["rg, one pass with all patterns (`-e p1 … -e p20`)", ms(singleMs), times.single.map(ms).join(", "), "1.00×", ""],
    ["rg once per pattern", ms(median(times.perPattern)), times.perPattern.map(ms).join(", "), ratio(times.perPattern), ""],
    [
      "batchboard runner (one pass, ripgrep prefilter: the default where rg is installed)",
      ms(median(times.runner)),
      times.runner.map(ms).join(", "),
      ratio(times.runner),
      "≤ 2.00×",
    ],
    [
      "batchboard runner (one pass, in-process: the fallback)",
      ms(median(times.inProcess)),
      times.inProcess.map(ms).join(", "),
      ratio(times.inProcess),
      "",
    ],
  ],
);
console.log(
  `\nMatching lines per pattern ${sameAsPerPattern ? "agree with rg once per pattern" : "DIFFER from rg once per pattern"}: ${runnerCounts.join(", ")}${sameAsPerPattern ? "" : ` vs rg ${perPatternCounts.join(", ")}`}`,
);
console.log(
  `Lines matching any pattern ${sameAsSinglePass ? "agree" : "DIFFER"} with rg's single pass: ${runnerLines.size} vs ${singleLines.size}`,
);
console.log(`Results with and without the ripgrep prefilter are ${sameEngines ? "identical" : "DIFFERENT"}`);
const missed = runnerRatio > 2 || !sameAsPerPattern || !sameAsSinglePass || !sameEngines;
console.log(missed ? "\nTarget missed." : "\nTarget met.");
process.exit(missed ? 1 : 0);
