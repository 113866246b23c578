/**
 * The notice that a run is stored leaves with the commit of the flush that
 * writes its final status, and a web server's listener survives losing its
 * connection. Real PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PersistBatch } from "../runner/run-store";
import { seedPlan, shellNode } from "../testing/fixtures";
import { createTestDatabase, type TestDatabase } from "../testing/test-database";
import { withOneStatementWrites } from "./postgres-writes";
import { createPrismaRunStore } from "./run-store";
import { listenForSettledRuns, type SettledNoticeListener } from "./settled-notice-listener";
import type { SettledNotice } from "./settled-notices";

async function eventually(check: () => boolean | Promise<boolean>): Promise<void> {
  for (const deadline = Date.now() + 10_000; !(await check()); ) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("settled notices", () => {
  let db: TestDatabase;
  let listener: SettledNoticeListener;
  const notices: SettledNotice[] = [];

  beforeAll(async () => {
    db = await createTestDatabase("postgresql");
    listener = listenForSettledRuns(db.config.url, (notice) => notices.push(notice));
    await listener.ready;
  });
  afterAll(async () => {
    await listener.close();
    await db.destroy();
  });

  async function newRun(): Promise<{ runId: string; persist: (batch: Omit<PersistBatch, "runId">) => Promise<void> }> {
    const { ownership } = await seedPlan(db.client, { name: `p${Math.random()}`, nodes: [shellNode("a", "true")], edges: [] });
    const store = withOneStatementWrites(createPrismaRunStore(db.client), db.client);
    const { id } = await store.createRun({
      ...ownership,
      directory: "/w",
      settings: { concurrency: 1, keepBackground: false },
      dryRun: false,
      nodes: [{ nodeId: "a", status: "pending", attempt: 0, batchId: null, reused: false, exitCode: null, error: null, result: null }],
    });
    return { runId: id, persist: (batch) => store.persist({ runId: id, ...batch }) };
  }
  const statusBatch = (seq: number, status: "running" | "succeeded") => ({
    events: [{ type: "run.status" as const, runId: "", seq, at: Date.now(), status }],
    nodes: [],
    run: { status },
    lastEventSeq: seq,
    fileChanges: [],
  });

  it("comes with the commit of the run's final status, not before and not for a write that failed", async () => {
    const { runId, persist } = await newRun();
    await persist(statusBatch(1, "running"));
    // The same event again breaks the log's unique (run, seq): nothing of that statement is committed, its notice neither.
    await expect(persist(statusBatch(1, "succeeded"))).rejects.toThrow();
    expect((await db.client.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("running");
    await persist(statusBatch(2, "succeeded"));
    await eventually(() => notices.some((notice) => notice.runId === runId));
    expect(notices.filter((notice) => notice.runId === runId)).toEqual([{ runId, status: "succeeded" }]);
  });

  it("keeps coming after the listening connection is killed", async () => {
    const listening = () =>
      db.client.$queryRawUnsafe<Array<{ pid: number }>>(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %' AND pid <> pg_backend_pid()",
      );
    const [before] = await listening();
    expect(before).toBeDefined();
    await db.client.$queryRawUnsafe("SELECT pg_terminate_backend($1)", before?.pid);
    await eventually(async () => (await listening()).some((row) => row.pid !== before?.pid));
    const { runId, persist } = await newRun();
    await persist(statusBatch(1, "succeeded"));
    await eventually(() => notices.some((notice) => notice.runId === runId));
  });
});
