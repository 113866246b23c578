/**
 * A run's node states and event stream: every event gets the run's next seq
 * and a time, is projected onto the node states and batched for the store,
 * then published live.
 */
import type { ExecutionPlan } from "../plan/execution-plan";
import type { PlanDocument } from "../plan/schema";
import { EventPersister } from "./event-persister";
import type { EventLog } from "./event-log";
import type { RunEvent, RunEventInput, StatusCounts } from "../run-events/run-events";
import type { NodeRunState } from "./run-store";
import type { RunnerResources } from "./resources";
import { countStatuses } from "../run-events/status";

/** A fresh node state, for new runs. */
export function pendingNodeState(nodeId: string, batchId: string | null): NodeRunState {
  return {
    nodeId,
    status: "pending",
    attempt: 0,
    batchId,
    reused: false,
    startedAt: null,
    finishedAt: null,
    exitCode: null,
    signal: null,
    pid: null,
    error: null,
    result: null,
    attempts: [],
  };
}

/** The stored states (copied, as the run updates them), and a pending one for every plan node without. */
export function initialNodeStates(
  plan: PlanDocument,
  executionPlan: ExecutionPlan,
  stored: readonly NodeRunState[],
): Map<string, NodeRunState> {
  const states = new Map<string, NodeRunState>();
  for (const node of stored) states.set(node.nodeId, { ...node });
  for (const node of plan.nodes) {
    if (!states.has(node.id)) states.set(node.id, pendingNodeState(node.id, executionPlan.batchIdOf[node.id] ?? null));
  }
  return states;
}

/** One of the run's crash logs, or null when there is no directory for them or it cannot be opened (the run goes on unlogged). */
export function openRunLog<Log>(resources: RunnerResources, runId: string, open: (directory: string, runId: string) => Log): Log | null {
  const directory = resources.changeLogDirectory;
  if (directory === null) return null;
  try {
    return open(directory, runId);
  } catch (error) {
    resources.reportError(error);
    return null;
  }
}

export class RunRecorder {
  readonly persister: EventPersister;
  private seq: number;

  constructor(
    private readonly resources: RunnerResources,
    readonly runId: string,
    readonly states: Map<string, NodeRunState>,
    lastEventSeq: number,
    /** The run's crash log of events (event-log.ts); null when it has none. */
    readonly eventLog: EventLog | null,
  ) {
    this.seq = lastEventSeq;
    this.persister = new EventPersister(resources.store, runId, states, {
      flushIntervalMs: resources.limits.flushIntervalMs,
      flushMaxEvents: resources.limits.flushMaxEvents,
      onError: (error) => resources.reportError(error),
    });
  }

  /**
   * Stamps the event with run id, seq and time and hands it on. The event
   * object becomes the published one (callers pass fresh literals): copying
   * every event with a spread cost more than the rest of emitting it.
   */
  emit(event: RunEventInput): void {
    this.seq += 1;
    const full = Object.assign(event, { runId: this.runId, seq: this.seq, at: this.resources.clock.now() }) as RunEvent;
    this.eventLog?.append(full);
    // Project first, so subscribers reading node states see this event applied.
    this.persister.add(full);
    this.resources.bus.publish(full);
  }

  counts(): StatusCounts {
    return countStatuses([...this.states.values()].map((state) => state.status));
  }
}
