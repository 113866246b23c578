/**
 * Starting a run from what a client sent — a stored plan, an inline plan
 * document or a tool-call batch — for the API's `POST /runs` and the MCP
 * tools alike. Inline plans and compiled batches are recorded as a version of
 * the team's plan with their name first (runs need a stored version).
 */
import type { DbClient } from "../db/client";
import { DomainError } from "../db/errors";
import { getPlanVersion } from "../db/plan-versions";
import { getRunForTeam } from "../db/runs";
import { getWorkspaceForRun } from "../db/workspaces";
import { compileToolCalls } from "../plan/compile-tool-calls";
import type { PlanDocument } from "../plan/schema";
import type { CompiledCall } from "../plan/tool-calls";
import { validatePlan } from "../plan/validate-plan";
import { RequestIssuesError } from "./api-errors";
import type { Caller } from "./authenticate";
import { recordInlinePlan } from "./inline-plan";
import { roleAllows } from "./permissions";
import type { RunService } from "./run-service";

/** What to run: exactly one of `planId`, `plan` or `calls`. */
export interface RunRequest {
  planId?: string;
  versionNumber?: number;
  plan?: unknown;
  calls?: unknown;
  /** The name a tool-call batch's plan is stored under. */
  name?: string;
  workspaceId?: string;
  dryRun?: boolean;
  concurrency?: number;
}

export interface StartedRequestedRun {
  runId: string;
  planId: string;
  versionNumber?: number;
  /** A tool-call batch's plan and where each call went. */
  compiled?: { plan: PlanDocument; calls: CompiledCall[] };
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

/** Validates and records what was sent, then starts the run. Throws DomainErrors (RequestIssuesError with one issue per problem). */
export async function startRequestedRun(
  deps: { client: DbClient; runs: RunService },
  caller: Caller,
  request: RunRequest,
): Promise<StartedRequestedRun> {
  // Checked first, so a refused workspace does not leave an inline plan recorded behind it.
  const workspace = request.workspaceId ? await getWorkspaceForRun(deps.client, caller.teamId, request.workspaceId) : null;
  let target: { planId: string; versionNumber?: number };
  let compiled: StartedRequestedRun["compiled"];
  if (request.plan !== undefined || request.calls !== undefined) {
    // A sent plan is stored as a plan version first, so it also needs the right to edit plans.
    if (!roleAllows(caller.role, "plan:edit")) {
      throw new DomainError("forbidden", `Your role (${caller.role}) may run stored plans but not send new ones (needs plan:edit)`);
    }
    let plan: PlanDocument;
    if (request.calls !== undefined) {
      compiled = compileCalls(request.calls, request.name, workspace?.directory);
      plan = compiled.plan;
    } else plan = validInlinePlan(request.plan);
    target = await recordInlinePlan(deps.client, caller, plan);
  } else {
    target = { planId: request.planId ?? "", versionNumber: request.versionNumber };
  }
  const { runId } = await deps.runs.startPlanRun(
    { teamId: caller.teamId, userId: caller.userId },
    { ...target, workspaceId: request.workspaceId, dryRun: request.dryRun, concurrency: request.concurrency },
  );
  return { runId, ...target, ...(compiled ? { compiled } : {}) };
}

function validInlinePlan(plan: unknown): PlanDocument {
  const validation = validatePlan(plan);
  if (validation.ok) return validation.plan;
  const issues = validation.problems.map((problem) => ({
    path: ["plan", ...problem.path].join("."),
    message: problem.message,
    code: problem.code,
    ...(problem.nodeId ? { nodeId: problem.nodeId } : {}),
  }));
  throw new RequestIssuesError("invalid", `The plan has ${plural(issues.length, "problem")}`, issues);
}

function compileCalls(
  calls: unknown,
  name: string | undefined,
  workspaceRoot: string | undefined,
): NonNullable<StartedRequestedRun["compiled"]> {
  const result = compileToolCalls(calls, { name, workspaceRoot });
  if (result.ok) return { plan: result.plan, calls: result.calls };
  const issues = result.problems.map((problem) => ({
    path: ["calls", ...(problem.callIndex === undefined ? [] : [problem.callIndex]), ...(problem.field ? [problem.field] : [])].join("."),
    message: problem.message,
  }));
  throw new RequestIssuesError("invalid", `${plural(issues.length, "call")} could not be compiled`, issues);
}

/**
 * Retries a run: the failed, skipped and cancelled nodes again, or, with a
 * revised plan, also the nodes it changed and everything downstream (the
 * revision is recorded as a version of the run's plan, under its name).
 */
export async function retryRequestedRun(
  deps: { client: DbClient; runs: RunService },
  caller: Caller,
  runId: string,
  revisedPlan?: unknown,
): Promise<{ runId: string }> {
  const scope = { teamId: caller.teamId, userId: caller.userId };
  if (revisedPlan === undefined) return deps.runs.retryFailed(scope, runId);
  if (!roleAllows(caller.role, "plan:edit")) {
    throw new DomainError("forbidden", `Your role (${caller.role}) may retry runs but not send revised plans (needs plan:edit)`);
  }
  const run = await getRunForTeam(deps.client, caller.teamId, runId);
  const named = typeof revisedPlan === "object" && revisedPlan !== null ? { ...revisedPlan, name: run.plan.name } : revisedPlan;
  const plan = validInlinePlan(named);
  return deps.runs.retryWithPlan(scope, runId, plan, async () => {
    const recorded = await recordInlinePlan(deps.client, caller, plan);
    return (await getPlanVersion(deps.client, caller.teamId, recorded.planId, recorded.versionNumber)).id;
  });
}
