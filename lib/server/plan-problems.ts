/** Turns validator problems into the `fieldErrors` every action answers with. */
import { DomainError } from "../db/errors";
import type { PlanProblem } from "../plan/plan-problem";

/**
 * Keys are document paths (`nodes.2.params.path`, `_` for the whole plan);
 * each message names the node, so a list of them still says where to look.
 */
export function fieldErrorsOfProblems(problems: readonly PlanProblem[]): Record<string, string[]> {
  const fieldErrors: Record<string, string[]> = {};
  for (const problem of problems) {
    const key = problem.path.join(".") || "_";
    const where = problem.nodeId ? `Node "${problem.nodeId}": ` : problem.edgeId ? `Edge "${problem.edgeId}": ` : "";
    (fieldErrors[key] ??= []).push(`${where}${problem.message}`);
  }
  return fieldErrors;
}

/** A plan that cannot be stored as a runnable version (drafts excepted). */
export class PlanInvalidError extends DomainError {
  constructor(problems: readonly PlanProblem[]) {
    super(
      "invalid",
      `The plan has ${problems.length} problem${problems.length === 1 ? "" : "s"}; fix ${problems.length === 1 ? "it" : "them"} or save as a draft`,
      fieldErrorsOfProblems(problems),
    );
  }
}
