/** Plans of a team's library: every query is scoped by teamId, so another team's plan reads as missing. */
import type { DbClient } from "./client";
import { NotFoundError } from "./errors";
import { toJsonColumn } from "./json";
import { inTransaction, translated, withinTransaction, type DbExecutor } from "./transaction";
import type { RunStatus } from "./generated/sqlite/enums";

export interface PlanDraft {
  teamId: string;
  ownerId: string;
  name: string;
  description?: string;
  tags?: string[];
}

export interface VersionDraft {
  /** The plan document as JSON (validated by the caller). */
  document: unknown;
  /** Layout-independent hash of the document (lib/plan). */
  graphHash: string;
  authorId: string;
  message?: string;
  isDraft?: boolean;
}

export interface PlanSummary {
  id: string;
  name: string;
  description: string;
  tags: string[];
  ownerName: string;
  archived: boolean;
  latestVersion: number;
  updatedAt: Date;
  lastRun: { id: string; status: RunStatus; createdAt: Date } | null;
}

export function normaliseTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((tag) => tag.trim().toLowerCase()).filter(Boolean))].sort();
}

/** What the library's search matches a plan against. */
export function searchTextOf(name: string, description: string, tags: readonly string[]): string {
  return [name, description, ...tags].join("\n").toLowerCase();
}

async function writeTags(tx: DbExecutor, teamId: string, planId: string, tags: string[]): Promise<void> {
  await tx.planTag.deleteMany({ where: { planId } });
  if (tags.length) await tx.planTag.createMany({ data: tags.map((tag) => ({ planId, teamId, tag })) });
}

/** Creates a plan together with its first version. */
export async function createPlan(executor: DbExecutor, plan: PlanDraft, version: VersionDraft) {
  const tags = normaliseTags(plan.tags ?? []);
  const description = plan.description ?? "";
  return withinTransaction(executor, async (tx) => {
    const created = await tx.plan.create({
      data: {
        teamId: plan.teamId,
        ownerId: plan.ownerId,
        name: plan.name,
        description,
        tags,
        searchText: searchTextOf(plan.name, description, tags),
        latestVersion: 1,
      },
    });
    await writeTags(tx, plan.teamId, created.id, tags);
    const firstVersion = await tx.planVersion.create({
      data: {
        planId: created.id,
        number: 1,
        graph: toJsonColumn(version.document),
        graphHash: version.graphHash,
        message: version.message ?? "Created",
        isDraft: version.isDraft ?? false,
        authorId: version.authorId,
      },
    });
    return { plan: created, version: firstVersion };
  });
}

/** Changes a plan's name, description and tags (metadata, not versioned). */
export async function updatePlanDetails(
  client: DbClient,
  teamId: string,
  planId: string,
  details: { name: string; description: string; tags: string[] },
) {
  const tags = normaliseTags(details.tags);
  return inTransaction(client, async (tx) => {
    const { count } = await tx.plan.updateMany({
      where: { id: planId, teamId },
      data: { ...details, tags, searchText: searchTextOf(details.name, details.description, tags) },
    });
    if (count === 0) throw new NotFoundError("Plan");
    await writeTags(tx, teamId, planId, tags);
  });
}

export async function getPlan(client: DbExecutor, teamId: string, planId: string) {
  const plan = await client.plan.findFirst({ where: { id: planId, teamId }, include: { owner: { select: { name: true } } } });
  if (!plan) throw new NotFoundError("Plan");
  return plan;
}

export async function findPlanByName(client: DbExecutor, teamId: string, name: string) {
  return client.plan.findFirst({ where: { teamId, name, archivedAt: null }, orderBy: { createdAt: "asc" } });
}

export async function setPlanArchived(client: DbClient, teamId: string, planId: string, archived: boolean): Promise<void> {
  const { count } = await translated(
    client.plan.updateMany({ where: { id: planId, teamId }, data: { archivedAt: archived ? new Date() : null } }),
  );
  if (count === 0) throw new NotFoundError("Plan");
}

export interface PlanListQuery {
  teamId: string;
  /** Matched case-insensitively against name, description and tags. */
  search?: string;
  tag?: string;
  archived?: boolean;
}

/** The library page: plans with owner, newest version and last run. */
export async function listPlans(client: DbClient, query: PlanListQuery): Promise<PlanSummary[]> {
  const search = query.search?.trim().toLowerCase();
  const tag = query.tag?.trim().toLowerCase();
  const plans = await client.plan.findMany({
    where: {
      teamId: query.teamId,
      archivedAt: query.archived ? { not: null } : null,
      ...(search ? { searchText: { contains: search } } : {}),
      ...(tag ? { tagRows: { some: { tag } } } : {}),
    },
    include: { owner: { select: { name: true } } },
    orderBy: { updatedAt: "desc" },
  });
  const lastRuns = plans.length
    ? await client.run.findMany({
        where: { teamId: query.teamId, planId: { in: plans.map((plan) => plan.id) } },
        orderBy: { createdAt: "desc" },
        distinct: ["planId"],
        select: { id: true, planId: true, status: true, createdAt: true },
      })
    : [];
  const lastRunOf = new Map(lastRuns.map((run) => [run.planId, run]));
  return plans.map((plan) => {
    const lastRun = lastRunOf.get(plan.id);
    return {
      id: plan.id,
      name: plan.name,
      description: plan.description,
      tags: Array.isArray(plan.tags) ? plan.tags.map(String) : [],
      ownerName: plan.owner.name,
      archived: plan.archivedAt !== null,
      latestVersion: plan.latestVersion,
      updatedAt: plan.updatedAt,
      lastRun: lastRun ? { id: lastRun.id, status: lastRun.status, createdAt: lastRun.createdAt } : null,
    };
  });
}

/** Tags in use by a team's plans, for the filter. */
export async function listTags(client: DbClient, teamId: string): Promise<string[]> {
  const rows = await client.planTag.findMany({ where: { teamId }, distinct: ["tag"], orderBy: { tag: "asc" } });
  return rows.map((row) => row.tag);
}
