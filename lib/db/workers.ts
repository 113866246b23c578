/**
 * Cluster workers as the database sees them: each live worker rewrites its
 * row every few seconds (its heartbeat), so any process can tell which
 * workers are alive, which tags they serve and which runs they hold.
 */
import type { StoredRun } from "../runner/run-store";
import { toJsonColumn } from "./json";
import { toStoredRun, type NodeRunRow, type RunRow } from "./run-store";
import { translated, type DbExecutor } from "./transaction";

/** A worker whose heartbeat is older than this is dead (it beats every {@link HEARTBEAT_INTERVAL_MS}). */
export const WORKER_DEAD_AFTER_MS = 8_000;
export const HEARTBEAT_INTERVAL_MS = 2_000;

/** What a worker reports about itself. */
export interface WorkerBeat {
  id: string;
  host: string;
  pid: number;
  tags: string[];
  concurrency: number;
  runningRunIds: string[];
}

/** A worker as listed on the Workers page. */
export interface WorkerSummary extends WorkerBeat {
  startedAt: Date;
  heartbeatAt: Date;
  stoppedAt: Date | null;
  alive: boolean;
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** Writes a worker's heartbeat (creating its row on the first beat). */
export async function recordWorkerHeartbeat(client: DbExecutor, beat: WorkerBeat, now = new Date()): Promise<void> {
  const data = {
    host: beat.host,
    pid: beat.pid,
    tags: toJsonColumn(beat.tags),
    concurrency: beat.concurrency,
    runningRunIds: toJsonColumn(beat.runningRunIds),
    heartbeatAt: now,
    stoppedAt: null,
  };
  await client.worker.upsert({ where: { id: beat.id }, create: { id: beat.id, startedAt: now, ...data }, update: data });
}

/** Marks a worker stopped cleanly: its runs were finished or handed over. */
export async function markWorkerStopped(client: DbExecutor, workerId: string, now = new Date()): Promise<void> {
  await client.worker.updateMany({ where: { id: workerId }, data: { stoppedAt: now, runningRunIds: toJsonColumn([]) } });
}

/** Every worker seen in the last day, newest heartbeat first. */
export async function listWorkers(client: DbExecutor, now = new Date()): Promise<WorkerSummary[]> {
  const rows = await client.worker.findMany({
    where: { heartbeatAt: { gte: new Date(now.getTime() - 24 * 3600_000) } },
    orderBy: { heartbeatAt: "desc" },
  });
  return rows.map((row) => ({
    id: row.id,
    host: row.host,
    pid: row.pid,
    tags: stringArray(row.tags),
    concurrency: row.concurrency,
    runningRunIds: stringArray(row.runningRunIds),
    startedAt: row.startedAt,
    heartbeatAt: row.heartbeatAt,
    stoppedAt: row.stoppedAt,
    alive: row.stoppedAt === null && now.getTime() - row.heartbeatAt.getTime() < WORKER_DEAD_AFTER_MS,
  }));
}

/** Whether a worker is alive: a fresh heartbeat and not stopped. */
export async function isWorkerAlive(client: DbExecutor, workerId: string, now = new Date()): Promise<boolean> {
  const row = await client.worker.findUnique({ where: { id: workerId }, select: { heartbeatAt: true, stoppedAt: true } });
  return row !== null && row.stoppedAt === null && now.getTime() - row.heartbeatAt.getTime() < WORKER_DEAD_AFTER_MS;
}

/** Tags some worker has ever served: a workspace or run with any other tag is refused as unknown. */
export async function listKnownWorkerTags(client: DbExecutor): Promise<Set<string>> {
  const rows = await client.worker.findMany({ select: { tags: true } });
  return new Set(rows.flatMap((row) => stringArray(row.tags)));
}

/**
 * Records that `workerId` resumes an interrupted run (the run view names it);
 * false when the run is in any other state, which a takeover decides about.
 */
export async function claimInterruptedRun(client: DbExecutor, runId: string, workerId: string): Promise<boolean> {
  const { count } = await client.run.updateMany({ where: { id: runId, status: "interrupted" }, data: { workerId } });
  return count === 1;
}

/** A queued run a worker claimed, with what executing it needs. */
export interface ClaimedRun {
  run: StoredRun;
  /** The name of the run's workspace (a worker may keep it elsewhere on its disk); null for a scratch run. */
  workspaceName: string | null;
}

/** A claimed row as the statement below returns it: node timestamps come as epoch milliseconds inside the JSON. */
type ClaimedRow = RunRow & {
  graph: unknown;
  workspaceName: string | null;
  nodes: Array<Omit<NodeRunRow, "startedAt" | "finishedAt"> & { startedAt: number | null; finishedAt: number | null }>;
};

const dateOrNull = (epochMs: number | null) => (epochMs === null ? null : new Date(epochMs));

/**
 * Claims a queued run no worker holds for `workerId`, and reads it with its
 * plan and node states, in one statement: null when the run is in any other
 * state (the caller then decides about resuming or taking it over). The
 * common case of every run, so it skips Prisma's per-query compilation; the
 * conditional UPDATE takes the row lock, so of workers racing for a run
 * exactly one gets it. PostgreSQL only, as cluster mode is.
 */
export async function claimQueuedRun(client: DbExecutor, runId: string, workerId: string): Promise<ClaimedRun | null> {
  const [row] = await translated(
    client.$queryRaw<ClaimedRow[]>`
      WITH claimed AS (
        UPDATE "Run" SET "workerId" = ${workerId}
        WHERE "id" = ${runId} AND "status" = 'queued' AND "workerId" IS NULL
        RETURNING *
      )
      SELECT claimed.*, version."graph", workspace."name" AS "workspaceName",
        (SELECT COALESCE(json_agg(to_jsonb(node) || jsonb_build_object(
            'startedAt', extract(epoch FROM node."startedAt") * 1000,
            'finishedAt', extract(epoch FROM node."finishedAt") * 1000)), '[]')
          FROM "NodeRun" node WHERE node."runId" = claimed."id") AS "nodes"
      FROM claimed
      JOIN "PlanVersion" version ON version."id" = claimed."planVersionId"
      LEFT JOIN "Workspace" workspace ON workspace."id" = claimed."workspaceId"`,
  );
  if (!row) return null;
  const nodes = row.nodes.map((node) => ({ ...node, startedAt: dateOrNull(node.startedAt), finishedAt: dateOrNull(node.finishedAt) }));
  return { run: toStoredRun(row, row.graph, nodes), workspaceName: row.workspaceName };
}

/** Records which worker executes a run (the run view names it). */
export async function assignRunToWorker(client: DbExecutor, runId: string, workerId: string): Promise<void> {
  await client.run.update({ where: { id: runId }, data: { workerId } });
}

/** Which queue a run goes to (its workspace's tag), and the workspace's name, by which workers know where it is on their disk. */
export interface RunRoute {
  tag: string;
  /** Null for a scratch run (or a workspace that is gone). */
  workspaceName: string | null;
}

/** A workspace that is gone, or a scratch run: the `default` tag. */
function routeOf(workspace: { tag: string; name: string } | null | undefined): RunRoute {
  return { tag: workspace?.tag ?? "default", workspaceName: workspace?.name ?? null };
}

/** The route of a run: its workspace's, or `default` for a scratch run. */
export async function routeOfRun(client: DbExecutor, runId: string): Promise<RunRoute> {
  const run = await client.run.findUnique({ where: { id: runId }, select: { workspace: { select: { tag: true, name: true } } } });
  return routeOf(run?.workspace);
}

/** The route of a workspace's runs. */
export async function routeOfWorkspace(client: DbExecutor, workspaceId: string): Promise<RunRoute> {
  return routeOf(await client.workspace.findUnique({ where: { id: workspaceId }, select: { tag: true, name: true } }));
}

/** What a worker needs to decide about a run it took from the queue: its status, holder, directory and workspace name. */
export async function readRunPlacement(client: DbExecutor, runId: string) {
  const run = await client.run.findUnique({
    where: { id: runId },
    select: { status: true, workerId: true, directory: true, workspace: { select: { name: true } } },
  });
  return run && { status: run.status, workerId: run.workerId, directory: run.directory, workspaceName: run.workspace?.name ?? null };
}

/** The host a worker runs on (null when unknown). */
export async function hostOfWorker(client: DbExecutor, workerId: string): Promise<string | null> {
  return (await client.worker.findUnique({ where: { id: workerId }, select: { host: true } }))?.host ?? null;
}

/**
 * Runs that should be in a queue of one of `tags`: queued, or running or
 * interrupted-by-handover on a worker that is no longer alive. The
 * reconciler re-enqueues those the queue lost (a Redis restart).
 */
export async function listRunsAwaitingWorker(client: DbExecutor, tags: readonly string[], now = new Date()) {
  const tagFilter = tags.includes("default")
    ? { OR: [{ workspaceId: null }, { workspace: { tag: { in: [...tags] } } }] }
    : { workspace: { tag: { in: [...tags] } } };
  const runs = await client.run.findMany({
    where: { status: { in: ["queued", "running"] }, ...tagFilter },
    select: { id: true, status: true, workerId: true },
    take: 10_000,
  });
  const workerIds = [...new Set(runs.map((run) => run.workerId).filter((id): id is string => id !== null))];
  const workers = await client.worker.findMany({
    where: { id: { in: workerIds } },
    select: { id: true, heartbeatAt: true, stoppedAt: true },
  });
  const alive = new Set(
    workers
      .filter((worker) => worker.stoppedAt === null && now.getTime() - worker.heartbeatAt.getTime() < WORKER_DEAD_AFTER_MS)
      .map((worker) => worker.id),
  );
  return runs.filter((run) => run.status === "queued" || run.workerId === null || !alive.has(run.workerId)).map((run) => run.id);
}

/** Sets the tag that routes a workspace's runs. */
export async function setWorkspaceTag(client: DbExecutor, teamId: string, workspaceId: string, tag: string): Promise<void> {
  await client.workspace.updateMany({ where: { id: workspaceId, teamId }, data: { tag } });
}

/** Which of `runIds` belong to `teamId` (the Workers page names only the caller's team's runs). */
export async function filterRunsOfTeam(client: DbExecutor, teamId: string, runIds: string[]): Promise<Set<string>> {
  const runs = await client.run.findMany({ where: { id: { in: runIds }, teamId }, select: { id: true } });
  return new Set(runs.map((run) => run.id));
}
