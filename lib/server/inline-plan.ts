/**
 * Runs need a stored plan version (history, retries, the run page), so an
 * inline plan document sent to the API is recorded first: as a new version
 * of the team's plan with the same name when its graph changed, else reusing
 * the newest version, else as a new plan tagged `api`.
 */
import type { DbClient } from "../db/client";
import { getPlanVersion, savePlanVersion } from "../db/plan-versions";
import { createPlan, findPlanByName } from "../db/plans";
import { hashPlan } from "../plan/plan-hash";
import type { PlanDocument } from "../plan/schema";

export async function recordInlinePlan(
  client: DbClient,
  caller: { teamId: string; userId: string },
  document: PlanDocument,
): Promise<{ planId: string; versionNumber: number }> {
  const graphHash = hashPlan(document);
  const existing = await findPlanByName(client, caller.teamId, document.name);
  if (!existing) {
    const { plan, version } = await createPlan(
      client,
      { teamId: caller.teamId, ownerId: caller.userId, name: document.name, description: document.description, tags: ["api"] },
      { document, graphHash, authorId: caller.userId, message: "Run from the API" },
    );
    return { planId: plan.id, versionNumber: version.number };
  }
  const latest = await getPlanVersion(client, caller.teamId, existing.id);
  if (latest.graphHash === graphHash && !latest.isDraft) return { planId: existing.id, versionNumber: latest.number };
  const version = await savePlanVersion(
    client,
    { teamId: caller.teamId, planId: existing.id, baseVersion: existing.latestVersion },
    { document, graphHash, authorId: caller.userId, message: "Run from the API" },
  );
  return { planId: existing.id, versionNumber: version.number };
}
