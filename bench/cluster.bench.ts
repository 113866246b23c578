/**
 * Cluster mode against in-process execution, on one PostgreSQL database and
 * the local Redis (private key prefix), real worker processes:
 * - latency of one-command runs, in-process and cluster alternating (so
 *   both sides see the same machine), each run timed from submit to:
 *   its node started (dispatch latency, p50 and p99), its finished event,
 *   and the submitter knowing it finished with everything stored
 *   (`waitForRun`, what `POST /runs?wait=` and agents wait on);
 * - per-run overhead: that last figure's cluster p50 minus in-process p50
 *   (target < 5 ms), with the hops it is made of, measured with one worker
 *   process (the others start for the throughput rows);
 * - throughput of five-node runs with 1, 2 and 4 workers (4 runs at once
 *   each), runs/s and scaling efficiency (runs/s ÷ (workers × 1-worker
 *   runs/s)). BENCH_CLUSTER_RUNS sets the run count (the figure is
 *   1,000); every run is submitted at once, as many callers would.
 * Anchors (published): Windmill ≈ 52 ms per task on dedicated workers;
 * per-step overhead Restate 1.4 ms, Temporal 40 ms.
 * Usage: npx tsx bench/cluster.bench.ts
 */
import os from "node:os";
import path from "node:path";
import { setWorkspaceTag } from "../lib/db/workers";
import { registerWorkspace } from "../lib/db/workspaces";
import { createThreadedRunStore } from "../lib/db/threaded-run-store";
import { loadEnv } from "../lib/env";
import type { PlanDocumentInput } from "../lib/plan/schema";
import { createServerRunnerResources } from "../lib/server/app-context";
import { createRunService } from "../lib/server/run-service";
import { startTestCluster } from "../lib/testing/cluster-harness";
import { HOPS, measureRunLatency, type RunLatency } from "./cluster-latency";
import { median, percentile, printTable } from "./runner-bench-kit";

const LATENCY_RUNS = Number(process.env.BENCH_CLUSTER_LATENCY_RUNS ?? 60);
const THROUGHPUT_RUNS = Number(process.env.BENCH_CLUSTER_RUNS ?? 200);
const OVERHEAD_TARGET_MS = 5;

const oneCommand: PlanDocumentInput = {
  name: "one command",
  nodes: [{ id: "only", type: "shell", params: { command: "true" } }],
  edges: [],
};
const fiveNodes: PlanDocumentInput = {
  name: "five nodes",
  nodes: [
    { id: "a", type: "file.write", params: { path: "a.txt", content: "a\n" } },
    { id: "b", type: "shell", params: { command: "true" } },
    { id: "c", type: "shell", params: { command: "true" } },
    { id: "d", type: "file.write", params: { path: "d.txt", content: "d\n" } },
    { id: "e", type: "shell", params: { command: "true" } },
  ],
  edges: [
    { from: "a", to: "b" },
    { from: "a", to: "c" },
    { from: "b", to: "d" },
    { from: "c", to: "d" },
    { from: "d", to: "e" },
  ],
};

/** Transactions (every statement outside one counts as one) and rows written in the bench's database, from PostgreSQL's own statistics. */
async function databaseActivity(): Promise<{ transactions: number; rowsWritten: number }> {
  const [row] = await cluster.database.client.$queryRawUnsafe<Array<{ transactions: bigint; rows: bigint }>>(
    "SELECT xact_commit + xact_rollback AS transactions, tup_inserted + tup_updated + tup_deleted AS rows FROM pg_stat_database WHERE datname = current_database()",
  );
  return { transactions: Number(row?.transactions ?? 0), rowsWritten: Number(row?.rows ?? 0) };
}

const loadAverage = () =>
  os
    .loadavg()
    .map((value) => value.toFixed(1))
    .join(" / ");
const p50 = (runs: RunLatency[], pick: (run: RunLatency) => number) => median(runs.map(pick));

const cluster = await startTestCluster();
let missed = false;
try {
  const latencyPlan = await cluster.createPlan(oneCommand);
  const env = loadEnv({ DATABASE_URL: cluster.database.config.url, BATCHBOARD_DATA_DIR: path.join(cluster.dataDir, "in-process") });
  const threadedStore = await createThreadedRunStore(cluster.database.config, process.cwd());
  const inProcess = createRunService({
    client: cluster.database.client,
    resources: createServerRunnerResources(env, threadedStore),
    scratchRoot: path.join(cluster.dataDir, "scratch"),
  });

  // Worker i serves t4; workers 0–1 also t2; worker 0 also t1 and default. Latency is measured with worker 0 alone:
  // on these two cores, three more idle workers' heartbeats and stalled checks would be measured with it.
  const startWorker = (index: number) =>
    cluster.startWorker({ concurrency: 4, tags: ["t4", ...(index < 2 ? ["t2"] : []), ...(index < 1 ? ["t1", "default"] : [])] });
  const workers = [await startWorker(0)];
  const web = cluster.startWebServer();

  console.log(`latency: ${LATENCY_RUNS} one-command runs each side, alternating, one worker (load average before: ${loadAverage()})`);
  const local: RunLatency[] = [];
  const remote: RunLatency[] = [];
  // One warm-up run each: the first run of a process compiles its queries.
  await measureRunLatency(cluster, inProcess, latencyPlan, threadedStore);
  await measureRunLatency(cluster, web.runs, latencyPlan, threadedStore);
  for (let index = 0; index < LATENCY_RUNS; index++) {
    local.push(await measureRunLatency(cluster, inProcess, latencyPlan, threadedStore));
    remote.push(await measureRunLatency(cluster, web.runs, latencyPlan, threadedStore));
  }
  const latencyLoad = loadAverage();
  printTable(
    ["mode", "dispatch p50", "dispatch p99", "submit→finished event p50", "submit→caller knows p50", "p99"],
    [local, remote].map((runs, index) => [
      index === 0 ? "in-process" : "cluster",
      `${p50(runs, (run) => run.dispatch).toFixed(1)} ms`,
      `${percentile(
        runs.map((run) => run.dispatch),
        99,
      ).toFixed(1)} ms`,
      `${p50(runs, (run) => run.finished).toFixed(1)} ms`,
      `${p50(runs, (run) => run.known).toFixed(1)} ms`,
      `${percentile(
        runs.map((run) => run.known),
        99,
      ).toFixed(1)} ms`,
    ]),
  );
  console.log("\nwhere the time goes (p50 of each hop; a hop's p50s do not add up to the total's):");
  printTable(
    ["hop", "in-process", "cluster", "difference"],
    HOPS.map(({ label, pick }) => {
      const hopP50 = (runs: RunLatency[]) => median(runs.map(pick).filter((value) => Number.isFinite(value)));
      const [a, b] = [hopP50(local), hopP50(remote)];
      return [
        label,
        Number.isNaN(a) ? "—" : `${a.toFixed(1)} ms`,
        `${b.toFixed(1)} ms`,
        Number.isNaN(a) ? "—" : `${(b - a).toFixed(1)} ms`,
      ];
    }),
  );
  const overhead = p50(remote, (run) => run.known) - p50(local, (run) => run.known);
  console.log(
    `\nper-run cluster overhead (p50 difference, submit → caller knows): ${overhead.toFixed(1)} ms (target < ${OVERHEAD_TARGET_MS} ms); load average after: ${latencyLoad}`,
  );
  console.log("anchors: Windmill ≈ 52 ms per task on dedicated workers; per-step overhead Restate 1.4 ms, Temporal 40 ms");
  if (overhead >= OVERHEAD_TARGET_MS) missed = true;
  workers.push(...(await Promise.all([1, 2, 3].map(startWorker))));

  const throughputPlan = await cluster.createPlan(fiveNodes);
  const rows: Array<Array<string | number>> = [];
  let single = 0;
  for (const [count, tag] of [
    [1, "t1"],
    [2, "t2"],
    [4, "t4"],
  ] as const) {
    const workspace = await registerWorkspace(
      cluster.database.client,
      cluster.scope.teamId,
      { name: `bench-${tag}`, source: { kind: "new" } },
      { root: path.join(cluster.dataDir, "workspaces"), dataDir: cluster.dataDir },
    );
    await setWorkspaceTag(cluster.database.client, cluster.scope.teamId, workspace.id, tag);
    // pg_stat_database lags by up to 0.5 s (stats_fetch_consistency): read it once the previous size has settled.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const activityBefore = await databaseActivity();
    const started = Date.now();
    const runIds = await Promise.all(
      Array.from({ length: THROUGHPUT_RUNS }, () =>
        web.runs.startPlanRun(cluster.scope, { planId: throughputPlan, workspaceId: workspace.id }).then((run) => run.runId),
      ),
    );
    const submittedMs = Date.now() - started;
    for (const runId of runIds) await web.runs.waitForRun(cluster.scope, runId, 900_000);
    const finished = await cluster.database.client.run.aggregate({ where: { id: { in: runIds } }, _max: { finishedAt: true } });
    const statuses = await cluster.database.client.run.groupBy({ by: ["status"], where: { id: { in: runIds } }, _count: true });
    const elapsedMs = (finished._max.finishedAt as Date).getTime() - started;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const activityAfter = await databaseActivity();
    const perSecond = THROUGHPUT_RUNS / (elapsedMs / 1000);
    if (count === 1) single = perSecond;
    rows.push([
      count,
      `${perSecond.toFixed(1)} runs/s`,
      `${((perSecond / (count * single)) * 100).toFixed(0)} %`,
      `${(elapsedMs / 1000).toFixed(1)} s (all submitted in ${(submittedMs / 1000).toFixed(1)} s)`,
      statuses.map((row) => `${row._count} ${row.status}`).join(", "),
      `${((activityAfter.transactions - activityBefore.transactions) / THROUGHPUT_RUNS).toFixed(1)} / ${((activityAfter.rowsWritten - activityBefore.rowsWritten) / THROUGHPUT_RUNS).toFixed(1)}`,
      loadAverage(),
    ]);
  }
  console.log(
    `\nthroughput, ${THROUGHPUT_RUNS} five-node runs submitted at once (4 at once per worker), on ${os.cpus().length} shared cores:`,
  );
  printTable(
    [
      "workers",
      "throughput",
      "scaling efficiency",
      "first submit → last finished",
      "runs",
      "PostgreSQL per run: transactions / rows written",
      "load average (1/5/15 min)",
    ],
    rows,
  );
  console.log("(transactions and rows include the workers' heartbeats and this benchmark's own waiting, spread over the runs)");
  console.log(
    `(${workers.length} worker processes; with ${os.cpus().length} cores shared by every process, efficiency above one core's worth is bounded by the CPU, not the queue)`,
  );
  await threadedStore.close();
} finally {
  await cluster.destroy();
}
process.exit(missed ? 1 : 0);
