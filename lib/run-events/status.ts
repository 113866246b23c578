/** Pure status predicates shared by the scheduler, recovery, the CLI and the UI. */
import type { NodeStatus, RunStatus, StatusCounts } from "./run-events";

/** A node in one of these states will not change again in this run. */
export function isTerminalNodeStatus(status: NodeStatus): boolean {
  return status === "succeeded" || status === "failed" || status === "skipped" || status === "cancelled" || status === "interrupted";
}

/** A run in one of these states is over (an interrupted run can still be resumed). */
export function isTerminalRunStatus(status: RunStatus): boolean {
  return status === "succeeded" || status === "failed" || status === "cancelled" || status === "interrupted";
}

/** Nodes that "resume" runs again: anything that never finished. */
export function isUnfinishedNodeStatus(status: NodeStatus): boolean {
  return status === "pending" || status === "queued" || status === "running" || status === "interrupted";
}

/** The run's final status from its nodes' final statuses. */
export function runStatusFromCounts(counts: StatusCounts, cancelled: boolean): RunStatus {
  if (counts.failed > 0) return "failed";
  if (cancelled || counts.cancelled > 0) return "cancelled";
  if (counts.interrupted > 0 || counts.pending > 0 || counts.running > 0) return "interrupted";
  return "succeeded";
}

/** Counts node statuses; `queued` counts as pending. */
export function countStatuses(statuses: Iterable<NodeStatus>): StatusCounts {
  const counts: StatusCounts = {
    total: 0,
    pending: 0,
    running: 0,
    succeeded: 0,
    failed: 0,
    skipped: 0,
    cancelled: 0,
    interrupted: 0,
  };
  for (const status of statuses) {
    counts.total += 1;
    if (status === "queued") counts.pending += 1;
    else counts[status] += 1;
  }
  return counts;
}
