/**
 * The run endpoints of /api/v1, on the server's in-process runner
 * (app.runs). Every lookup is scoped to the caller's team, so another team's
 * run answers 404 exactly like a missing one.
 */
import { getFileChange, listNodeResults } from "../../db/run-results";
import { getRunForTeam, listRuns } from "../../db/runs";
import { unifiedDiff } from "../../runner/diff";
import { isTerminalRunStatus } from "../../run-events/status";
import { defineRoute } from "../route-handler";
import type { RunScope } from "../run-service";
import { resumePointOf, runEventStream, wantsBatches } from "../sse";
import { reportOfRun, waitForReport } from "../run-reports";
import { retryRequestedRun, startRequestedRun } from "../start-requested-run";
import {
  ChangeParams,
  ListRunsQuery,
  NodeParams,
  RetryRunBody,
  RunParams,
  StartRunBody,
  StartRunQuery,
  type FileChangeDetail,
  type NodeResult,
  type RunSummary,
} from "./run-schemas";

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

export const startRunRoute = defineRoute(
  { permission: "run:start", body: StartRunBody, query: StartRunQuery },
  async ({ app, caller, body, query }) => {
    const deps = { client: app.db.client, runs: app.runs };
    const { runId, ...started } = await startRequestedRun(deps, caller, body);
    const location = { location: `/api/v1/runs/${runId}` };
    if (query.wait === undefined) return Response.json({ runId, ...started }, { status: 202, headers: location });
    const waited = await waitForReport(deps, scopeOf(caller), runId, query.wait);
    if (waited.finished)
      return Response.json(
        { ...waited.report, ...(started.compiled ? { compiled: started.compiled } : {}) },
        { status: 200, headers: location },
      );
    return Response.json({ ...started, ...waited.progress }, { status: 202, headers: location });
  },
);

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

/** POST /api/v1/runs/{runId}/retry — a retry, optionally with a revised plan; `?wait=` as for starting a run. */
export const retryRunRoute = defineRoute(
  { permission: "run:repair", params: RunParams, body: RetryRunBody, query: StartRunQuery },
  async ({ app, caller, params, body, query }) => {
    const deps = { client: app.db.client, runs: app.runs };
    const { runId } = await retryRequestedRun(deps, caller, params.runId, body.plan);
    const location = { location: `/api/v1/runs/${runId}` };
    if (query.wait === undefined) return Response.json({ runId }, { status: 202, headers: location });
    const waited = await waitForReport(deps, scopeOf(caller), runId, query.wait);
    return waited.finished
      ? Response.json(waited.report, { status: 200, headers: location })
      : Response.json(waited.progress, { status: 202, headers: location });
  },
);

export const cancelRunRoute = defineRoute({ permission: "run:repair", params: RunParams }, async ({ app, caller, params }) => {
  await app.runs.cancelRun(scopeOf(caller), params.runId);
  return Response.json({ runId: params.runId, cancelling: true }, { status: 202 });
});

/** The run's events as SSE, resuming after Last-Event-ID (or ?after=), batched with ?batch=1; the stream ends at the run's final status. */
export const streamRunEventsRoute = defineRoute(
  { permission: "plan:read", params: RunParams },
  async ({ app, caller, params, request, stillAuthorised }) => {
    const after = resumePointOf(request);
    const run = await getRunForTeam(app.db.client, caller.teamId, params.runId);
    // A finished run resumed after its last event has nothing more to say: end at once instead of waiting for a final event that was already sent.
    if (isTerminalRunStatus(run.status) && after >= run.lastEventSeq) {
      return new Response("retry: 1000\n\n", {
        headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" },
      });
    }
    const subscribe = await app.runs.openEventStream(scopeOf(caller), params.runId, after);
    return runEventStream(request, subscribe, (event) => event.type === "run.status" && isTerminalRunStatus(event.status), {
      batch: wantsBatches(request),
      stillAllowed: stillAuthorised,
      accessCheckMs: app.env.BATCHBOARD_STREAM_ACCESS_CHECK_MS,
    });
  },
);

/** The run's report: per-node results, output tails, diffs, skip and rollback reasons, what a retry would run. */
export const getRunReportRoute = defineRoute({ permission: "plan:read", params: RunParams }, async ({ app, caller, params }) =>
  reportOfRun(app.db.client, caller.teamId, params.runId),
);

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
