/**
 * Where a web server's runs execute. In-process (this file): the server's own
 * runner executes them and its event bus streams them. Cluster mode
 * (lib/cluster/queue-dispatcher.ts): the server only creates runs and
 * enqueues them; workers execute them and publish their events through Redis.
 * app-context.ts chooses one; run-service.ts scopes by team and streams
 * through whichever it is given.
 */
import type { RunEvent } from "../run-events/run-events";
import type { RunnerResources } from "../runner/resources";
import { ListenersByRun } from "../runner/listeners-by-run";
import { RunRegistry } from "../runner/run-registry";
import { createRetryWithRevisedPlan } from "../runner/retry-with-plan";
import { createRetryOfFailedNodes, createRetryOfNode, resumeRun, startRun, type PlanRevision, type StartRunOptions } from "../runner/runs";
import { executeRun, type RunHandle } from "../runner/scheduler";
import type { RunStatus } from "../run-events/run-events";
import { isTerminalNodeStatus } from "../run-events/status";
import { undoRun, type UndoResult } from "../runner/undo";

/** Why a cancel did nothing. */
export class NotCancellableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotCancellableError";
  }
}

/** Starts, repairs and controls runs, and follows their live events. */
export interface RunDispatcher {
  start(options: StartRunOptions): Promise<{ runId: string }>;
  retryFailed(runId: string): Promise<{ runId: string }>;
  retryNode(runId: string, nodeId: string): Promise<{ runId: string }>;
  /** A retry running `revision` (already stored as a version of the run's plan) instead of the run's plan. */
  retryWithPlan(runId: string, revision: PlanRevision): Promise<{ runId: string }>;
  resume(runId: string): Promise<{ runId: string }>;
  /** Throws NotCancellableError when no runner holds the run. */
  cancel(runId: string): Promise<void>;
  /** Throws NotCancellableError when the node has already finished or no runner holds the run. */
  cancelNode(runId: string, nodeId: string): Promise<void>;
  undo(runId: string, options: { force?: boolean }): Promise<UndoResult>;
  /** Whether a run with this stored status may still publish events that a stream should wait for. */
  isLive(runId: string, storedStatus: RunStatus): boolean;
  /** Delivers the run's events published once it resolves; resolves to the unsubscribe. */
  subscribe(runId: string, listener: (event: RunEvent) => void): Promise<() => void>;
  /** Events published lately that the log may not hold yet, oldest first. */
  recentEvents(runId: string): RunEvent[];
  /**
   * Calls `listener` with the run's final status once it and everything the
   * run recorded are stored, where the dispatcher learns it (its own runs; a
   * worker's notice); resolves to the unsubscribe. No notice comes for a run
   * executing elsewhere, or whose last flush failed: callers fall back to
   * reading the store.
   */
  onSettled(runId: string, listener: (status: RunStatus) => void): Promise<() => void>;
}

/**
 * Events are published the moment they happen but reach the log in batches
 * (every ~50 ms), so the newest ones of a live run are kept here too: a
 * subscriber replays the log, then this buffer, then live events, with no gap.
 */
const RECENT_EVENTS_PER_RUN = 20_000;

/** The web server executes its runs itself (single machine, SQLite or PostgreSQL). */
export function createInProcessDispatcher(resources: RunnerResources, options: { recentEventsPerRun?: number } = {}): RunDispatcher {
  const live = new RunRegistry();
  const recent = new Map<string, RunEvent[]>();
  const settledListeners = new ListenersByRun<(status: RunStatus) => void>();
  const keep = options.recentEventsPerRun ?? RECENT_EVENTS_PER_RUN;
  resources.bus.subscribe("*", (event) => {
    // Created on a run's first event: startRun publishes before it returns a handle.
    let buffer = recent.get(event.runId);
    if (!buffer) recent.set(event.runId, (buffer = []));
    buffer.push(event);
    if (buffer.length > keep) buffer.splice(0, buffer.length - keep);
  });

  function track(handle: RunHandle): { runId: string } {
    live.track(handle);
    handle.done
      .then((outcome) => {
        if (outcome.stored) for (const listener of settledListeners.of(handle.runId)) listener(outcome.status);
      })
      .catch((error: unknown) => resources.reportError(error))
      // Everything is in the log once `done` resolves.
      .finally(() => recent.delete(handle.runId));
    return { runId: handle.runId };
  }

  function handleOf(runId: string): RunHandle {
    const handle = live.get(runId);
    // A run whose every node has finished has ended, though it stays tracked until its last events are in the log.
    const ended =
      handle !== undefined && handle.nodes.size > 0 && [...handle.nodes.values()].every((node) => isTerminalNodeStatus(node.status));
    if (!handle || ended) throw new NotCancellableError("This run is not running on this server");
    return handle;
  }

  return {
    start: async (options) => track(await startRun(resources, options)),
    retryFailed: async (runId) => track(executeRun(resources, await createRetryOfFailedNodes(resources, runId))),
    retryNode: async (runId, nodeId) => track(executeRun(resources, await createRetryOfNode(resources, runId, nodeId))),
    retryWithPlan: async (runId, revision) => track(executeRun(resources, await createRetryWithRevisedPlan(resources, runId, revision))),
    resume: async (runId) => track(await resumeRun(resources, runId)),
    async cancel(runId) {
      handleOf(runId).cancel();
    },
    async cancelNode(runId, nodeId) {
      if (!handleOf(runId).cancelNode(nodeId)) throw new NotCancellableError(`Node ${nodeId} has already finished`);
    },
    undo: (runId, options) => undoRun(resources, runId, options),
    isLive: (runId) => live.get(runId) !== undefined,
    subscribe: async (runId, listener) => resources.bus.subscribe(runId, listener),
    recentEvents: (runId) => [...(recent.get(runId) ?? [])],
    onSettled: async (runId, listener) => settledListeners.add(runId, listener),
  };
}
