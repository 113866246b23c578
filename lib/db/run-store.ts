/**
 * The runner's persistence port (lib/runner/run-store.ts) on Prisma: runs,
 * node runs, the event log and the file journal. The scheduler calls
 * `persist` with batches, so a run costs a transaction every few
 * milliseconds, not one per event.
 */
import * as z from "../plan/mini-zod";
import { PlanDocument } from "../plan/schema";
import { WorkspaceSandboxSettings } from "../runner/sandbox/sandbox-settings";
import type { FileChangeRecord } from "../runner/journal";
import { RunEvent, NodeError } from "../run-events/run-events";
import type {
  AttemptRecord,
  NewRun,
  NodeRunState,
  PersistBatch,
  RunSettings,
  RunStore,
  StoredFileChange,
  StoredRun,
} from "../runner/run-store";
import type { DbClient } from "./client";
import { Prisma } from "./generated/sqlite/client";
import { StoredDataError } from "./errors";
import { toJsonColumn } from "./json";
import { inTransaction, translated } from "./transaction";

/** Rows as Prisma reads them. */
export type RunRow = Awaited<ReturnType<DbClient["run"]["findUniqueOrThrow"]>>;
export type NodeRunRow = Awaited<ReturnType<DbClient["nodeRun"]["findUniqueOrThrow"]>>;

function jsonOrNull(value: unknown) {
  return value === null || value === undefined ? Prisma.DbNull : toJsonColumn(value);
}

/** Node run ids are derived, so batched persistence can replace rows and keep their ids. */
function nodeRunId(runId: string, nodeId: string): string {
  return `${runId}_${nodeId}`;
}

function nodeRunData(node: NodeRunState) {
  return {
    status: node.status,
    attempt: node.attempt,
    batchId: node.batchId,
    reused: node.reused,
    startedAt: node.startedAt,
    finishedAt: node.finishedAt,
    exitCode: node.exitCode,
    signal: node.signal,
    pid: node.pid,
    error: jsonOrNull(node.error),
    result: jsonOrNull(node.result),
    attempts: toJsonColumn(node.attempts),
  };
}

function toNodeRunState(row: NodeRunRow): NodeRunState {
  return {
    nodeId: row.nodeId,
    status: row.status,
    attempt: row.attempt,
    batchId: row.batchId,
    reused: row.reused,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    exitCode: row.exitCode,
    signal: row.signal,
    pid: row.pid,
    error: row.error === null ? null : storedNodeError(row),
    result: row.result ?? null,
    attempts: Array.isArray(row.attempts) ? (row.attempts as unknown as AttemptRecord[]) : [],
  };
}

/** A stored node error that does not fit the contract is corrupt data: refused loudly rather than shown as no error. */
function storedNodeError(row: NodeRunRow): NodeError {
  const parsed = NodeError.safeParse(row.error);
  if (parsed.success) return parsed.data;
  throw new StoredDataError(
    `Node "${row.nodeId}" of run ${row.runId}: its stored error does not fit the NodeError contract (${z.prettifyError(parsed.error)})`,
  );
}

/** A stored event that does not fit the contract is corrupt data: refused loudly, since a reader would otherwise miss it. */
function storedEvent(runId: string, row: { seq: number; payload: unknown }): RunEvent {
  const parsed = RunEvent.safeParse(row.payload);
  if (parsed.success) return parsed.data;
  throw new StoredDataError(
    `Event ${row.seq} of run ${runId}: its payload does not fit the RunEvent contract (${z.prettifyError(parsed.error)})`,
  );
}

/** A run's stored settings, read defensively (older runs lack newer fields). */
export function toRunSettings(value: unknown): RunSettings {
  const settings = (typeof value === "object" && value !== null ? value : {}) as Partial<RunSettings>;
  return {
    concurrency: typeof settings.concurrency === "number" ? settings.concurrency : 8,
    keepBackground: settings.keepBackground === true,
    runnerPid: typeof settings.runnerPid === "number" ? settings.runnerPid : undefined,
    sandbox: WorkspaceSandboxSettings.safeParse(settings.sandbox ?? {}).data,
    sandboxed: settings.sandboxed === false ? false : undefined,
  };
}

/**
 * A run as the runner sees it, from its row, its plan version's graph and its
 * node rows (read by {@link createPrismaRunStore}'s loadRun, or by a cluster
 * worker's claim in one statement: lib/db/workers.ts).
 */
export function toStoredRun(run: RunRow, graph: unknown, nodeRows: readonly NodeRunRow[]): StoredRun {
  return {
    id: run.id,
    teamId: run.teamId,
    planId: run.planId,
    planVersionId: run.planVersionId,
    workspaceId: run.workspaceId,
    startedById: run.startedById,
    parentRunId: run.parentRunId,
    directory: run.directory,
    status: run.status,
    settings: toRunSettings(run.settings),
    dryRun: run.dryRun,
    lastEventSeq: run.lastEventSeq,
    error: run.error,
    plan: PlanDocument.parse(graph),
    nodes: nodeRows.map(toNodeRunState),
  };
}

function bytes(value: Buffer | null): Uint8Array<ArrayBuffer> | null {
  return value === null ? null : new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength) as ArrayBuffer);
}

/** A file change's row; its contents as `content` encodes them (bytes for Prisma, base64 for one-statement flushes). */
export function fileChangeRow<Content>(runId: string, change: FileChangeRecord, content: (bytes: Buffer | null) => Content) {
  return {
    runId,
    nodeId: change.nodeId,
    seq: change.seq,
    path: change.path,
    operation: change.operation,
    beforeHash: change.beforeHash,
    afterHash: change.afterHash,
    beforeContent: content(change.before),
    afterContent: content(change.after),
    beforeMode: change.beforeMode ?? null,
    createdDirectory: change.createdDirectory ?? null,
  };
}

/**
 * A RunStore on a Prisma client (SQLite or PostgreSQL).
 *
 * @example
 * const resources = createRunnerResources({ store: createPrismaRunStore(db.client) });
 */
export function createPrismaRunStore(client: DbClient): RunStore {
  return {
    async createRun(input: NewRun) {
      return inTransaction(client, async (tx) => {
        const run = await tx.run.create({
          data: {
            id: input.id,
            teamId: input.teamId,
            planId: input.planId,
            planVersionId: input.planVersionId,
            workspaceId: input.workspaceId ?? null,
            directory: input.directory,
            settings: toJsonColumn(input.settings),
            dryRun: input.dryRun,
            startedById: input.startedById,
            parentRunId: input.parentRunId ?? null,
          },
          select: { id: true },
        });
        if (input.nodes.length) {
          await tx.nodeRun.createMany({
            data: input.nodes.map((node) => ({
              id: nodeRunId(run.id, node.nodeId),
              runId: run.id,
              nodeId: node.nodeId,
              status: node.status,
              attempt: node.attempt,
              batchId: node.batchId,
              reused: node.reused,
              exitCode: node.exitCode ?? null,
              error: jsonOrNull(node.error),
              result: jsonOrNull(node.result),
            })),
          });
        }
        return run;
      });
    },

    async persist(batch: PersistBatch) {
      await inTransaction(client, async (tx) => {
        if (batch.events.length) {
          await tx.runEvent.createMany({
            data: batch.events.map((event) => ({
              runId: batch.runId,
              seq: event.seq,
              type: event.type,
              nodeId: "nodeId" in event ? event.nodeId : null,
              payload: toJsonColumn(event),
            })),
          });
        }
        if (batch.nodes.length) {
          // Two statements for any number of nodes (one update per node costs a round trip each):
          // rows are replaced under their stable ids, inside the transaction.
          const nodeIds = batch.nodes.map((node) => node.nodeId);
          await tx.nodeRun.deleteMany({ where: { runId: batch.runId, nodeId: { in: nodeIds } } });
          await tx.nodeRun.createMany({
            data: batch.nodes.map((node) => ({
              id: nodeRunId(batch.runId, node.nodeId),
              runId: batch.runId,
              nodeId: node.nodeId,
              ...nodeRunData(node),
            })),
          });
        }
        if (batch.fileChanges.length) {
          await tx.fileChange.createMany({ data: batch.fileChanges.map((change) => fileChangeRow(batch.runId, change, bytes)) });
        }
        await tx.run.update({
          where: { id: batch.runId },
          data: {
            lastEventSeq: batch.lastEventSeq,
            ...(batch.run.status ? { status: batch.run.status } : {}),
            ...(batch.run.startedAt ? { startedAt: batch.run.startedAt } : {}),
            ...(batch.run.finishedAt !== undefined ? { finishedAt: batch.run.finishedAt } : {}),
            ...(batch.run.error !== undefined ? { error: batch.run.error } : {}),
          },
        });
      });
    },

    async loadRun(runId: string): Promise<StoredRun | null> {
      const run = await translated(
        client.run.findUnique({
          where: { id: runId },
          include: { nodeRuns: true, planVersion: { select: { graph: true } } },
        }),
      );
      return run && toStoredRun(run, run.planVersion.graph, run.nodeRuns);
    },

    async findRunIds(statuses) {
      const rows = await translated(client.run.findMany({ where: { status: { in: statuses } }, select: { id: true } }));
      return rows.map((row) => row.id);
    },

    async listFileChanges(runId: string): Promise<StoredFileChange[]> {
      const rows = await translated(client.fileChange.findMany({ where: { runId }, orderBy: { seq: "asc" } }));
      return rows.map((row) => ({
        id: row.id,
        seq: row.seq,
        nodeId: row.nodeId,
        path: row.path,
        operation: row.operation as FileChangeRecord["operation"],
        before: row.beforeContent ? Buffer.from(row.beforeContent) : null,
        after: row.afterContent ? Buffer.from(row.afterContent) : null,
        beforeHash: row.beforeHash,
        afterHash: row.afterHash,
        beforeMode: row.beforeMode,
        createdDirectory: row.createdDirectory,
        revertedAt: row.revertedAt,
      }));
    },

    async markFileChangesReverted(runId: string, ids: string[], at: Date) {
      await translated(client.fileChange.updateMany({ where: { runId, id: { in: ids } }, data: { revertedAt: at } }));
    },

    async listEvents(runId: string, afterSeq: number) {
      const rows = await translated(
        client.runEvent.findMany({
          where: { runId, seq: { gt: afterSeq } },
          orderBy: { seq: "asc" },
          select: { seq: true, payload: true },
        }),
      );
      return rows.map((row) => storedEvent(runId, row));
    },
  };
}
