/**
 * The MCP tools' backend (lib/mcp/agent-backend.ts) for one caller: the
 * same team scoping, role table and services as /api/v1, so an API token
 * can do exactly the same over MCP as over REST.
 */
import type { DbClient } from "../db/client";
import { DomainError, NotFoundError } from "../db/errors";
import { getPlanVersion } from "../db/plan-versions";
import { getPlan, listPlans } from "../db/plans";
import { listWorkspaces } from "../db/workspaces";
import type { AgentBackend, RunToolResult } from "../mcp/agent-backend";
import { isTerminalNodeStatus } from "../run-events/status";
import type { Caller } from "./authenticate";
import { roleAllows, type Permission } from "./permissions";
import { reportOfRun, waitForReport } from "./run-reports";
import type { RunService } from "./run-service";
import { retryRequestedRun, startRequestedRun, type StartedRequestedRun } from "./start-requested-run";

export function createAgentBackend(deps: { client: DbClient; runs: RunService }, caller: Caller): AgentBackend {
  const scope = { teamId: caller.teamId, userId: caller.userId };
  const allow = (permission: Permission) => {
    if (!roleAllows(caller.role, permission))
      throw new DomainError("forbidden", `Your role (${caller.role}) may not do this (needs ${permission})`);
  };
  const waited = async (started: Pick<StartedRequestedRun, "runId" | "compiled">, waitSeconds: number): Promise<RunToolResult> => {
    const result = await waitForReport(deps, scope, started.runId, waitSeconds);
    const compiled = started.compiled ? { compiled: started.compiled } : {};
    if (result.finished)
      return {
        runId: started.runId,
        finished: true,
        status: result.report.status,
        counts: result.report.counts,
        report: result.report,
        ...compiled,
      };
    return { ...result.progress, finished: false, ...compiled };
  };
  const workspaceIdOf = async (nameOrId: string | undefined) => {
    if (nameOrId === undefined) return undefined;
    const workspaces = await listWorkspaces(deps.client, caller.teamId);
    const found = workspaces.find((candidate) => candidate.id === nameOrId || candidate.name === nameOrId);
    if (!found)
      throw new DomainError(
        "not_found",
        `No workspace "${nameOrId}" in your team; registered: ${workspaces.map((candidate) => candidate.name).join(", ") || "none"}`,
      );
    return found.id;
  };

  return {
    async run(request) {
      allow("run:start");
      const started = await startRequestedRun(deps, caller, { ...request, workspaceId: await workspaceIdOf(request.workspace) });
      return waited(started, request.waitSeconds);
    },
    async retry(runId, plan, waitSeconds) {
      allow("run:repair");
      return waited(await retryRequestedRun(deps, caller, runId, plan), waitSeconds);
    },
    async report(runId) {
      allow("plan:read");
      return reportOfRun(deps.client, caller.teamId, runId);
    },
    async readOutput(runId, nodeId, offset) {
      allow("plan:read");
      const report = await reportOfRun(deps.client, caller.teamId, runId);
      const node = report.nodes.find((candidate) => candidate.id === nodeId);
      if (!node) throw new NotFoundError(`Node "${nodeId}" of run ${runId}`);
      const chunks: string[] = [];
      const stop = await (await deps.runs.openEventStream(scope, runId, 0))((event) => {
        if (event.type === "node.output" && event.nodeId === nodeId) chunks.push(event.data);
      });
      stop();
      const bytes = Buffer.from(chunks.join(""));
      return {
        runId,
        nodeId,
        output: bytes.subarray(Math.min(offset, bytes.length)).toString(),
        nextOffset: bytes.length,
        nodeStatus: node.status,
        // A background command counts as succeeded once ready but keeps printing until the run ends.
        finished:
          report.finished || (isTerminalNodeStatus(node.status) && (node.result as { background?: boolean } | null)?.background !== true),
      };
    },
    async cancel(runId) {
      allow("run:repair");
      await deps.runs.cancelRun(scope, runId);
    },
    async undo(runId, force) {
      allow("run:repair");
      return deps.runs.undo(scope, runId, { force });
    },
    async listPlans(search) {
      allow("plan:read");
      const plans = await listPlans(deps.client, { teamId: caller.teamId, search });
      return plans.map((plan) => ({
        id: plan.id,
        name: plan.name,
        description: plan.description,
        tags: plan.tags,
        latestVersion: plan.latestVersion,
      }));
    },
    async getPlan(planId, versionNumber) {
      allow("plan:read");
      const plan = await getPlan(deps.client, caller.teamId, planId);
      const version = await getPlanVersion(deps.client, caller.teamId, planId, versionNumber);
      return { planId, name: plan.name, versionNumber: version.number, isDraft: version.isDraft, document: version.graph };
    },
  };
}
