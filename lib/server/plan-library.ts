/**
 * Library services: the writes behind the library page and the editor, each
 * composing the plan core (validation, hash) with the repositories. Server
 * actions stay thin by calling exactly one of these.
 */
import type { DbClient } from "../db/client";
import { DomainError } from "../db/errors";
import { getPlanVersion, savePlanVersion } from "../db/plan-versions";
import { createPlan, findPlanByName, getPlan, updatePlanDetails } from "../db/plans";
import { PLAN_FORMAT_VERSION, PlanDocument, type PlanDocumentInput } from "../plan/schema";
import { parsePlanJson, serializePlanJson, exportFileName } from "../library/plan-json";
import { toVersionDocument } from "./version-document";

export interface LibraryCaller {
  userId: string;
  teamId: string;
}

/** `name`, or `name (copy)`, `name (copy 2)`… whichever is free among the team's active plans. */
async function freeName(client: DbClient, teamId: string, name: string): Promise<string> {
  if (!(await findPlanByName(client, teamId, name))) return name;
  for (let n = 1; n < 1000; n += 1) {
    const candidate = `${name} (copy${n === 1 ? "" : ` ${n}`})`;
    if (!(await findPlanByName(client, teamId, candidate))) return candidate;
  }
  return `${name} (${Date.now()})`;
}

/** Creates an empty plan to draw in the editor: a draft, since a plan needs a node to run. */
export async function createBlankPlan(
  client: DbClient,
  caller: LibraryCaller,
  details: { name: string; description: string; tags: string[] },
) {
  const input: PlanDocumentInput = {
    formatVersion: PLAN_FORMAT_VERSION,
    name: details.name,
    description: details.description,
    nodes: [],
    edges: [],
  };
  const version = toVersionDocument(input, true);
  const { plan } = await createPlan(
    client,
    { teamId: caller.teamId, ownerId: caller.userId, name: details.name, description: details.description, tags: details.tags },
    { document: version.document, graphHash: version.graphHash, authorId: caller.userId, message: "Created", isDraft: version.isDraft },
  );
  return { planId: plan.id };
}

/** Imports a plan file: validated in full; a plan with problems is refused, naming each node and field. */
export async function importPlan(client: DbClient, caller: LibraryCaller, file: { text: string; tags: string[] }) {
  const parsed = parsePlanJson(file.text);
  if (!parsed.ok) throw new DomainError("invalid", parsed.message, { _: [parsed.message] });
  const version = toVersionDocument(parsed.value, false);
  const document = PlanDocument.parse(version.document);
  const { plan } = await createPlan(
    client,
    { teamId: caller.teamId, ownerId: caller.userId, name: document.name, description: document.description, tags: file.tags },
    { document, graphHash: version.graphHash, authorId: caller.userId, message: "Imported" },
  );
  return { planId: plan.id, name: plan.name };
}

/** Copies a plan's newest version into a new plan with a free name and the same tags. */
export async function duplicatePlan(client: DbClient, caller: LibraryCaller, planId: string) {
  const source = await getPlan(client, caller.teamId, planId);
  const latest = await getPlanVersion(client, caller.teamId, planId);
  const name = await freeName(client, caller.teamId, source.name);
  const graph: unknown = latest.graph;
  const document = graph !== null && typeof graph === "object" && !Array.isArray(graph) ? { ...graph, name } : graph;
  const tags = Array.isArray(source.tags) ? source.tags.map(String) : [];
  const { plan } = await createPlan(
    client,
    { teamId: caller.teamId, ownerId: caller.userId, name, description: source.description, tags },
    {
      document,
      graphHash: latest.graphHash,
      authorId: caller.userId,
      message: `Duplicated from "${source.name}" v${latest.number}`,
      isDraft: latest.isDraft,
    },
  );
  return { planId: plan.id, name };
}

/**
 * Saves the editor's document as a new immutable version on top of
 * `baseVersion`. A plan with problems is stored only as a draft (which cannot
 * run), and only when asked. If someone saved in between, the repository's
 * StaleVersionError reaches the caller: nobody's work is overwritten.
 */
export async function savePlan(
  client: DbClient,
  caller: LibraryCaller,
  request: { planId: string; baseVersion: number; document: unknown; message: string; asDraft: boolean },
) {
  const plan = await getPlan(client, caller.teamId, request.planId);
  const version = toVersionDocument(request.document, request.asDraft);
  const saved = await savePlanVersion(
    client,
    { teamId: caller.teamId, planId: request.planId, baseVersion: request.baseVersion },
    {
      document: version.document,
      graphHash: version.graphHash,
      authorId: caller.userId,
      message: request.message,
      isDraft: version.isDraft,
    },
  );
  const details = detailsOf(version.document);
  if (details && (details.name !== plan.name || details.description !== plan.description)) {
    const tags = Array.isArray(plan.tags) ? plan.tags.map(String) : [];
    await updatePlanDetails(client, caller.teamId, request.planId, { ...details, tags });
  }
  return { number: saved.number, isDraft: saved.isDraft, createdAt: saved.createdAt, problemCount: version.problems.length };
}

function detailsOf(document: unknown): { name: string; description: string } | null {
  if (document === null || typeof document !== "object" || !("name" in document)) return null;
  const { name } = document;
  const description = "description" in document && typeof document.description === "string" ? document.description : "";
  return typeof name === "string" && name.trim() ? { name: name.trim(), description } : null;
}

/** Restores an old version by saving its graph again as the newest one (history stays immutable). */
export async function restoreVersion(
  client: DbClient,
  caller: LibraryCaller,
  request: { planId: string; number: number; baseVersion: number },
) {
  const old = await getPlanVersion(client, caller.teamId, request.planId, request.number);
  return savePlan(client, caller, {
    planId: request.planId,
    baseVersion: request.baseVersion,
    document: old.graph,
    message: `Restored v${old.number}`,
    asDraft: old.isDraft,
  });
}

/** One version as the plan file people download: the exact bytes import accepts. */
export async function exportVersion(client: DbClient, teamId: string, planId: string, number?: number) {
  const plan = await getPlan(client, teamId, planId);
  const version = await getPlanVersion(client, teamId, planId, number);
  return { fileName: exportFileName(plan.name, version.number), text: serializePlanJson(version.graph) };
}
