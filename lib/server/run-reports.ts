/**
 * Run reports for the API and MCP: a team-scoped run's {@link RunReport},
 * and "start, then wait up to N seconds for the report" for one-call clients.
 */
import type { DbClient } from "../db/client";
import { NotFoundError } from "../db/errors";
import { createPrismaRunStore } from "../db/run-store";
import { getRunForTeam } from "../db/runs";
import { loadRunReport } from "../runner/build-run-report";
import type { RunReport } from "../runner/run-report";
import type { RunScope, RunService } from "./run-service";

/** The report of one of the team's runs (another team's run reads as missing). */
export async function reportOfRun(client: DbClient, teamId: string, runId: string): Promise<RunReport> {
  await getRunForTeam(client, teamId, runId);
  const report = await loadRunReport(createPrismaRunStore(client), runId);
  if (!report) throw new NotFoundError("Run");
  return report;
}

/** A finished run's report, or the run's progress so far when `waitSeconds` ran out first. */
export type WaitedRun =
  | { finished: true; report: RunReport }
  | { finished: false; progress: Pick<RunReport, "runId" | "status" | "counts"> };

/** Waits up to `waitSeconds` for a run to finish and answers its report, or its progress so far. */
export async function waitForReport(
  deps: { client: DbClient; runs: RunService },
  scope: RunScope,
  runId: string,
  waitSeconds: number,
): Promise<WaitedRun> {
  const finished = await deps.runs.waitForRun(scope, runId, waitSeconds * 1000);
  const report = await reportOfRun(deps.client, scope.teamId, runId);
  if (finished) return { finished: true, report };
  return { finished: false, progress: { runId, status: report.status, counts: report.counts } };
}
