/**
 * A diff of a 5 MB file with five scattered one-line changes, as the run
 * view's Changes tab asks for it: `unifiedDiff` against `git diff
 * --no-index` on the same two files (which also starts a process and reads
 * them), alternately. Target: ≤ 1× git. Both show the same five hunks
 * (checked).
 * Usage: npx tsx bench/diff.bench.ts [rounds]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { unifiedDiff } from "../lib/runner/diff";
import { median, ms, printTable } from "./runner-bench-kit";

const ROUNDS = Number(process.argv[2] ?? 5);
const lines = Array.from({ length: 100_000 }, (_, i) => `  const value_${i} = compute(${i}, "some text on this line");`);
const before = lines.join("\n") + "\n";
for (const i of [10, 25_000, 50_000, 75_000, 99_990]) lines[i] += " // changed";
const after = lines.join("\n") + "\n";
const work = mkdtempSync(path.join(os.tmpdir(), "batchboard-bench-diff-"));
writeFileSync(path.join(work, "a.ts"), before);
writeFileSync(path.join(work, "b.ts"), after);

const ours: number[] = [];
const git: number[] = [];
let oursHunks = 0;
let gitHunks = 0;
const hunks = (diff: string) => diff.split("\n").filter((line) => line.startsWith("@@")).length;
for (let round = -1; round < ROUNDS; round += 1) {
  let started = performance.now();
  const diff = unifiedDiff("a.ts", before, after, { maxChars: 10_000_000 });
  const oursMs = performance.now() - started;
  started = performance.now();
  const result = spawnSync("git", ["diff", "--no-index", "--no-color", "-U3", "a.ts", "b.ts"], { cwd: work, encoding: "utf8" });
  const gitMs = performance.now() - started;
  if (result.status !== 1) throw new Error(`git diff failed: ${result.stderr}`);
  oursHunks = hunks(diff);
  gitHunks = hunks(result.stdout);
  if (round < 0) continue;
  ours.push(oursMs);
  git.push(gitMs);
}
rmSync(work, { recursive: true, force: true });
const ratio = median(ours) / median(git);
console.log(
  `5.6 MB, 100,000 lines, 5 one-line changes; median of ${ROUNDS} alternating rounds after a warm-up, load average ${os.loadavg()[0]?.toFixed(1)}\n`,
);
printTable(
  ["side", "wall time (median)", "rounds", "ratio", "target"],
  [
    ["git diff --no-index", ms(median(git)), git.map(ms).join(", "), "1.00×", ""],
    ["unifiedDiff", ms(median(ours)), ours.map(ms).join(", "), `${ratio.toFixed(2)}×`, "≤ 1.00×"],
  ],
);
const same = oursHunks === 5 && gitHunks === 5;
console.log(`\nHunks: ${oursHunks} (git: ${gitHunks})`);
const missed = ratio > 1 || !same;
console.log(missed ? "\nTarget missed." : "\nTarget met.");
process.exit(missed ? 1 : 0);
