/**
 * 20,000 `file.edit` nodes over 2,000 files (ten chained edits per file,
 * which the optimizer merges into one multi-edit per file) run by the runner,
 * against a minimal hand-written Node script doing the same reads and writes
 * (one read and one write per file), alternately. The script comes in two
 * forms, eight concurrent workers on fs/promises and a plain synchronous
 * loop; the ratio is taken against the faster. Target: ≤ 1.3×.
 *
 * The runner side is the engine as the server runs it — scheduler, change
 * log and journal (before/after bytes of every change), events — on the
 * in-memory store. The same run persisting to SQLite through the server's
 * threaded store is shown for reference, both until the run reports success
 * and until everything is stored. Planning (validation + optimizer) happens
 * before a run starts and is shown apart.
 * Usage: npx tsx bench/runner-edits.bench.ts [rounds]
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { optimizePlan } from "../lib/plan/optimize-plan";
import { validatePlan } from "../lib/plan/validate-plan";
import { fileURLToPath } from "node:url";
import { createThreadedRunStore } from "../lib/db/threaded-run-store";
import { createRunnerResources } from "../lib/runner/resources";
import { startRun } from "../lib/runner/runs";
import { memoryResources, runPlan } from "../lib/runner/testing/harness";
import { benchDatabase, median, ms, printTable } from "./runner-bench-kit";

const FILES = 2_000;
const EDITS_PER_FILE = 10;
const LINES = 100;
const ROUNDS = Number(process.argv[2] ?? 3);

const work = mkdtempSync(path.join(os.tmpdir(), "batchboard-bench-edits-"));
const fileName = (file: number) => `src/m${Math.floor(file / 100)}/file${file}.ts`;
function originalContent(file: number): string {
  const lines: string[] = [];
  for (let line = 0; line < LINES; line += 1) {
    const token = line % (LINES / EDITS_PER_FILE) === 0 ? ` token_${file}_${line / (LINES / EDITS_PER_FILE)}` : "";
    lines.push(`export const value${line} = compute(${line}, "${file}");${token}`);
  }
  return lines.join("\n") + "\n";
}
function resetFiles(root: string): void {
  for (let file = 0; file < FILES; file += 1) {
    const target = path.join(root, fileName(file));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, originalContent(file));
  }
}

const nodes = [];
const edges = [];
for (let file = 0; file < FILES; file += 1) {
  for (let edit = 0; edit < EDITS_PER_FILE; edit += 1) {
    nodes.push({
      id: `e${file}_${edit}`,
      type: "file.edit" as const,
      params: { path: fileName(file), edits: [{ find: `token_${file}_${edit}`, replace: `renamed_${file}_${edit}` }] },
    });
    if (edit > 0) edges.push({ from: `e${file}_${edit - 1}`, to: `e${file}_${edit}` });
  }
}
const planningStarted = performance.now();
const validation = validatePlan({ name: "edits bench", settings: { concurrency: 8 }, nodes, edges });
if (!validation.ok) throw new Error(JSON.stringify(validation.problems.slice(0, 3)));
const document = validation.plan;
const executionPlan = optimizePlan(document);
const planningMs = performance.now() - planningStarted;
const units = executionPlan.batches.reduce((sum, batch) => sum + batch.units.length, 0);

/** The reference: read each file, apply its ten replacements, write it. */
async function reference(root: string): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < FILES) {
      const file = next++;
      const target = path.join(root, fileName(file));
      let text = await readFile(target, "utf8");
      for (let edit = 0; edit < EDITS_PER_FILE; edit += 1) text = text.replace(`token_${file}_${edit}`, `renamed_${file}_${edit}`);
      await writeFile(target, text);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** The same, as the simplest synchronous loop. */
function referenceSync(root: string): void {
  for (let file = 0; file < FILES; file += 1) {
    const target = path.join(root, fileName(file));
    let text = readFileSync(target, "utf8");
    for (let edit = 0; edit < EDITS_PER_FILE; edit += 1) text = text.replace(`token_${file}_${edit}`, `renamed_${file}_${edit}`);
    writeFileSync(target, text);
  }
}

const referenceTimes: number[] = [];
const syncReferenceTimes: number[] = [];
const runnerTimes: number[] = [];
const referenceCpu: number[] = [];
const runnerCpu: number[] = [];
const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};
// The server's configuration, for reference: the same run persisted to SQLite by the threaded store.
const database = await benchDatabase({ name: "edits bench", settings: { concurrency: 8 }, nodes, edges }, 8);
const threadedStore = await createThreadedRunStore(database.db.config, fileURLToPath(new URL("..", import.meta.url)));
const storedTimes: number[] = [];
/** Until the run's final status is published: what the run view, SSE clients and the CLI see. */
const reportedTimes: number[] = [];

// Round 0 warms up the JIT on both sides and is not counted: a server's runner is long since warm.
for (let round = 0; round <= ROUNDS; round += 1) {
  const counted = round > 0;
  resetFiles(work);
  let started = performance.now();
  let cpu = process.cpuUsage();
  await reference(work);
  if (counted) referenceTimes.push(performance.now() - started);
  if (counted) referenceCpu.push(cpuMs(cpu));

  resetFiles(work);
  started = performance.now();
  referenceSync(work);
  if (counted) syncReferenceTimes.push(performance.now() - started);

  resetFiles(work);
  const resources = memoryResources({ flushIntervalMs: 50 });
  // As the server runs: every change's previous bytes go to the change log first.
  resources.changeLogDirectory = path.join(work, ".change-logs");
  started = performance.now();
  cpu = process.cpuUsage();
  const { outcome } = await runPlan(resources, document, work, { executionPlan });
  if (counted) runnerTimes.push(performance.now() - started);
  if (counted) runnerCpu.push(cpuMs(cpu));
  if (outcome.status !== "succeeded") throw new Error(`run ${outcome.status}`);

  resetFiles(work);
  const stored = createRunnerResources({
    ...database.resources,
    store: threadedStore,
    changeLogDirectory: path.join(work, ".change-logs"),
  });
  started = performance.now();
  let reportedAt = 0;
  const stopWatching = stored.bus.subscribe("*", (event) => {
    if (event.type === "run.status" && event.status === "succeeded") reportedAt = performance.now();
  });
  const handle = await startRun(stored, { ...database.ownership, plan: document, directory: work, executionPlan });
  if ((await handle.done).status !== "succeeded") throw new Error("stored run failed");
  stopWatching();
  if (counted) storedTimes.push(performance.now() - started);
  if (counted) reportedTimes.push(reportedAt - started);
}
await threadedStore.close();
await database.db.destroy();
rmSync(work, { recursive: true, force: true });

const referenceMs = Math.min(median(referenceTimes), median(syncReferenceTimes));
const runnerMs = median(runnerTimes);
const ratio = runnerMs / referenceMs;
console.log(
  `${FILES} files × ${EDITS_PER_FILE} edits (${units} multi-edit units), ${LINES}-line files, median of ${ROUNDS} alternating rounds after a warm-up round, load average ${os.loadavg()[0]?.toFixed(1)}\n`,
);
printTable(
  ["side", "wall time (median)", "rounds", "ratio", "target", "CPU time of this process (median)"],
  [
    [
      "hand-written Node script, 8 workers on fs/promises",
      ms(median(referenceTimes)),
      referenceTimes.map(ms).join(", "),
      `${(median(referenceTimes) / referenceMs).toFixed(2)}×`,
      "",
      ms(median(referenceCpu)),
    ],
    [
      "hand-written Node script, synchronous loop",
      ms(median(syncReferenceTimes)),
      syncReferenceTimes.map(ms).join(", "),
      `${(median(syncReferenceTimes) / referenceMs).toFixed(2)}×`,
      "",
      "",
    ],
    [
      "batchboard runner (change log, journal, events; in-memory store)",
      ms(runnerMs),
      runnerTimes.map(ms).join(", "),
      `${ratio.toFixed(2)}×`,
      "≤ 1.3×",
      ms(median(runnerCpu)),
    ],
    [
      "the same runner persisting to SQLite through the threaded store, as the server does (reference only): until all is stored",
      ms(median(storedTimes)),
      storedTimes.map(ms).join(", "),
      `${(median(storedTimes) / referenceMs).toFixed(2)}×`,
      "",
      "",
    ],
    [
      "… until the run reports success (what the run view and event streams see; storing goes on)",
      ms(median(reportedTimes)),
      reportedTimes.map(ms).join(", "),
      `${(median(reportedTimes) / referenceMs).toFixed(2)}×`,
      "",
      "",
    ],
    ["planning: validate + optimize (before the run)", ms(planningMs), "", "", "", ""],
  ],
);
const missed = ratio > 1.3;
console.log(missed ? "\nTarget missed." : "\nTarget met.");
process.exit(missed ? 1 : 0);
