/** PostgreSQL's one-statement creation and flush of a run against Prisma's transactions, on a real database. */
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "../testing/test-database";
import { seedPlan, shellNode } from "../testing/fixtures";
import { withOneStatementWrites } from "./postgres-writes";
import { createPrismaRunStore } from "./run-store";

describe("PostgreSQL's one-statement run writes", () => {
  it("store exactly what Prisma's transactions store", async () => {
    const db = await createTestDatabase("postgresql");
    try {
      const { ownership } = await seedPlan(db.client, {
        name: "twins",
        nodes: [shellNode("a", "true"), shellNode("b", "true"), shellNode("c", "true")],
        edges: [],
      });
      const prismaStore = createPrismaRunStore(db.client);
      const stores = [prismaStore, withOneStatementWrites(prismaStore, db.client)];
      const pending = (nodeId: string) => ({
        nodeId,
        status: "pending" as const,
        attempt: 0,
        batchId: "b1",
        reused: false,
        exitCode: null,
        error: null,
        result: null,
      });
      const stored = [];
      for (const store of stores) {
        const createdFrom = Date.now();
        const { id } = await store.createRun({
          ...ownership,
          directory: "/w/é",
          settings: { concurrency: 2, keepBackground: true, sandbox: { network: false, limits: { memoryMb: 256 } } },
          dryRun: true,
          nodes: [
            pending("a"),
            pending("b"),
            // Carried over from a parent run, as a retry's are.
            {
              ...pending("c"),
              status: "succeeded",
              reused: true,
              attempt: 1,
              exitCode: 0,
              result: { exitCode: 0, stdout: { tail: "ok\n", bytes: 3 } },
            },
          ],
        });
        const created = await db.client.run.findUniqueOrThrow({
          where: { id },
          select: { createdAt: true, status: true, lastEventSeq: true },
        });
        expect(created.status).toBe("queued");
        expect(created.lastEventSeq).toBe(0);
        expect(created.createdAt.getTime()).toBeGreaterThanOrEqual(createdFrom - 1);
        expect(created.createdAt.getTime()).toBeLessThanOrEqual(Date.now());
        const at = Date.UTC(2026, 11, 4, 23, 59, 58, 123);
        const node = {
          ...pending("a"),
          status: "failed" as const,
          attempt: 2,
          startedAt: new Date(at - 1500),
          finishedAt: new Date(at),
          exitCode: 3,
          signal: null,
          pid: 4242,
          error: { code: "exit-code", message: "exited with 3" },
          result: { exitCode: 3, stdout: { tail: "é\n", bytes: 3 } },
          attempts: [{ attempt: 1, error: { code: "timeout", message: "late" }, at: at - 2000 }],
        };
        const other = {
          ...pending("b"),
          status: "running" as const,
          attempt: 1,
          startedAt: new Date(at),
          finishedAt: null,
          signal: null,
          pid: null,
          error: null,
          result: null,
          attempts: [],
        };
        await store.persist({
          runId: id,
          events: [
            {
              runId: id,
              seq: 1,
              at,
              type: "run.status",
              status: "running",
              counts: { total: 2, pending: 1, running: 1, succeeded: 0, failed: 0, skipped: 0, cancelled: 0, interrupted: 0 },
            } as never,
            { runId: id, seq: 2, at, type: "node.output", nodeId: "a", stream: "stdout", data: "é\n" } as never,
          ],
          nodes: [node, other],
          run: { status: "running", startedAt: new Date(at - 2000), finishedAt: null, error: null },
          lastEventSeq: 2,
          fileChanges: [
            {
              seq: 1,
              nodeId: "a",
              path: "x.bin",
              operation: "update",
              beforeHash: "h0",
              afterHash: "h1",
              before: Buffer.from([0, 255, 10]),
              after: Buffer.from("new\n"),
              beforeMode: 0o600,
            },
            {
              seq: 2,
              nodeId: "a",
              path: "d/y.txt",
              operation: "create",
              beforeHash: null,
              afterHash: "h2",
              before: null,
              after: Buffer.alloc(0),
              createdDirectory: "d",
            },
          ],
        });
        await store.persist({
          runId: id,
          events: [],
          nodes: [],
          run: { status: "failed", finishedAt: new Date(at + 5), error: "a failed" },
          lastEventSeq: 2,
          fileChanges: [],
        });
        const run = await store.loadRun(id);
        const row = await db.client.run.findUniqueOrThrow({ where: { id } });
        const changes = (await store.listFileChanges(id)).map(({ id: _id, ...change }) => change);
        stored.push({
          run: { ...run, id: undefined },
          row: {
            startedAt: row.startedAt,
            finishedAt: row.finishedAt,
            status: row.status,
            error: row.error,
            lastEventSeq: row.lastEventSeq,
          },
          events: (await store.listEvents(id, 0)).map((event) => ({ ...event, runId: undefined })),
          changes,
        });
      }
      expect(stored[1]).toEqual(stored[0]);
      expect(stored[0]?.row.finishedAt?.toISOString()).toBe("2026-12-04T23:59:58.128Z");
    } finally {
      await db.destroy();
    }
  });
});
