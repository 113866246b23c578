/**
 * A cluster worker: takes runs from the BullMQ queues of its tags and
 * executes them with the same runner resources as the web server, writing to
 * PostgreSQL through the run store. Around that:
 * - a heartbeat row in the database (lib/db/workers.ts) every 2 s;
 * - its runner's events relayed to Redis for the runs web servers watch,
 *   and cancel / cancel-node obeyed from the control channel;
 * - taking over: a run job that BullMQ's stalled check hands back while its
 *   run is held by a worker whose heartbeat stopped is interrupted (finished
 *   nodes kept, the dead worker's logged events stored, an atomic batch it
 *   was in the middle of rolled back, orphans killed on the same host) and
 *   resumed here;
 * - a reconciler that re-enqueues runs the queues lost (Redis restarted);
 * - drain on SIGTERM: no new runs, current ones finish within the drain
 *   timeout, the rest are handed back to the queue for another worker.
 */
import { existsSync, mkdirSync, realpathSync } from "node:fs";
import os from "node:os";
import { DelayedError, Worker, type Job } from "bullmq";
import type { DbClient } from "../db/client";
import {
  assignRunToWorker,
  claimInterruptedRun,
  claimQueuedRun,
  HEARTBEAT_INTERVAL_MS,
  hostOfWorker,
  isWorkerAlive,
  listRunsAwaitingWorker,
  markWorkerStopped,
  readRunPlacement,
  recordWorkerHeartbeat,
  routeOfRun,
  WORKER_DEAD_AFTER_MS,
} from "../db/workers";
import { signalGroup } from "../runner/process-group";
import { interruptRun } from "../runner/recovery";
import type { RunnerResources } from "../runner/resources";
import { RunRegistry } from "../runner/run-registry";
import { executeQueuedRun, resumeRun, RunRequestError } from "../runner/runs";
import type { RunHandle } from "../runner/scheduler";
import { Semaphore } from "../runner/semaphore";
import { undoRun } from "../runner/undo";
import {
  ClusterJob,
  connectRedis,
  ControlMessage,
  controlChannel,
  queueNameForTag,
  type ClusterConfig,
  type SandboxSpec,
} from "./cluster-config";
import { relayRunEvents, WatchedRuns } from "./event-relay";
import { TagQueues, type UndoAnswer } from "./queue-dispatcher";

/** A lock not renewed for this long (the worker died) lets BullMQ's stalled check hand its job to another worker. */
const LOCK_DURATION_MS = 10_000;
const STALLED_INTERVAL_MS = 5_000;
const RECONCILE_INTERVAL_MS = 10_000;
/** A handed-back job waits this long, so the old worker has exited before another takes over. */
const HANDOVER_DELAY_MS = 1_000;
const RUNS_CHANGED_BEAT_MS = 200;

export interface ClusterWorkerOptions {
  client: DbClient;
  resources: RunnerResources;
  config: ClusterConfig;
  tags: string[];
  /** Runs executed at once, across all tags. */
  concurrency: number;
  /** Where workspaces live on this worker's disk, by name; others use their registered directory. */
  workspaces: Record<string, string>;
  id?: string;
  log?: (message: string) => void;
}

export interface ClusterWorker {
  id: string;
  /** Runs executed here since start (tests and the cluster summary report them). */
  executedRunIds(): string[];
  /**
   * Stops taking runs; waits up to `timeoutMs` for current ones, then hands
   * the rest back to their queues and kills their commands. "handed-over"
   * means this process must exit now, writing nothing more.
   */
  drain(timeoutMs: number): Promise<"finished" | "handed-over">;
}

export async function startClusterWorker(options: ClusterWorkerOptions): Promise<ClusterWorker> {
  const { client, resources, config } = options;
  const id = options.id ?? `${os.hostname()}-${process.pid}`;
  const log = options.log ?? (() => {});
  const registry = new RunRegistry();
  const slots = new Semaphore(options.concurrency);
  const executed: string[] = [];
  const connection = connectRedis(config, `worker-${id}`);
  const subscriber = connectRedis(config, `worker-${id}-control`);
  const queues = new TagQueues(connection, config);
  const handovers = new Map<string, () => void>();
  let draining = false;

  const watched = new WatchedRuns();
  const stopRelay = relayRunEvents(resources.bus, connection, config, (runId) => watched.has(runId));

  await subscriber.subscribe(controlChannel(config));
  subscriber.on("message", (_channel: string, message: string) => {
    const parsed = ControlMessage.safeParse(JSON.parse(message));
    if (!parsed.success) return;
    const command = parsed.data;
    if (command.action === "watch") watched.watch(command.runIds);
    else if (command.action === "cancel") registry.cancel(command.runId);
    else registry.get(command.runId)?.cancelNode(command.nodeId);
  });

  const beat = () =>
    recordWorkerHeartbeat(client, {
      id,
      host: os.hostname(),
      pid: process.pid,
      tags: options.tags,
      concurrency: options.concurrency,
      runningRunIds: registry.activeRunIds(),
    }).catch(resources.reportError);
  await beat();
  const heartbeat = setInterval(beat, HEARTBEAT_INTERVAL_MS);
  /**
   * The runs this worker holds reach its row (the Workers page) within
   * RUNS_CHANGED_BEAT_MS of a change, in one write for every change in that
   * window: not two writes per run on its way to its first command.
   */
  let changeBeat: NodeJS.Timeout | null = null;
  const beatSoon = () => {
    changeBeat ??= setTimeout(() => {
      changeBeat = null;
      void beat();
    }, RUNS_CHANGED_BEAT_MS);
  };

  function directoryOf(workspaceName: string | null, stored: string): string {
    const directory = (workspaceName && options.workspaces[workspaceName]) || stored;
    // A scratch run's directory was named by the web server, maybe on another disk.
    if (workspaceName === null && !existsSync(directory)) mkdirSync(directory, { recursive: true });
    return directory;
  }

  /**
   * Starts a new run's sandbox from its job's spec, while the run is
   * being claimed; returns what discards it if the run does not use it.
   */
  function prepareSandbox(runId: string, spec: SandboxSpec | undefined): () => boolean {
    if (!spec) return () => false;
    let workspaceRoot: string;
    try {
      workspaceRoot = realpathSync.native(directoryOf(spec.workspace, spec.directory));
    } catch {
      // The run reports a directory it cannot open when it starts.
      return () => false;
    }
    return resources.commands.prepareRun({ runId, workspaceRoot, settings: spec.settings, concurrency: spec.concurrency });
  }

  /** Waits for a run's worker to stop beating; false when it is still alive after the dead-after window. */
  async function waitForWorkerDeath(workerId: string): Promise<boolean> {
    for (let waited = 0; waited <= WORKER_DEAD_AFTER_MS; waited += 1_000) {
      if (!(await isWorkerAlive(client, workerId))) return true;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    return false;
  }

  /** Starts or resumes the run, or takes it over from a dead worker; null when there is nothing to do here. */
  async function takeRun(runId: string, spec: SandboxSpec | undefined): Promise<RunHandle | null> {
    // A queued run no worker holds is the common case: one statement claims and loads it, while its sandbox starts.
    const claiming = claimQueuedRun(client, runId, id);
    const discardSandbox = prepareSandbox(runId, spec);
    try {
      const queued = await claiming;
      if (queued) {
        const handle = executeQueuedRun(resources, queued.run, { directory: directoryOf(queued.workspaceName, queued.run.directory) });
        // Opened by now unless the run asked for another sandbox than its job's spec described: each start then pays twice.
        if (discardSandbox()) log(`run ${runId} did not use the sandbox started from its job's spec`);
        return handle;
      }
    } finally {
      // The run has opened it by now, or never will: a run taken over is interrupted first, which removes its sandbox's files.
      discardSandbox();
    }
    const [claimed, stored] = await Promise.all([claimInterruptedRun(client, runId, id), readRunPlacement(client, runId)]);
    if (!stored) return null;
    let row = stored;
    if (claimed) return resumeRun(resources, runId, { directory: directoryOf(row.workspaceName, row.directory) });
    // A run another worker took may still read `queued`: its `running` status was in that worker's event log, not yet stored.
    const taken = row.status === "running" || (row.status === "queued" && row.workerId !== null);
    if (taken) {
      const holder = row.workerId;
      if (holder === id) return null;
      if (holder !== null && !(await waitForWorkerDeath(holder))) return null;
      const run = await resources.store.loadRun(runId);
      if (!run || (run.status !== "running" && run.status !== "queued")) return null;
      const holderHost = holder === null ? null : await hostOfWorker(client, holder);
      const recovered = await interruptRun(resources, run, {
        killOrphans: holderHost === os.hostname(),
        directory: directoryOf(row.workspaceName, row.directory),
      });
      const rolledBack = recovered.rolledBackBatches.length
        ? `, atomic batch(es) ${recovered.rolledBackBatches.join(", ")} rolled back`
        : "";
      log(
        `took over run ${runId} from ${holder ?? "an unknown worker"}: ${recovered.interruptedNodes.length} node(s) interrupted${rolledBack}`,
      );
      if (recovered.status !== "interrupted") return null;
      row = { ...row, status: "interrupted" };
    }
    if (row.status !== "interrupted") return null;
    await assignRunToWorker(client, runId, id);
    return resumeRun(resources, runId, { directory: directoryOf(row.workspaceName, row.directory) });
  }

  async function processRun(job: Job, runId: string, spec: SandboxSpec | undefined, token: string | undefined): Promise<void> {
    await slots.acquire();
    try {
      if (draining) return handBack(job, token);
      const handle = await takeRun(runId, spec);
      if (!handle) return;
      registry.track(handle);
      executed.push(runId);
      beatSoon();
      const handedOver = new Promise<"handed-over">((resolve) => handovers.set(runId, () => resolve("handed-over")));
      const outcome = await Promise.race([handle.done, handedOver]);
      handovers.delete(runId);
      if (outcome === "handed-over") return handBack(job, token);
      beatSoon();
    } finally {
      slots.release();
    }
  }

  /** Puts a job back for another worker: BullMQ's way is to delay it and throw DelayedError. */
  async function handBack(job: Job, token: string | undefined): Promise<never> {
    await job.moveToDelayed(Date.now() + HANDOVER_DELAY_MS, token);
    throw new DelayedError();
  }

  async function processUndo(runId: string, force: boolean): Promise<UndoAnswer> {
    try {
      return { ok: true, result: await undoRun(resources, runId, { force }) };
    } catch (error) {
      if (error instanceof RunRequestError) return { ok: false, code: error.code, message: error.message };
      throw error;
    }
  }

  /**
   * Per tag, one BullMQ worker per run this worker executes at once, each
   * taking one job at a time: a BullMQ worker with room for more asks the
   * queue for another job the moment it gets one (two Redis round trips, a
   * Lua script among them), which on a busy machine is CPU taken from the
   * new run's sandbox as it starts; one that is full asks when its job ends.
   */
  const workers = options.tags.flatMap((tag) =>
    Array.from(
      { length: options.concurrency },
      (_, slot) =>
        new Worker(
          queueNameForTag(tag),
          async (job: Job, token?: string) => {
            const data = ClusterJob.parse(job.data);
            if (data.kind === "undo") return processUndo(data.runId, data.force);
            await processRun(job, data.runId, data.sandbox, token);
            return null;
          },
          {
            connection: connectRedis(config, `worker-${id}-${tag}-${slot}`),
            prefix: config.prefix,
            concurrency: 1,
            lockDuration: LOCK_DURATION_MS,
            stalledInterval: STALLED_INTERVAL_MS,
            // The stalled check covers the whole queue: one per tag and process is enough, not one per slot.
            skipStalledCheck: slot > 0,
            // Stalls are how a dead worker's runs reach another one: never give up on a run because of them.
            maxStalledCount: Number.MAX_SAFE_INTEGER,
          },
        ),
    ),
  );
  for (const worker of workers) worker.on("error", (error) => log(`queue: ${error.message}`));

  /**
   * Re-enqueues the runs of this worker's tags that should be queued but whose
   * jobs the queue lost. One worker per interval does it (a lease in Redis):
   * with a hundred workers each re-adding every queued run, Redis would do a
   * hundred times the work for nothing.
   */
  async function reconcile(): Promise<void> {
    const lease = await connection.set(
      `${config.prefix}:reconciler:${options.tags.join(",")}`,
      id,
      "PX",
      RECONCILE_INTERVAL_MS - 1_000,
      "NX",
    );
    if (lease !== "OK") return;
    for (const runId of await listRunsAwaitingWorker(client, options.tags)) {
      await queues.enqueueRun((await routeOfRun(client, runId)).tag, runId);
    }
  }
  const runReconcile = () =>
    void reconcile().catch((error: unknown) => log(`reconcile: ${error instanceof Error ? error.message : String(error)}`));
  runReconcile();
  const reconciler = setInterval(runReconcile, RECONCILE_INTERVAL_MS);
  // A Redis that restarted empty lost its queued jobs: reconcile as soon as it is back.
  connection.on("ready", runReconcile);

  async function stopBackground(): Promise<void> {
    clearInterval(heartbeat);
    if (changeBeat) clearTimeout(changeBeat);
    clearInterval(reconciler);
    stopRelay();
    subscriber.disconnect();
  }

  return {
    id,
    executedRunIds: () => [...executed],
    async drain(timeoutMs) {
      draining = true;
      log(`draining: ${registry.activeRunIds().length} run(s) in progress, ${timeoutMs} ms to finish`);
      const closing = Promise.all(workers.map((worker) => worker.close()));
      const finished = await Promise.race([
        closing.then(() => true),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), timeoutMs)),
      ]);
      if (finished) {
        await stopBackground();
        await markWorkerStopped(client, id);
        await queues.close();
        connection.disconnect();
        return "finished";
      }
      const remaining = registry.activeRunIds();
      const commands = remaining.flatMap((runId) =>
        [...(registry.get(runId)?.nodes.values() ?? [])].filter((node) => node.status === "running" && node.pid !== null),
      );
      for (const handOver of handovers.values()) handOver();
      await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, 2_000))]);
      await stopBackground();
      await markWorkerStopped(client, id);
      // From here nothing may be written: the caller exits; the next worker interrupts and resumes these runs.
      for (const node of commands) signalGroup(node.pid as number, "SIGKILL");
      log(`handed over ${remaining.length} run(s): ${remaining.join(", ")}`);
      return "handed-over";
    },
  };
}
