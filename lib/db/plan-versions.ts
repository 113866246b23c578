/** Immutable plan versions: a save always adds a row, and never overwrites someone else's newer save. */
import type { DbClient } from "./client";
import { NotFoundError, StaleVersionError } from "./errors";
import { toJsonColumn } from "./json";
import type { VersionDraft } from "./plans";
import { inTransaction, type DbExecutor } from "./transaction";

/**
 * Saves a new version on top of `baseVersion`. If someone saved in between,
 * throws StaleVersionError instead of silently overwriting their work.
 */
export async function savePlanVersion(
  client: DbClient,
  target: { teamId: string; planId: string; baseVersion: number },
  version: VersionDraft,
) {
  return inTransaction(client, async (tx) => {
    // The conditional bump is the lock: only one of two concurrent saves on the same base can match.
    const { count } = await tx.plan.updateMany({
      where: { id: target.planId, teamId: target.teamId, latestVersion: target.baseVersion },
      data: { latestVersion: { increment: 1 } },
    });
    if (count === 0) {
      const plan = await tx.plan.findFirst({ where: { id: target.planId, teamId: target.teamId } });
      if (!plan) throw new NotFoundError("Plan");
      throw new StaleVersionError(plan.latestVersion);
    }
    return tx.planVersion.create({
      data: {
        planId: target.planId,
        number: target.baseVersion + 1,
        graph: toJsonColumn(version.document),
        graphHash: version.graphHash,
        message: version.message ?? "",
        isDraft: version.isDraft ?? false,
        authorId: version.authorId,
      },
    });
  });
}

/** One version of a team's plan; the newest when `number` is omitted. */
export async function getPlanVersion(client: DbExecutor, teamId: string, planId: string, number?: number) {
  const version = await client.planVersion.findFirst({
    where: { planId, plan: { teamId }, ...(number === undefined ? {} : { number }) },
    orderBy: { number: "desc" },
    include: { author: { select: { name: true } } },
  });
  if (!version) throw new NotFoundError(number === undefined ? "Plan" : `Version ${number}`);
  return version;
}

/** Version history, newest first, without the graphs. */
export async function listPlanVersions(client: DbExecutor, teamId: string, planId: string) {
  return client.planVersion.findMany({
    where: { planId, plan: { teamId } },
    orderBy: { number: "desc" },
    select: { id: true, number: true, message: true, isDraft: true, graphHash: true, createdAt: true, author: { select: { name: true } } },
  });
}
