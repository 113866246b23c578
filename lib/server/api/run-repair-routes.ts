/**
 * Repairs of a run that the live run view and scripts share: cancel one
 * node, retry one node and its dependents, resume an interrupted run, undo a
 * run's file changes. Plain JSON routes, so a page that holds a live event
 * stream can call them with fetch.
 */
import { defineRoute } from "../route-handler";
import { NodeParams, RunParams, UndoBody } from "./run-schemas";

const scopeOf = (caller: { teamId: string; userId: string }) => ({ teamId: caller.teamId, userId: caller.userId });

/** POST /api/v1/runs/{runId}/nodes/{nodeId}/cancel */
export const cancelNodeRoute = defineRoute({ permission: "run:repair", params: NodeParams }, async ({ app, caller, params }) => {
  await app.runs.cancelNode(scopeOf(caller), params.runId, params.nodeId);
  return Response.json({ runId: params.runId, nodeId: params.nodeId, cancelling: true }, { status: 202 });
});

/** POST /api/v1/runs/{runId}/nodes/{nodeId}/retry — a new run of the node and its dependents. */
export const retryNodeRoute = defineRoute({ permission: "run:repair", params: NodeParams }, async ({ app, caller, params }) => {
  const { runId } = await app.runs.retryNode(scopeOf(caller), params.runId, params.nodeId);
  return Response.json({ runId }, { status: 202, headers: { location: `/api/v1/runs/${runId}` } });
});

/** POST /api/v1/runs/{runId}/resume — continues an interrupted run in place. */
export const resumeRunRoute = defineRoute({ permission: "run:repair", params: RunParams }, async ({ app, caller, params }) => {
  const { runId } = await app.runs.resume(scopeOf(caller), params.runId);
  return Response.json({ runId }, { status: 202, headers: { location: `/api/v1/runs/${runId}` } });
});

/** POST /api/v1/runs/{runId}/undo — `{restored, conflicts}`; with conflicts and no `force`, nothing is restored. */
export const undoRunRoute = defineRoute(
  { permission: "run:repair", params: RunParams, body: UndoBody },
  async ({ app, caller, params, body }) => app.runs.undo(scopeOf(caller), params.runId, { force: body.force }),
);
