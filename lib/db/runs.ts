/** Read side of runs for the screens; the runner writes them through run-store.ts. */
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
