/** Database rows → API bodies: dates as ISO strings, author names flattened, nothing internal leaked. */
import type { PlanSummary, VersionSummary } from "./schemas";

interface PlanRow {
  id: string;
  name: string;
  description: string;
  tags: unknown;
  archived: boolean;
  latestVersion: number;
  updatedAt: Date;
}

/** Accepts list summaries (`archived`) and rows (`archivedAt`, via planRow). */
export function presentPlan(plan: PlanRow): PlanSummary {
  return {
    id: plan.id,
    name: plan.name,
    description: plan.description,
    tags: Array.isArray(plan.tags) ? plan.tags.map(String) : [],
    archived: plan.archived,
    latestVersion: plan.latestVersion,
    updatedAt: plan.updatedAt.toISOString(),
  };
}

interface VersionRow {
  number: number;
  message: string;
  isDraft: boolean;
  graphHash: string;
  createdAt: Date;
  author: { name: string };
}

export function presentVersion(version: VersionRow): VersionSummary {
  return {
    number: version.number,
    message: version.message,
    isDraft: version.isDraft,
    graphHash: version.graphHash,
    author: version.author.name,
    createdAt: version.createdAt.toISOString(),
  };
}

/** A Plan row in the shape presentPlan takes. */
export function planRow<Row extends Omit<PlanRow, "archived"> & { archivedAt: Date | null }>(row: Row): PlanRow {
  return { ...row, archived: row.archivedAt !== null };
}
