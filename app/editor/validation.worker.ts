/**
 * Runs the plan validator off the main thread, so typing in a large plan's
 * inspector never waits for the whole plan to be checked. Same function as
 * everywhere else (lib/plan/validate-plan.ts); only the thread differs.
 */
import { validatePlan } from "@/lib/plan/validate-plan";
import { PlanDocument } from "@/lib/plan/schema";

export interface ValidationRequest {
  id: number;
  document: unknown;
}

self.onmessage = (event: MessageEvent<ValidationRequest>) => {
  const { id, document } = event.data;
  const result = validatePlan(document);
  // A plan with graph problems (a cycle) still has a shape the optimizer can explain.
  const shaped = result.ok ? result.plan : (PlanDocument.safeParse(document).data ?? null);
  self.postMessage({ id, result, shaped });
};
