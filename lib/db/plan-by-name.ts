/**
 * Recording a plan document by its name, for runs of a document rather than
 * of a saved plan (an inline plan sent to the API, a file given to the CLI):
 * the team's plan of that name gets a version per distinct document, and a
 * document it already has is reused. Race-free on both databases: 50
 * simultaneous recordings of one new name make one plan, and of an existing
 * name never fail as stale.
 */
import type { DbClient } from "./client";
import { toJsonColumn } from "./json";
import { createPlan, findPlanByName } from "./plans";
import { inTransaction } from "./transaction";

export interface PlanByName {
  teamId: string;
  authorId: string;
  name: string;
  description?: string;
  /** Tags of a plan this creates (`api`, `cli`). */
  tags: string[];
  /** The validated plan document. */
  document: unknown;
  graphHash: string;
  message: string;
}

export async function recordPlanByName(
  client: DbClient,
  input: PlanByName,
): Promise<{ planId: string; planVersionId: string; versionNumber: number }> {
  return inTransaction(client, async (tx) => {
    // Serialises the team's recordings: a row lock on PostgreSQL, and on SQLite the write lock taken up front (a
    // transaction that read first and wrote later could not upgrade its lock under contention).
    await tx.$executeRaw`UPDATE "Team" SET "slug" = "slug" WHERE "id" = ${input.teamId}`;
    const existing = await findPlanByName(tx, input.teamId, input.name);
    if (!existing) {
      const { plan, version } = await createPlan(
        tx,
        { teamId: input.teamId, ownerId: input.authorId, name: input.name, description: input.description, tags: input.tags },
        { document: input.document, graphHash: input.graphHash, authorId: input.authorId, message: input.message },
      );
      return { planId: plan.id, planVersionId: version.id, versionNumber: version.number };
    }
    const same = await tx.planVersion.findFirst({
      where: { planId: existing.id, graphHash: input.graphHash, isDraft: false },
      orderBy: { number: "desc" },
      select: { id: true, number: true },
    });
    if (same) return { planId: existing.id, planVersionId: same.id, versionNumber: same.number };
    // An increment, not a compare-and-set: an editor's save in between moves the number on instead of failing this.
    const { latestVersion } = await tx.plan.update({
      where: { id: existing.id },
      data: { latestVersion: { increment: 1 } },
      select: { latestVersion: true },
    });
    const version = await tx.planVersion.create({
      data: {
        planId: existing.id,
        number: latestVersion,
        graph: toJsonColumn(input.document),
        graphHash: input.graphHash,
        message: input.message,
        authorId: input.authorId,
      },
    });
    return { planId: existing.id, planVersionId: version.id, versionNumber: version.number };
  });
}
