/** Whether a node whose dependencies have finished runs or is skipped: a pure function of edge conditions. */
import type { EdgeCondition } from "../plan/schema";
import type { NodeStatus } from "./run-events";
import { isTerminalNodeStatus } from "./status";

/** An incoming edge, reduced to what the decision needs. */
export interface IncomingEdge {
  from: string;
  when: EdgeCondition;
}

export type NodeDecision = "run" | "skip" | "wait";

/**
 * `wait` while any dependency is unfinished; then `run` when every edge's
 * condition holds (success: it succeeded; failure: it failed; always: it
 * finished in any way), else `skip`.
 *
 * @example
 * decideNode([{ from: "a", when: "success" }], () => "failed"); // "skip"
 * decideNode([{ from: "a", when: "always" }], () => "failed"); // "run"
 */
export function decideNode(incoming: readonly IncomingEdge[], statusOf: (nodeId: string) => NodeStatus): NodeDecision {
  let decision: NodeDecision = "run";
  for (const edge of incoming) {
    const status = statusOf(edge.from);
    if (!isTerminalNodeStatus(status)) return "wait";
    if (!edgeHolds(edge.when, status)) decision = "skip";
  }
  return decision;
}

/** Whether an edge's condition holds for its source's final status. */
export function edgeHolds(when: EdgeCondition, status: NodeStatus): boolean {
  switch (when) {
    case "success":
      return status === "succeeded";
    case "failure":
      return status === "failed";
    case "always":
      return isTerminalNodeStatus(status);
  }
}
