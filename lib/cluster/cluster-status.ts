/**
 * What the Workers page shows: every worker seen lately, the queue depth of
 * each tag, and which tags have no live worker (their runs wait, visibly).
 */
import type { DbClient } from "../db/client";
import { filterRunsOfTeam, listWorkers, routeOfRun, type WorkerSummary } from "../db/workers";
import { readQueueDepths, type QueueDispatcher } from "./queue-dispatcher";

export interface ClusterStatus {
  workers: Array<WorkerSummary & { runningCount: number }>;
  queues: Array<{ tag: string; waiting: number; active: number; liveWorkers: number }>;
}

/** Cluster-wide, except run ids: a worker lists only `teamId`'s runs (other teams' are counted, not named). */
export async function readClusterStatus(
  client: DbClient,
  cluster: QueueDispatcher,
  teamId: string,
  workspaceTags: readonly string[],
): Promise<ClusterStatus> {
  const allWorkers = await listWorkers(client);
  const runIds = allWorkers.flatMap((worker) => worker.runningRunIds);
  const ownRuns = await filterRunsOfTeam(client, teamId, runIds);
  const workers = allWorkers.map((worker) => ({
    ...worker,
    runningCount: worker.runningRunIds.length,
    runningRunIds: worker.runningRunIds.filter((runId) => ownRuns.has(runId)),
  }));
  const tags = new Set([...workers.flatMap((worker) => worker.tags), ...workspaceTags]);
  const depths = await readQueueDepths(cluster.queues, tags);
  return {
    workers,
    queues: depths.map((depth) => ({
      ...depth,
      liveWorkers: workers.filter((worker) => worker.alive && worker.tags.includes(depth.tag)).length,
    })),
  };
}

/** Where a run executes, for the run view's header: its worker, or what it waits for. */
export async function describeRunPlacement(
  client: DbClient,
  run: { id: string; status: string; workerId: string | null },
): Promise<string | null> {
  if (run.workerId) return `worker ${run.workerId}`;
  if (run.status !== "queued") return null;
  const { tag } = await routeOfRun(client, run.id);
  const workers = await listWorkers(client);
  return workers.some((worker) => worker.alive && worker.tags.includes(tag))
    ? `queued for tag "${tag}"`
    : `Waiting for a worker with tag "${tag}"`;
}
