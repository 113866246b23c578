/**
 * Runs need a stored plan version (history, retries, the run page), so an
 * inline plan document sent to the API is recorded first: as a version of
 * the team's plan with the same name (reused when it has this document),
 * else as a new plan tagged `api`.
 */
import type { DbClient } from "../db/client";
import { recordPlanByName } from "../db/plan-by-name";
import { hashPlan } from "../plan/plan-hash";
import type { PlanDocument } from "../plan/schema";

export async function recordInlinePlan(
  client: DbClient,
  caller: { teamId: string; userId: string },
  document: PlanDocument,
): Promise<{ planId: string; versionNumber: number }> {
  const { planId, versionNumber } = await recordPlanByName(client, {
    teamId: caller.teamId,
    authorId: caller.userId,
    name: document.name,
    description: document.description,
    tags: ["api"],
    document,
    graphHash: hashPlan(document),
    message: "Run from the API",
  });
  return { planId, versionNumber };
}
