/**
 * Per-step latency: a chain of 40 nodes, each waiting for the one before,
 * run by the runner with real SQLite persistence as the server does it (the
 * threaded store) and as the CLI does it (better-sqlite3 writes on the main
 * thread), against the bare loop a script would write, alternately in the
 * same process. Two chains:
 * - 40 `true` commands, against 40 `sh -c true` spawned one after another
 *   from Node (child_process.spawn, awaiting each exit);
 * - 40 `file.edit` nodes on 40 different files (so the optimizer cannot
 *   merge them), against 40 read-modify-write edits (fs/promises).
 * Targets: both ≤ 1.5× their loop. The per-step overhead, (runner − loop) / 40,
 * is printed beside them. The same 40 commands as one shell loop
 * (`sh -c 'while …; do sh -c true; done'`, no Node involved) are shown for
 * reference: process creation from a small process, the floor for any runner;
 * and the command chain in the bubblewrap sandbox (the default), whose
 * per-run sandbox start is counted in.
 * Usage: npx tsx bench/runner-chain.bench.ts [rounds]
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createPrismaRunStore } from "../lib/db/run-store";
import { createSqliteRunWriter, withSqliteRunWriter } from "../lib/db/sqlite-run-writer";
import { createThreadedRunStore } from "../lib/db/threaded-run-store";
import { PlanDocument, type PlanDocumentInput } from "../lib/plan/schema";
import { createRunnerResources, type RunnerResources } from "../lib/runner/resources";
import { startRun, type RunOwnership } from "../lib/runner/runs";
import { benchCommands, benchDatabase, median, ms, printTable } from "./runner-bench-kit";

const STEPS = 40;
const ROUNDS = Number(process.argv[2] ?? 10);
const TARGET = 1.5;

const work = mkdtempSync(path.join(os.tmpdir(), "batchboard-bench-chain-"));
const fileName = (step: number) => `src/step${step}.ts`;
const original = (step: number) => `export const value = "before_${step}";\n`;
function resetFiles(): void {
  mkdirSync(path.join(work, "src"), { recursive: true });
  for (let step = 0; step < STEPS; step += 1) writeFileSync(path.join(work, fileName(step)), original(step));
}

function chain(name: string, node: (step: number) => PlanDocumentInput["nodes"][number]): PlanDocument {
  const nodes = Array.from({ length: STEPS }, (_, step) => node(step));
  const edges = nodes.slice(1).map((to, index) => ({ from: (nodes[index] as { id: string }).id, to: to.id }));
  return PlanDocument.parse({ name, nodes, edges });
}
const commandChain = chain("command chain", (step) => ({ id: `c${step}`, type: "shell", params: { command: "true" } }));
const editChain = chain("edit chain", (step) => ({
  id: `e${step}`,
  type: "file.edit",
  params: { path: fileName(step), edits: [{ find: `before_${step}`, replace: `after_${step}` }] },
}));

async function bareCommandLoop(): Promise<void> {
  for (let step = 0; step < STEPS; step += 1) {
    await new Promise<void>((resolve, reject) => {
      const child = spawn("sh", ["-c", "true"], { cwd: work, stdio: ["ignore", "pipe", "pipe"] });
      child.on("error", reject);
      child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
    });
  }
}

function shellLoop(): void {
  const result = spawnSync("sh", ["-c", `i=0; while [ $i -lt ${STEPS} ]; do sh -c true; i=$((i+1)); done`], { cwd: work, stdio: "ignore" });
  if (result.status !== 0) throw new Error("shell loop failed");
}

async function bareEditLoop(): Promise<void> {
  for (let step = 0; step < STEPS; step += 1) {
    const file = path.join(work, fileName(step));
    const text = await readFile(file, "utf8");
    await writeFile(file, text.replace(`before_${step}`, `after_${step}`));
  }
}

async function runChain(resources: RunnerResources, ownership: RunOwnership, plan: PlanDocument): Promise<void> {
  const handle = await startRun(resources, { ...ownership, plan, directory: work, concurrency: 1 });
  const outcome = await handle.done;
  if (outcome.status !== "succeeded") throw new Error(`${plan.name}: run ${outcome.status}`);
}

async function timed(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

const {
  db,
  resources: base,
  ownership,
} = await benchDatabase({ name: "chain bench", nodes: [{ id: "x", type: "shell", params: { command: "true" } }] }, 8);
if (db.config.provider !== "sqlite") throw new Error("the chain bench runs on SQLite");
const threadedStore = await createThreadedRunStore(db.config, fileURLToPath(new URL("..", import.meta.url)));
const server = createRunnerResources({ ...base, store: threadedStore, serverConcurrency: 8 });
// The CLI's store (lib/cli/cli-database.ts): Prisma for reads, the run's writes on better-sqlite3 in this thread.
const writer = createSqliteRunWriter(db.config.filePath);
const cli = createRunnerResources({
  ...base,
  store: withSqliteRunWriter(createPrismaRunStore(db.client), writer, { deferNodeRows: false }),
  serverConcurrency: 8,
});
// The default since the sandbox landed: each run's commands in a bubblewrap sandbox.
const sandboxed = createRunnerResources({ ...server, commands: benchCommands(true) });
const sides = {
  commandSandboxed: [] as number[],
  shellLoop: [] as number[],
  commandLoop: [] as number[],
  commandServer: [] as number[],
  commandCli: [] as number[],
  editLoop: [] as number[],
  editServer: [] as number[],
  editCli: [] as number[],
};
// Round 0 warms up every side (the JIT, the zygote, the page cache) and is not counted.
for (let round = 0; round <= ROUNDS; round += 1) {
  const shell = await timed(async () => shellLoop());
  const commandLoop = await timed(bareCommandLoop);
  const commandServer = await timed(() => runChain(server, ownership, commandChain));
  const commandCli = await timed(() => runChain(cli, ownership, commandChain));
  const commandSandboxed = await timed(() => runChain(sandboxed, ownership, commandChain));
  resetFiles();
  const editLoop = await timed(bareEditLoop);
  resetFiles();
  const editServer = await timed(() => runChain(server, ownership, editChain));
  resetFiles();
  const editCli = await timed(() => runChain(cli, ownership, editChain));
  if (round === 0) continue;
  sides.shellLoop.push(shell);
  sides.commandLoop.push(commandLoop);
  sides.commandServer.push(commandServer);
  sides.commandCli.push(commandCli);
  sides.commandSandboxed.push(commandSandboxed);
  sides.editLoop.push(editLoop);
  sides.editServer.push(editServer);
  sides.editCli.push(editCli);
}
await threadedStore.close();
writer.close();
base.commands.close();
sandboxed.commands.close();
await db.destroy();
rmSync(work, { recursive: true, force: true });

const ratio = (runner: number[], loop: number[]) => median(runner) / median(loop);
const perStep = (runner: number[], loop: number[]) => `${((median(runner) - median(loop)) / STEPS).toFixed(2)} ms`;
const row = (side: string, runner: number[], loop: number[], target = `≤ ${TARGET}×`) => [
  side,
  ms(median(runner)),
  `${ratio(runner, loop).toFixed(2)}×`,
  runner === loop ? "" : perStep(runner, loop),
  runner === loop ? "" : target,
];
console.log(
  `Chains of ${STEPS} sequential steps, median of ${ROUNDS} alternating rounds after a warm-up round, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]?.toFixed(1)}\n`,
);
printTable(
  ["side", "wall time (median)", "ratio vs its loop", "overhead per step", "target"],
  [
    row(`bare loop: ${STEPS}× spawn("sh", ["-c", "true"]) from Node, awaited in turn`, sides.commandLoop, sides.commandLoop),
    row(`batchboard runner, server's threaded store: ${STEPS} chained \`true\` nodes`, sides.commandServer, sides.commandLoop),
    row(`batchboard runner, CLI's store: ${STEPS} chained \`true\` nodes`, sides.commandCli, sides.commandLoop),
    row(
      `batchboard runner, server's threaded store, in the bubblewrap sandbox: ${STEPS} chained \`true\` nodes`,
      sides.commandSandboxed,
      sides.commandLoop,
      "",
    ),
    row(`shell loop: ${STEPS}× sh -c true from sh (reference only)`, sides.shellLoop, sides.commandLoop, ""),
    row(`bare loop: ${STEPS} read-modify-write edits (fs/promises)`, sides.editLoop, sides.editLoop),
    row(`batchboard runner, server's threaded store: ${STEPS} chained file.edit nodes, one file each`, sides.editServer, sides.editLoop),
    row(`batchboard runner, CLI's store: ${STEPS} chained file.edit nodes, one file each`, sides.editCli, sides.editLoop),
  ],
);
const ratios = [
  ratio(sides.commandServer, sides.commandLoop),
  ratio(sides.commandCli, sides.commandLoop),
  ratio(sides.editServer, sides.editLoop),
  ratio(sides.editCli, sides.editLoop),
];
const missed = ratios.some((value) => value > TARGET);
console.log(missed ? "\nTarget missed." : "\nTargets met.");
process.exit(missed ? 1 : 0);
