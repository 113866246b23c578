/**
 * The run endpoints of /api/v1, on the server's in-process runner
 * (app.runs). Every lookup is scoped to the caller's team, so another team's
 * run answers 404 exactly like a missing one.
 */
import { getFileChange, listNodeResults } from "../../db/run-results";
import { getRunForTeam, listRuns } from "../../db/runs";
import { getWorkspaceForRun } from "../../db/workspaces";
import { validatePlan } from "../../plan/validate-plan";
import { unifiedDiff } from "../../runner/diff";
import { isTerminalRunStatus } from "../../runner/status";
import { apiError } from "../api-errors";
import { roleAllows } from "../permissions";
import { recordInlinePlan } from "../inline-plan";
import { defineRoute } from "../route-handler";
import type { RunScope } from "../run-service";
import { resumePointOf, runEventStream, wantsBatches } from "../sse";
import { ChangeParams, ListRunsQuery, NodeParams, RunParams, StartRunBody, type FileChangeDetail, type NodeResult, type RunSummary } from "./run-schemas";

const iso = (date: Date | null) => date?.toISOString() ?? null;

type RunRow = Awaited<ReturnType<typeof getRunForTeam>>;

function presentRun(run: RunRow): RunSummary {
  return {
    id: run.id,
    planId: run.planId,
    planName: run.plan.name,
    versionNumber: run.planVersion.number,
    status: run.status,
    dryRun: run.dryRun,
    workspaceId: run.workspaceId,
    parentRunId: run.parentRunId,
    startedBy: run.startedBy.name,
    error: run.error,
    createdAt: run.createdAt.toISOString(),
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
  };
}

type NodeRow = Awaited<ReturnType<typeof listNodeResults>>[number];

function presentNode(node: NodeRow): NodeResult {
  return {
    nodeId: node.nodeId,
    status: node.status,
    attempt: node.attempt,
    reused: node.reused,
    startedAt: iso(node.startedAt),
    finishedAt: iso(node.finishedAt),
    exitCode: node.exitCode,
    signal: node.signal,
    error: node.error ?? null,
    result: node.result ?? null,
  };
}

const scopeOf = (caller: { teamId: string; userId: string }): RunScope => ({ teamId: caller.teamId, userId: caller.userId });

export const startRunRoute = defineRoute({ permission: "run:start", body: StartRunBody }, async ({ app, caller, body }) => {
  // Checked first, so a refused workspace does not leave an inline plan recorded behind it.
  if (body.workspaceId) await getWorkspaceForRun(app.db.client, caller.teamId, body.workspaceId);
  let target: { planId: string; versionNumber?: number };
  if (body.plan !== undefined) {
    // An inline plan is stored as a plan version first, so it also needs the right to edit plans.
    if (!roleAllows(caller.role, "plan:edit")) {
      return apiError("forbidden", `Your role (${caller.role}) may run stored plans but not send new ones (needs plan:edit)`);
    }
    const validation = validatePlan(body.plan);
    if (!validation.ok) {
      const issues = validation.problems.map((problem) => ({
        path: ["plan", ...problem.path].join("."),
        message: problem.message,
        code: problem.code,
        ...(problem.nodeId ? { nodeId: problem.nodeId } : {}),
      }));
      return apiError("invalid", `The plan has ${issues.length} problem${issues.length === 1 ? "" : "s"}`, issues);
    }
    target = await recordInlinePlan(app.db.client, caller, validation.plan);
  } else {
    target = { planId: body.planId ?? "", versionNumber: body.versionNumber };
  }
  const { runId } = await app.runs.startPlanRun(scopeOf(caller), {
    ...target,
    workspaceId: body.workspaceId,
    dryRun: body.dryRun,
    concurrency: body.concurrency,
  });
  return Response.json({ runId, ...target }, { status: 202, headers: { location: `/api/v1/runs/${runId}` } });
});

export const listRunsRoute = defineRoute({ permission: "plan:read", query: ListRunsQuery }, async ({ app, caller, query }) => {
  const runs = await listRuns(app.db.client, { teamId: caller.teamId, planId: query.planId, status: query.status, limit: query.limit });
  return { runs: runs.map(presentRun) };
});

export const getRunRoute = defineRoute({ permission: "plan:read", params: RunParams }, async ({ app, caller, params }) => {
  const run = await getRunForTeam(app.db.client, caller.teamId, params.runId);
  const nodes = await listNodeResults(app.db.client, caller.teamId, run.id);
  return { run: { ...presentRun(run), nodes: nodes.map(presentNode) } };
});

export const retryFailedRoute = defineRoute({ permission: "run:repair", params: RunParams }, async ({ app, caller, params }) => {
  const { runId } = await app.runs.retryFailed(scopeOf(caller), params.runId);
  return Response.json({ runId }, { status: 202, headers: { location: `/api/v1/runs/${runId}` } });
});

export const cancelRunRoute = defineRoute({ permission: "run:repair", params: RunParams }, async ({ app, caller, params }) => {
  await app.runs.cancelRun(scopeOf(caller), params.runId);
  return Response.json({ runId: params.runId, cancelling: true }, { status: 202 });
});

/** The run's events as SSE, resuming after Last-Event-ID (or ?after=), batched with ?batch=1; the stream ends at the run's final status. */
export const streamRunEventsRoute = defineRoute({ permission: "plan:read", params: RunParams }, async ({ app, caller, params, request, stillAuthorised }) => {
  const after = resumePointOf(request);
  const run = await getRunForTeam(app.db.client, caller.teamId, params.runId);
  // A finished run resumed after its last event has nothing more to say: end at once instead of waiting for a final event that was already sent.
  if (isTerminalRunStatus(run.status) && after >= run.lastEventSeq) {
    return new Response("retry: 1000\n\n", { headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" } });
  }
  const subscribe = await app.runs.openEventStream(scopeOf(caller), params.runId, after);
  return runEventStream(request, subscribe, (event) => event.type === "run.status" && isTerminalRunStatus(event.status), {
    batch: wantsBatches(request),
    stillAllowed: stillAuthorised,
    accessCheckMs: app.env.BATCHBOARD_STREAM_ACCESS_CHECK_MS,
  });
});

/** A node's stored stdout and stderr, in order, as text (replays what is stored, and buffered for a live run). */
export const getNodeLogRoute = defineRoute({ permission: "plan:read", params: NodeParams }, async ({ app, caller, params }) => {
  const subscribe = await app.runs.openEventStream(scopeOf(caller), params.runId, 0);
  const chunks: string[] = [];
  const stop = await subscribe((event) => {
    if (event.type === "node.output" && event.nodeId === params.nodeId) chunks.push(event.data);
  });
  stop();
  return new Response(chunks.join(""), {
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "content-disposition": `attachment; filename="${params.runId}-${params.nodeId}.log"`,
    },
  });
});

/** One journalled change with its diff, computed from the bytes before and after (events carry only its `changeSeq`). */
export const getFileChangeRoute = defineRoute({ permission: "plan:read", params: ChangeParams }, async ({ app, caller, params }) => {
  const change = await getFileChange(app.db.client, caller.teamId, params.runId, params.changeSeq);
  const toBuffer = (bytes: Uint8Array | null) => (bytes === null ? null : Buffer.from(bytes));
  const detail: FileChangeDetail = {
    changeSeq: change.seq,
    nodeId: change.nodeId,
    path: change.path,
    operation: change.operation as FileChangeDetail["operation"],
    diff: unifiedDiff(change.path, toBuffer(change.beforeContent), toBuffer(change.afterContent)),
    revertedAt: iso(change.revertedAt),
  };
  return detail;
});
