/** Read side of runs for the screens; the runner writes them through run-store.ts. */
import { NotFoundError } from "./errors";
import type { DbExecutor } from "./transaction";
import type { NodeStatus, RunStatus } from "./generated/sqlite/enums";

export interface RunListQuery {
  teamId: string;
  planId?: string;
  status?: RunStatus;
  limit?: number;
}

/** Runs of a team, newest first, with the plan's name, who started them and node counts by status. */
export async function listRuns(client: DbExecutor, query: RunListQuery) {
  const runs = await client.run.findMany({
    where: { teamId: query.teamId, ...(query.planId ? { planId: query.planId } : {}), ...(query.status ? { status: query.status } : {}) },
    orderBy: { createdAt: "desc" },
    take: query.limit ?? 100,
    include: {
      plan: { select: { name: true } },
      planVersion: { select: { number: true } },
      startedBy: { select: { name: true } },
    },
  });
  const groups = runs.length
    ? await client.nodeRun.groupBy({ by: ["runId", "status"], where: { runId: { in: runs.map((run) => run.id) } }, _count: { _all: true } })
    : [];
  const countsOf = new Map<string, Partial<Record<NodeStatus, number>>>();
  for (const group of groups) {
    const counts = countsOf.get(group.runId) ?? {};
    counts[group.status] = group._count._all;
    countsOf.set(group.runId, counts);
  }
  return runs.map((run) => ({ ...run, nodeCounts: countsOf.get(run.id) ?? {} }));
}

/** A team's run, or NotFoundError: another team's run reads exactly like a missing one. */
export async function getRunForTeam(client: DbExecutor, teamId: string, runId: string) {
  const run = await client.run.findFirst({
    where: { id: runId, teamId },
    include: { plan: { select: { name: true } }, planVersion: { select: { number: true } }, startedBy: { select: { name: true } } },
  });
  if (!run) throw new NotFoundError("Run");
  return run;
}

/** A team's run's status (what a caller waiting for the run reads), or NotFoundError. */
export async function getRunStatusForTeam(client: DbExecutor, teamId: string, runId: string): Promise<RunStatus> {
  const run = await client.run.findFirst({ where: { id: runId, teamId }, select: { status: true } });
  if (!run) throw new NotFoundError("Run");
  return run.status;
}

/** The plan document a team's run executed. */
export async function getRunPlanGraph(client: DbExecutor, teamId: string, runId: string): Promise<unknown> {
  const version = await client.planVersion.findFirst({ where: { runs: { some: { id: runId, teamId } } }, select: { graph: true } });
  if (!version) throw new NotFoundError("Run");
  return version.graph;
}
