/**
 * Cluster mode's web-server side: runs are created in PostgreSQL and their
 * ids enqueued in the BullMQ queue of their workspace's tag; workers execute
 * them. Cancel and cancel-node go to the worker holding the run over the
 * control channel; undo is a job like a run, answered through QueueEvents.
 */
import { Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import type { DbClient } from "../db/client";
import { DomainError } from "../db/errors";
import { listenForSettledRuns } from "../db/settled-notice-listener";
import { listKnownWorkerTags, routeOfRun, routeOfWorkspace, type RunRoute } from "../db/workers";
import type { RunStatus } from "../run-events/run-events";
import { ListenersByRun } from "../runner/listeners-by-run";
import type { RunnerResources } from "../runner/resources";
import { createRetryWithRevisedPlan } from "../runner/retry-with-plan";
import { cancelQueuedRun, createQueuedRun, createRetryOfFailedNodes, createRetryOfNode, RunRequestError } from "../runner/runs";
import { runCommandsRequest } from "../runner/sandbox/run-commands";
import type { ExecuteRunInput } from "../runner/scheduler";
import type { UndoResult } from "../runner/undo";
import { NotCancellableError, type RunDispatcher } from "../server/run-dispatcher";
import {
  ClusterJob,
  connectRedis,
  controlChannel,
  queueNameForTag,
  runJobId,
  type ClusterConfig,
  type ControlMessage,
  type SandboxSpec,
} from "./cluster-config";
import { relayRunEvents, RemoteRunEvents } from "./event-relay";

/** How long a web server waits for a worker to answer an undo. */
const UNDO_TIMEOUT_MS = 120_000;
/** Known tags are re-read at most this often. */
const KNOWN_TAGS_TTL_MS = 5_000;

/** What a worker answers to an undo job: the result, or the runner's refusal. */
export type UndoAnswer = { ok: true; result: UndoResult } | { ok: false; code: RunRequestError["code"]; message: string };

/** A tag's queue, shared by the dispatcher (enqueue) and workers (reconcile). */
export class TagQueues {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly connection: Redis,
    private readonly config: ClusterConfig,
  ) {}

  of(tag: string): Queue {
    let queue = this.queues.get(tag);
    if (!queue) {
      queue = new Queue(queueNameForTag(tag), { connection: this.connection, prefix: this.config.prefix });
      this.queues.set(tag, queue);
    }
    return queue;
  }

  /** Enqueues a run; a run whose job the queue still holds is left as it is. */
  async enqueueRun(tag: string, runId: string, sandbox?: SandboxSpec): Promise<void> {
    const job: ClusterJob = { kind: "run", runId, sandbox };
    await this.of(tag).add("run", job, { jobId: runJobId(runId), removeOnComplete: true, removeOnFail: true });
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }
}

/** What a worker needs to start a new run's sandbox while it claims the run; none when the plan runs no command. */
function sandboxSpecOf(run: ExecuteRunInput, workspaceName: string | null): SandboxSpec | undefined {
  if (!run.plan.nodes.some((node) => node.type === "shell")) return undefined;
  const { settings, concurrency } = runCommandsRequest(run, run.directory);
  return { workspace: workspaceName, directory: run.directory, settings, concurrency };
}

/** Queue depth of each tag: runs waiting for a worker, and runs being executed. */
export async function readQueueDepths(
  queues: TagQueues,
  tags: Iterable<string>,
): Promise<Array<{ tag: string; waiting: number; active: number }>> {
  return Promise.all(
    [...tags].sort().map(async (tag) => {
      const counts = await queues.of(tag).getJobCounts("waiting", "prioritized", "delayed", "active");
      return { tag, waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0), active: counts.active ?? 0 };
    }),
  );
}

/** The cluster dispatcher and what it holds open, for shutdown and the Workers page. */
export interface QueueDispatcher extends RunDispatcher {
  queues: TagQueues;
  events: RemoteRunEvents;
  close(): Promise<void>;
}

export function createQueueDispatcher(deps: {
  client: DbClient;
  /** The PostgreSQL database's URL, for the connection that listens for settled notices. */
  databaseUrl: string;
  resources: RunnerResources;
  config: ClusterConfig;
}): QueueDispatcher {
  const { client, resources, config } = deps;
  const connection = connectRedis(config, "web");
  const subscriber = connectRedis(config, "web-events");
  const queues = new TagQueues(connection, config);
  const events = new RemoteRunEvents({ subscriber, publisher: connection }, config);
  const settledListeners = new ListenersByRun<(status: RunStatus) => void>();
  const settled = listenForSettledRuns(
    deps.databaseUrl,
    ({ runId, status }) => {
      for (const listener of settledListeners.of(runId)) listener(status);
    },
    (message) => console.warn(`batchboard: ${message}`),
  );
  // The only events this server makes itself (cancelling a run no worker took) reach watchers on every server too.
  const stopRelay = relayRunEvents(resources.bus, connection, config);
  const queueEvents = new Map<string, QueueEvents>();
  let knownTags: { tags: Set<string>; readAt: number } | null = null;

  async function requireKnownTag(tag: string): Promise<void> {
    if (!knownTags || Date.now() - knownTags.readAt > KNOWN_TAGS_TTL_MS || !knownTags.tags.has(tag)) {
      knownTags = { tags: await listKnownWorkerTags(client), readAt: Date.now() };
    }
    if (!knownTags.tags.has(tag)) {
      throw new DomainError(
        "invalid",
        `No worker has ever served tag "${tag}": start one with BATCHBOARD_WORKER_TAGS=${tag}, or change the workspace's tag`,
      );
    }
  }

  /** Enqueues a run to resume: the worker that takes it loads everything. */
  async function enqueue(runId: string): Promise<{ runId: string }> {
    await queues.enqueueRun((await routeOfRun(client, runId)).tag, runId);
    return { runId };
  }

  /** Enqueues a run just created, with its sandbox's spec when it runs commands; `route` when the caller already knows it. */
  async function enqueueCreated(run: ExecuteRunInput, route?: RunRoute): Promise<{ runId: string }> {
    const { tag, workspaceName } = route ?? (await routeOfRun(client, run.runId));
    await queues.enqueueRun(tag, run.runId, sandboxSpecOf(run, workspaceName));
    return { runId: run.runId };
  }

  async function control(message: ControlMessage): Promise<void> {
    await connection.publish(controlChannel(config), JSON.stringify(message));
  }

  function eventsOf(tag: string): QueueEvents {
    let listener = queueEvents.get(tag);
    if (!listener) {
      listener = new QueueEvents(queueNameForTag(tag), {
        connection: connectRedis(config, `web-queue-events-${tag}`),
        prefix: config.prefix,
      });
      queueEvents.set(tag, listener);
    }
    return listener;
  }

  return {
    queues,
    events,
    async start(options) {
      const route: RunRoute = options.workspaceId
        ? await routeOfWorkspace(client, options.workspaceId)
        : { tag: "default", workspaceName: null };
      await requireKnownTag(route.tag);
      return enqueueCreated(await createQueuedRun(resources, options), route);
    },
    retryFailed: async (runId) => enqueueCreated(await createRetryOfFailedNodes(resources, runId)),
    retryNode: async (runId, nodeId) => enqueueCreated(await createRetryOfNode(resources, runId, nodeId)),
    retryWithPlan: async (runId, revision) => enqueueCreated(await createRetryWithRevisedPlan(resources, runId, revision)),
    async resume(runId) {
      const run = await resources.store.loadRun(runId);
      if (!run) throw new RunRequestError("not-found", `Run ${runId} was not found`);
      if (run.status !== "interrupted") {
        throw new RunRequestError("invalid-state", `Run ${runId} is ${run.status}; only interrupted runs can be resumed (use retry)`);
      }
      return enqueue(runId);
    },
    async cancel(runId) {
      const run = await resources.store.loadRun(runId);
      if (!run || (run.status !== "queued" && run.status !== "running"))
        throw new NotCancellableError(`This run is ${run?.status ?? "gone"}`);
      if (run.status === "queued") {
        // A job no worker holds yet can be removed (remove refuses a locked, i.e. taken, job): then nobody else writes this run.
        const job = await queues.of((await routeOfRun(client, runId)).tag).getJob(runJobId(runId));
        const removed = job
          ? await job.remove().then(
              () => true,
              () => false,
            )
          : true;
        // No worker had it, so this server writes its end (and with it the notice that it is stored).
        if (removed) return cancelQueuedRun(resources, runId);
      }
      await control({ action: "cancel", runId });
    },
    async cancelNode(runId, nodeId) {
      const run = await resources.store.loadRun(runId);
      if (!run || run.status !== "running") throw new NotCancellableError(`This run is ${run?.status ?? "gone"}, not running`);
      const node = run.nodes.find((candidate) => candidate.nodeId === nodeId);
      if (node && !["pending", "queued", "running"].includes(node.status))
        throw new NotCancellableError(`Node ${nodeId} has already finished`);
      await control({ action: "cancel-node", runId, nodeId });
    },
    async undo(runId, options) {
      const { tag } = await routeOfRun(client, runId);
      const job: ClusterJob = { kind: "undo", runId, force: options.force ?? false };
      const added = await queues.of(tag).add("undo", job, { removeOnComplete: { age: 600 }, removeOnFail: { age: 600 } });
      const answer = (await added.waitUntilFinished(eventsOf(tag), UNDO_TIMEOUT_MS)) as UndoAnswer;
      if (!answer.ok) throw new RunRequestError(answer.code, answer.message);
      return answer.result;
    },
    isLive: (_runId, storedStatus) => storedStatus === "queued" || storedStatus === "running",
    subscribe: (runId, listener) => events.subscribe(runId, listener),
    recentEvents: (runId) => events.recent(runId),
    async onSettled(runId, listener) {
      const remove = settledListeners.add(runId, listener);
      await settled.ready;
      return remove;
    },
    async close() {
      stopRelay();
      events.close();
      await settled.close();
      await queues.close();
      await Promise.all([...queueEvents.values()].map((listener) => listener.close()));
      connection.disconnect();
      subscriber.disconnect();
    },
  };
}
