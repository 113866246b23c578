/**
 * Worker-thread side of {@link createThreadedRunStore}: owns its own database
 * connection and answers the runner's store calls, so persistence work
 * (Prisma, the SQLite driver) stays off the scheduler's thread.
 */
import { parentPort, workerData } from "node:worker_threads";
import { openDatabase } from "./client";
import type { DatabaseConfig } from "./database-config";
import { withOneStatementWrites } from "./postgres-writes";
import { createPrismaRunStore } from "./run-store";
import { createSqliteRunWriter, withSqliteRunWriter } from "./sqlite-run-writer";
import type { RunStore } from "../runner/run-store";

/** A call from the main thread. */
export interface StoreRequest {
  id: number;
  method: keyof RunStore | "close";
  args: unknown[];
}

/** The answer to a {@link StoreRequest}. */
export type StoreReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: { name: string; message: string } };

const port = parentPort;
if (port) {
  const config = workerData as DatabaseConfig;
  const database = await openDatabase(config);
  // SQLite: the hot writes skip Prisma (see sqlite-run-writer.ts).
  const writer = config.provider === "sqlite" ? createSqliteRunWriter(config.filePath) : null;
  const prismaStore = createPrismaRunStore(database.client);
  // PostgreSQL: a run's creation and each flush are one statement each (see postgres-writes.ts).
  const store = writer
    ? withSqliteRunWriter(prismaStore, writer, { deferNodeRows: true })
    : withOneStatementWrites(prismaStore, database.client);
  port.on("message", async (request: StoreRequest) => {
    try {
      if (request.method === "close") {
        writer?.close();
        await database.close();
        port.postMessage({ id: request.id, ok: true, value: null } satisfies StoreReply);
        port.close();
        return;
      }
      const method = store[request.method] as (...args: unknown[]) => Promise<unknown>;
      const value = await method(...request.args);
      port.postMessage({ id: request.id, ok: true, value } satisfies StoreReply);
    } catch (error) {
      const { name, message } = error instanceof Error ? error : { name: "Error", message: String(error) };
      port.postMessage({ id: request.id, ok: false, error: { name, message } } satisfies StoreReply);
    }
    try {
      // After the answer, before the next call: a new run's node rows, which its start does not wait for.
      writer?.writeDeferred();
    } catch {
      // Still queued: the next call writes it first and reports the failure to its caller.
    }
  });
  port.postMessage({ id: 0, ok: true, value: "ready" } satisfies StoreReply);
}
