/**
 * What a version stores: the validated document (defaults filled in) when the
 * plan is valid, or the document as drawn when it is a draft with problems.
 */
import { hashPlan } from "../plan/plan-hash";
import { PlanDraft } from "../plan/schema";
import { validatePlan } from "../plan/validate-plan";
import type { PlanProblem } from "../plan/plan-problem";
import { PlanInvalidError } from "./plan-problems";

export interface VersionDocument {
  document: unknown;
  graphHash: string;
  isDraft: boolean;
  problems: PlanProblem[];
}

/**
 * A draft whose shape is broken has no canonical form to hash; drafts cannot
 * run, so their hash only has to differ from every runnable graph's.
 */
const UNHASHABLE_DRAFT = "draft-unhashable";

/** Validates `input`; throws PlanInvalidError unless it is valid or `allowDraft`. */
export function toVersionDocument(input: unknown, allowDraft: boolean): VersionDocument {
  const result = validatePlan(input);
  if (result.ok) return { document: result.plan, graphHash: hashPlan(result.plan), isDraft: false, problems: [] };
  if (!allowDraft) throw new PlanInvalidError(result.problems);
  const shaped = PlanDraft.safeParse(input);
  return {
    document: shaped.success ? shaped.data : input,
    graphHash: shaped.success ? hashPlan(shaped.data) : UNHASHABLE_DRAFT,
    isDraft: true,
    problems: result.problems,
  };
}
