/**
 * The plan endpoints of /api/v1. Each is a defineRoute (authentication,
 * permission, validation in one place) around one library service or
 * repository call, always scoped to the caller's team.
 */
import { getPlanVersion, listPlanVersions } from "../../db/plan-versions";
import { createPlan, getPlan, listPlans, setPlanArchived, updatePlanDetails } from "../../db/plans";
import { getTeam } from "../../db/teams";
import { getUser } from "../../db/users";
import { savePlan } from "../plan-library";
import { toVersionDocument } from "../version-document";
import { validatePlan } from "../../plan/validate-plan";
import { apiError } from "../api-errors";
import { defineRoute } from "../route-handler";
import { planRow, presentPlan, presentVersion } from "./plan-presenters";
import { CreatePlanBody, ListPlansQuery, PlanParams, SaveVersionBody, UpdatePlanBody, VersionParams } from "./schemas";

/**
 * 422 with every problem of a plan document, each at its path under
 * `document`, or null when the document may be stored.
 */
function refusePlanProblems(document: unknown, asDraft: boolean): Response | null {
  if (asDraft) return null;
  const result = validatePlan(document);
  if (result.ok) return null;
  const issues = result.problems.map((problem) => ({
    path: ["document", ...problem.path].join("."),
    message: problem.message,
    code: problem.code,
    ...(problem.nodeId ? { nodeId: problem.nodeId } : {}),
  }));
  return apiError("invalid", `The plan has ${issues.length} problem${issues.length === 1 ? "" : "s"}`, issues);
}

export const getMeRoute = defineRoute({ permission: "plan:read" }, async ({ app, caller }) => {
  const user = await getUser(app.db.client, caller.userId);
  const team = await getTeam(app.db.client, caller.teamId);
  return { user, team, role: caller.role };
});

export const listPlansRoute = defineRoute({ permission: "plan:read", query: ListPlansQuery }, async ({ app, caller, query }) => {
  const plans = await listPlans(app.db.client, { teamId: caller.teamId, search: query.search, tag: query.tag, archived: query.archived });
  return {
    plans: plans.map(presentPlan),
  };
});

export const createPlanRoute = defineRoute({ permission: "plan:edit", body: CreatePlanBody }, async ({ app, caller, body }) => {
  const refusal = refusePlanProblems(body.document, body.asDraft);
  if (refusal) return refusal;
  const version = toVersionDocument(body.document, body.asDraft);
  const details = version.document as { name?: unknown; description?: unknown };
  const name = typeof details.name === "string" && details.name.trim() ? details.name.trim() : "Untitled plan";
  const description = typeof details.description === "string" ? details.description : "";
  const created = await createPlan(
    app.db.client,
    { teamId: caller.teamId, ownerId: caller.userId, name, description, tags: body.tags },
    { document: version.document, graphHash: version.graphHash, authorId: caller.userId, message: body.message, isDraft: version.isDraft },
  );
  return Response.json(
    { plan: presentPlan(planRow(created.plan)), version: { number: created.version.number, isDraft: created.version.isDraft } },
    { status: 201, headers: { location: `/api/v1/plans/${created.plan.id}` } },
  );
});

export const getPlanRoute = defineRoute({ permission: "plan:read", params: PlanParams }, async ({ app, caller, params }) => {
  return { plan: presentPlan(planRow(await getPlan(app.db.client, caller.teamId, params.planId))) };
});

export const updatePlanRoute = defineRoute(
  { permission: "plan:edit", params: PlanParams, body: UpdatePlanBody },
  async ({ app, caller, params, body }) => {
    const plan = await getPlan(app.db.client, caller.teamId, params.planId);
    if (body.name !== undefined || body.description !== undefined || body.tags !== undefined) {
      await updatePlanDetails(app.db.client, caller.teamId, plan.id, {
        name: body.name ?? plan.name,
        description: body.description ?? plan.description,
        tags: body.tags ?? (Array.isArray(plan.tags) ? plan.tags.map(String) : []),
      });
    }
    if (body.archived !== undefined) await setPlanArchived(app.db.client, caller.teamId, plan.id, body.archived);
    return { plan: presentPlan(planRow(await getPlan(app.db.client, caller.teamId, plan.id))) };
  },
);

export const listVersionsRoute = defineRoute({ permission: "plan:read", params: PlanParams }, async ({ app, caller, params }) => {
  await getPlan(app.db.client, caller.teamId, params.planId);
  const versions = await listPlanVersions(app.db.client, caller.teamId, params.planId);
  return { versions: versions.map(presentVersion) };
});

export const saveVersionRoute = defineRoute(
  { permission: "plan:edit", params: PlanParams, body: SaveVersionBody },
  async ({ app, caller, params, body }) => {
    await getPlan(app.db.client, caller.teamId, params.planId);
    const refusal = refusePlanProblems(body.document, body.asDraft);
    if (refusal) return refusal;
    const saved = await savePlan(app.db.client, caller, { planId: params.planId, ...body });
    return Response.json(
      { planId: params.planId, version: { number: saved.number, isDraft: saved.isDraft, createdAt: saved.createdAt.toISOString() } },
      { status: 201 },
    );
  },
);

export const getVersionRoute = defineRoute({ permission: "plan:read", params: VersionParams }, async ({ app, caller, params }) => {
  const version = await getPlanVersion(app.db.client, caller.teamId, params.planId, params.number);
  return { version: { planId: params.planId, ...presentVersion(version), document: version.graph } };
});
