/**
 * The hot writes of a run — creating it with its node rows, and each flush of
 * events, node states and file changes — as prepared statements on
 * better-sqlite3, for SQLite. Prisma's per-row argument processing costs ~50×
 * more than the insert itself (creating a 2,000-node run spent 0.3–1.8 s in
 * query compilation before its first command could start); rows are written
 * in the exact formats Prisma reads back (ISO dates with an explicit offset,
 * JSON as text, booleans as 0/1). Used by the threaded store and the CLI.
 */
import { openSqliteFile } from "./sqlite-file";
import type { NewRun, NodeRunState, PersistBatch, RunStore } from "../runner/run-store";
import { newRunRowValues } from "./new-run-row";
import { newRowId } from "./row-id";

/** How long an SQLite connection waits for another process's write lock. */
export const BUSY_TIMEOUT_MS = 10_000;

/** A date as Prisma writes it to SQLite: ISO 8601 with an explicit offset. */
export function isoDate(date: Date | null | undefined): string | null {
  return date ? date.toISOString().replace("Z", "+00:00") : null;
}

function json(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/** Writes new runs and {@link PersistBatch}es to an SQLite file. */
export interface SqliteRunWriter {
  /**
   * Inserts the run's row, with the rows of nodes carried over from a parent
   * run (the run view reads those at once), and returns its id; the pending
   * nodes' rows, which say nothing yet (20,000 for a large plan: ~0.1 s), are
   * left for {@link writeDeferred}, so the run can start while they are written.
   */
  createRun(input: NewRun): { id: string };
  /** Writes what {@link createRun} deferred; every other write does it first, so a run's node rows precede its state. */
  writeDeferred(): void;
  persist(batch: PersistBatch): void;
  close(): void;
}

/** Opens a second connection to the SQLite file for batched run writes. */
export function createSqliteRunWriter(filePath: string): SqliteRunWriter {
  const db = openSqliteFile(filePath, { timeout: BUSY_TIMEOUT_MS });
  db.pragma("synchronous = NORMAL");
  const insertRun = db.prepare(
    `INSERT INTO "Run" ("id", "teamId", "planId", "planVersionId", "workspaceId", "directory", "status", "settings", "dryRun", "startedById", "parentRunId", "lastEventSeq", "createdAt")
     VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, 0, ?)`,
  );
  const insertEvent = db.prepare(
    `INSERT INTO "RunEvent" ("runId", "seq", "type", "nodeId", "payload", "createdAt") VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const upsertNode = db.prepare(
    `INSERT INTO "NodeRun" ("id", "runId", "nodeId", "status", "attempt", "batchId", "reused", "startedAt", "finishedAt", "exitCode", "signal", "pid", "error", "result", "attempts")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT ("runId", "nodeId") DO UPDATE SET "status" = excluded."status", "attempt" = excluded."attempt", "batchId" = excluded."batchId",
       "reused" = excluded."reused", "startedAt" = excluded."startedAt", "finishedAt" = excluded."finishedAt", "exitCode" = excluded."exitCode",
       "signal" = excluded."signal", "pid" = excluded."pid", "error" = excluded."error", "result" = excluded."result", "attempts" = excluded."attempts"`,
  );
  const insertChange = db.prepare(
    `INSERT INTO "FileChange" ("id", "runId", "nodeId", "seq", "path", "operation", "beforeHash", "afterHash", "beforeContent", "afterContent", "beforeMode", "createdDirectory", "createdAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const updateRun = db.prepare(
    `UPDATE "Run" SET "lastEventSeq" = ?,
       "status" = COALESCE(?, "status"),
       "startedAt" = CASE WHEN ? THEN ? ELSE "startedAt" END,
       "finishedAt" = CASE WHEN ? THEN ? ELSE "finishedAt" END,
       "error" = CASE WHEN ? THEN ? ELSE "error" END
     WHERE "id" = ?`,
  );
  const nodeRow = (runId: string, node: NodeRunState) => [
    `${runId}_${node.nodeId}`,
    runId,
    node.nodeId,
    node.status,
    node.attempt,
    node.batchId,
    node.reused ? 1 : 0,
    isoDate(node.startedAt),
    isoDate(node.finishedAt),
    node.exitCode,
    node.signal,
    node.pid,
    json(node.error),
    json(node.result),
    JSON.stringify(node.attempts),
  ];
  const insertNodes = db.transaction((runId: string, nodes: NewRun["nodes"]) => {
    for (const node of nodes) {
      upsertNode.run(
        ...nodeRow(runId, {
          ...node,
          exitCode: node.exitCode ?? null,
          startedAt: null,
          finishedAt: null,
          signal: null,
          pid: null,
          attempts: [],
        }),
      );
    }
  });
  const create = db.transaction((id: string, input: NewRun, nodes: NewRun["nodes"]) => {
    insertRun.run(...newRunRowValues(id, input, { flag: Number, time: isoDate }));
    insertNodes(id, nodes);
  });
  const deferred: Array<() => void> = [];
  const writeDeferred = () => {
    while (deferred.length) {
      // A write that throws stays queued: the next call retries it first and fails with it.
      (deferred[0] as () => void)();
      deferred.shift();
    }
  };
  const write = db.transaction((batch: PersistBatch) => {
    const now = isoDate(new Date());
    for (const event of batch.events) {
      insertEvent.run(batch.runId, event.seq, event.type, "nodeId" in event ? event.nodeId : null, JSON.stringify(event), now);
    }
    for (const node of batch.nodes) upsertNode.run(...nodeRow(batch.runId, node));
    for (const change of batch.fileChanges) {
      insertChange.run(
        `${batch.runId}_fc${change.seq}`,
        batch.runId,
        change.nodeId,
        change.seq,
        change.path,
        change.operation,
        change.beforeHash,
        change.afterHash,
        change.before ? Buffer.from(change.before) : null,
        change.after ? Buffer.from(change.after) : null,
        change.beforeMode ?? null,
        change.createdDirectory ?? null,
        now,
      );
    }
    const run = batch.run;
    updateRun.run(
      batch.lastEventSeq,
      run.status ?? null,
      run.startedAt ? 1 : 0,
      isoDate(run.startedAt),
      run.finishedAt !== undefined ? 1 : 0,
      isoDate(run.finishedAt),
      run.error !== undefined ? 1 : 0,
      run.error ?? null,
      batch.runId,
    );
  });
  return {
    createRun(input) {
      writeDeferred();
      const id = input.id ?? newRowId();
      const reused = input.nodes.filter((node) => node.reused);
      create(id, input, reused);
      if (reused.length < input.nodes.length)
        deferred.push(() =>
          insertNodes(
            id,
            input.nodes.filter((node) => !node.reused),
          ),
        );
      return { id };
    },
    writeDeferred,
    persist(batch) {
      writeDeferred();
      write(batch);
    },
    close() {
      writeDeferred();
      db.close();
    },
  };
}

/**
 * `store` with its hot writes (createRun, persist) taken over by `writer`.
 * With `deferNodeRows`, a new run's pending node rows wait for
 * {@link SqliteRunWriter.writeDeferred} (the threaded store writes them after
 * answering); without, createRun writes them before it returns.
 */
export function withSqliteRunWriter(store: RunStore, writer: SqliteRunWriter, options: { deferNodeRows: boolean }): RunStore {
  return {
    ...store,
    createRun: async (input) => {
      const run = writer.createRun(input);
      if (!options.deferNodeRows) writer.writeDeferred();
      return run;
    },
    persist: async (batch) => writer.persist(batch),
  };
}
