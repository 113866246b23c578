/** Read side of runs for the screens; the runner writes them through run-store.ts. */
import { NotFoundError } from "./errors";
import type { DbExecutor } from "./transaction";
import type { RunStatus } from "./generated/sqlite/enums";

export interface RunListQuery {
  teamId: string;
  planId?: string;
  status?: RunStatus;
  limit?: number;
}

/** Runs of a team, newest first, with the plan's name and who started them. */
export async function listRuns(client: DbExecutor, query: RunListQuery) {
  return client.run.findMany({
    where: { teamId: query.teamId, ...(query.planId ? { planId: query.planId } : {}), ...(query.status ? { status: query.status } : {}) },
    orderBy: { createdAt: "desc" },
    take: query.limit ?? 100,
    include: {
      plan: { select: { name: true } },
      planVersion: { select: { number: true } },
      startedBy: { select: { name: true } },
    },
  });
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
