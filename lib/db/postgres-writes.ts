/**
 * A run's hot writes on PostgreSQL, each one statement: its creation (the
 * run row and its nodes' rows, one `WITH … INSERT … INSERT`) and its flush
 * (its events, node states, file changes and run row, one
 * `WITH … INSERT … UPDATE`), atomic without a transaction around them. The
 * flush that writes a run's final status also sends the notice that the
 * run is stored (settled-notices.ts): PostgreSQL delivers it on commit.
 * Prisma's transactions took four and six round trips, each statement
 * compiled by its query compiler: a flush 6 ms on a quiet machine, 12 ms at
 * the end of every run on a busy one. Rows are written in the formats Prisma
 * reads back (UTC timestamps, JSON null as SQL NULL); run-store.test.ts and
 * postgres-writes.test.ts compare the two.
 */
import { isTerminalRunStatus } from "../run-events/status";
import type { NewRun, PersistBatch, RunStore } from "../runner/run-store";
import type { DbClient } from "./client";
import { newRunRowValues } from "./new-run-row";
import { newRowId } from "./row-id";
import { fileChangeRow } from "./run-store";
import { SETTLED_CHANNEL, settledNoticePayload } from "./settled-notices";
import { translated } from "./transaction";

const CREATE_RUN_STATEMENT = `
WITH run AS (
  INSERT INTO "Run" ("id", "teamId", "planId", "planVersionId", "workspaceId", "directory", "settings", "dryRun", "startedById",
    "parentRunId", "createdAt")
  VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11::timestamp(3))
  RETURNING "id"
)
INSERT INTO "NodeRun" ("id", "runId", "nodeId", "status", "attempt", "batchId", "reused", "exitCode", "error", "result")
SELECT run."id" || '_' || n."nodeId", run."id", n."nodeId", n."status"::"NodeStatus", n."attempt", n."batchId", n."reused",
  n."exitCode", n."error", n."result"
FROM run, jsonb_to_recordset($12::jsonb) AS n("nodeId" text, "status" text, "attempt" int, "batchId" text, "reused" boolean,
  "exitCode" int, "error" jsonb, "result" jsonb)`;

const PERSIST_STATEMENT = `
WITH events AS (
  INSERT INTO "RunEvent" ("runId", "seq", "type", "nodeId", "payload")
  SELECT $1, e."seq", e."type", e."nodeId", e."payload"
  FROM jsonb_to_recordset($2::jsonb) AS e("seq" int, "type" text, "nodeId" text, "payload" jsonb)
), nodes AS (
  INSERT INTO "NodeRun" ("id", "runId", "nodeId", "status", "attempt", "batchId", "reused", "startedAt", "finishedAt",
    "exitCode", "signal", "pid", "error", "result", "attempts")
  SELECT $1 || '_' || n."nodeId", $1, n."nodeId", n."status"::"NodeStatus", n."attempt", n."batchId", n."reused", n."startedAt", n."finishedAt",
    n."exitCode", n."signal", n."pid", n."error", n."result", n."attempts"
  FROM jsonb_to_recordset($3::jsonb) AS n("nodeId" text, "status" text, "attempt" int, "batchId" text, "reused" boolean,
    "startedAt" timestamp(3), "finishedAt" timestamp(3), "exitCode" int, "signal" text, "pid" int, "error" jsonb, "result" jsonb, "attempts" jsonb)
  ON CONFLICT ("runId", "nodeId") DO UPDATE SET "status" = EXCLUDED."status", "attempt" = EXCLUDED."attempt", "batchId" = EXCLUDED."batchId",
    "reused" = EXCLUDED."reused", "startedAt" = EXCLUDED."startedAt", "finishedAt" = EXCLUDED."finishedAt", "exitCode" = EXCLUDED."exitCode",
    "signal" = EXCLUDED."signal", "pid" = EXCLUDED."pid", "error" = EXCLUDED."error", "result" = EXCLUDED."result", "attempts" = EXCLUDED."attempts"
), changes AS (
  INSERT INTO "FileChange" ("id", "runId", "nodeId", "seq", "path", "operation", "beforeHash", "afterHash", "beforeContent", "afterContent",
    "beforeMode", "createdDirectory")
  SELECT $1 || '_fc' || c."seq", $1, c."nodeId", c."seq", c."path", c."operation", c."beforeHash", c."afterHash",
    decode(c."beforeContent", 'base64'), decode(c."afterContent", 'base64'), c."beforeMode", c."createdDirectory"
  FROM jsonb_to_recordset($4::jsonb) AS c("nodeId" text, "seq" int, "path" text, "operation" text, "beforeHash" text, "afterHash" text,
    "beforeContent" text, "afterContent" text, "beforeMode" int, "createdDirectory" text)
)
UPDATE "Run" SET "lastEventSeq" = $5,
  "status" = COALESCE($6::"RunStatus", "status"),
  "startedAt" = COALESCE($7::timestamp(3), "startedAt"),
  "finishedAt" = CASE WHEN $8 THEN $9::timestamp(3) ELSE "finishedAt" END,
  "error" = CASE WHEN $10 THEN $11 ELSE "error" END
WHERE "id" = $1
RETURNING CASE WHEN $12::text IS NOT NULL THEN pg_notify('${SETTLED_CHANNEL}', $12::text) END`;

/** The store's `createRun` and `persist` on PostgreSQL, one statement each; everything else stays Prisma's. */
export function withOneStatementWrites(store: RunStore, client: DbClient): RunStore {
  return {
    ...store,
    createRun: (input) => createRunInOneStatement(client, input),
    persist: (batch) => persistInOneStatement(client, batch),
  };
}

async function createRunInOneStatement(client: DbClient, input: NewRun): Promise<{ id: string }> {
  const id = input.id ?? newRowId();
  await translated(
    client.$executeRawUnsafe(
      CREATE_RUN_STATEMENT,
      ...newRunRowValues(id, input, { flag: (value) => value, time: (value) => value.toISOString() }),
      JSON.stringify(input.nodes),
    ),
  );
  return { id };
}

/** Bytes as base64; from a worker thread's message they are a Uint8Array, whose toString ignores the encoding. */
function base64(bytes: Uint8Array | null): string | null {
  return bytes && Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

async function persistInOneStatement(client: DbClient, batch: PersistBatch): Promise<void> {
  const events = batch.events.map((event) => ({
    seq: event.seq,
    type: event.type,
    nodeId: "nodeId" in event ? event.nodeId : null,
    payload: event,
  }));
  const changes = batch.fileChanges.map((change) => fileChangeRow(batch.runId, change, base64));
  const { run } = batch;
  await translated(
    client.$executeRawUnsafe(
      PERSIST_STATEMENT,
      batch.runId,
      JSON.stringify(events),
      JSON.stringify(batch.nodes),
      JSON.stringify(changes),
      batch.lastEventSeq,
      run.status ?? null,
      run.startedAt?.toISOString() ?? null,
      run.finishedAt !== undefined,
      run.finishedAt?.toISOString() ?? null,
      run.error !== undefined,
      run.error ?? null,
      run.status && isTerminalRunStatus(run.status) ? settledNoticePayload({ runId: batch.runId, status: run.status }) : null,
    ),
  );
}
