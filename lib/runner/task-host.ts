/**
 * The narrow interface between the scheduler and the task runner: the run's
 * fixed settings and surroundings, and the few calls a task makes back.
 */
import type { PlanNode } from "../plan/schema";
import type { BackgroundProcess } from "./executors/types";
import type { FileJournal } from "./journal";
import type { RunnerLimits } from "./limits";
import type { IncomingEdge } from "../run-events/node-decision";
import type { NodeError, NodeStatus, RunEventInput } from "../run-events/run-events";
import type { RunCommands } from "./sandbox/run-commands";
import type { Workspace } from "./workspace";

/** What a run's tasks run with; fixed for the whole run. */
export interface TaskSettings {
  readonly dryRun: boolean;
  readonly limits: RunnerLimits;
  /** The run's concurrency limit (units of an atomic batch run up to this many at once). */
  readonly concurrency: number;
  /** The plan's defaults, for nodes that set none. */
  readonly retries: number;
  readonly retryBackoffMs: number;
  readonly timeoutMs: number;
  readonly ripgrepPath: string | null;
}

/** Extra fields of a node status change. */
export interface NodeStatusDetails {
  attempt?: number;
  error?: NodeError;
  result?: unknown;
  durationMs?: number;
  pid?: number;
}

/** What the task runner needs from the run it belongs to. */
export interface TaskHost {
  readonly settings: TaskSettings;
  readonly nodes: ReadonlyMap<string, PlanNode>;
  readonly incoming: ReadonlyMap<string, readonly IncomingEdge[]>;
  readonly workspace: Workspace;
  readonly journal: FileJournal;
  readonly commands: RunCommands;
  emit(event: RunEventInput): void;
  /** Emits a node status change; terminal statuses release dependents. */
  setStatus(nodeId: string, status: NodeStatus, details?: NodeStatusDetails): void;
  statusOf(nodeId: string): NodeStatus;
  /** The node's last attempt number (0 before its first). */
  attemptOf(nodeId: string): number;
  upstreamOf(nodeId: string): Map<string, unknown>;
  keepProcess(process: BackgroundProcess): void;
  /** Whether a node must not start (run stopping, or the node was cancelled). */
  isCancelled(nodeId: string): boolean;
  /**
   * Makes `controller` the one that cancelling these nodes or the run aborts;
   * aborts it at once when the run is already stopping.
   */
  registerAttempt(nodeIds: readonly string[], controller: AbortController): void;
}

/** How a node of a task ended. */
export type Outcome =
  | { status: "succeeded"; attempt: number; durationMs: number; result: unknown }
  | { status: "failed" | "cancelled"; attempt: number; durationMs: number; error: NodeError; result?: unknown }
  | { status: "skipped"; attempt: number };

/** Reports every node's final status to the host. */
export function report(host: TaskHost, outcomes: Map<string, Outcome>): void {
  for (const [id, outcome] of outcomes) {
    if (outcome.status === "skipped") host.setStatus(id, "skipped");
    else if (outcome.status === "succeeded") host.setStatus(id, "succeeded", outcome);
    else host.setStatus(id, outcome.status, outcome);
  }
}
