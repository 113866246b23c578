/** The run store on a worker thread, through real SQLite and PostgreSQL databases, read back through Prisma. */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createRunnerResources } from "../runner/resources";
import { retryFailedNodes, startRun } from "../runner/runs";
import { temporaryDirectory } from "../runner/testing/harness";
import { undoRun } from "../runner/undo";
import { createTestDatabase } from "../testing/test-database";
import { seedPlan, shellNode } from "../testing/fixtures";
import { createPrismaRunStore } from "./run-store";
import { newRowId } from "./row-id";

describe("threaded run store (worker thread: SQLite's writer, PostgreSQL's one-statement flush)", () => {
  it.each(["sqlite", "postgresql"] as const)(
    "persists runs on %s that read back through Prisma exactly like the main-thread store's",
    async (provider) => {
      const db = await createTestDatabase(provider);
      const ws = temporaryDirectory();
      const { createThreadedRunStore } = await import("./threaded-run-store");
      const store = await createThreadedRunStore(db.config, path.join(__dirname, "../.."));
      try {
        const resources = createRunnerResources({ store, limits: { flushIntervalMs: 5 } });
        writeFileSync(path.join(ws.dir, "a.txt"), "one\n");
        const { document, ownership } = await seedPlan(db.client, {
          name: "threaded",
          nodes: [
            { id: "e", type: "file.edit", params: { path: "a.txt", edits: [{ find: "one", replace: "two" }] } },
            shellNode("s", "echo out; exit 4"),
          ],
          edges: [{ from: "e", to: "s" }],
        });
        const outcome = await (await startRun(resources, { ...ownership, plan: document, directory: ws.dir })).done;
        expect(outcome.status).toBe("failed");
        // Created by the fast path, not Prisma: same id shape as Prisma's cuid().
        expect(outcome.runId).toMatch(/^c[0-9a-z]{24}$/);
        const prismaStore = createPrismaRunStore(db.client);
        const run = await prismaStore.loadRun(outcome.runId);
        expect(run).toMatchObject({ status: "failed", lastEventSeq: (await prismaStore.listEvents(outcome.runId, 0)).length });
        const byId = new Map(run?.nodes.map((node) => [node.nodeId, node]));
        expect(byId.get("e")).toMatchObject({ status: "succeeded", reused: false, result: { replacements: 1 } });
        expect(byId.get("e")?.startedAt).toBeInstanceOf(Date);
        expect(byId.get("s")).toMatchObject({ status: "failed", exitCode: 4, error: { code: "exit-code" } });
        const changes = await store.listFileChanges(outcome.runId);
        expect(changes.map((change) => [change.path, change.before?.toString(), change.after?.toString()])).toEqual([
          ["a.txt", "one\n", "two\n"],
        ]);
        expect((await undoRun(resources, outcome.runId)).restored).toEqual(["a.txt"]);
        expect(readFileSync(path.join(ws.dir, "a.txt"), "utf8")).toBe("one\n");
        // A child run created by the fast path: its parent link and the carried-over node read back through Prisma.
        const retried = await (await retryFailedNodes(resources, outcome.runId)).done;
        const child = await db.client.run.findUniqueOrThrow({ where: { id: retried.runId }, include: { nodeRuns: true } });
        expect(child).toMatchObject({ parentRunId: outcome.runId, settings: { concurrency: 8 }, dryRun: false });
        expect(child.createdAt).toBeInstanceOf(Date);
        expect(Math.abs(child.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
        const childNodes = new Map(child.nodeRuns.map((node) => [node.nodeId, node]));
        expect(childNodes.get("e")).toMatchObject({ status: "succeeded", reused: true, result: { replacements: 1 }, attempts: [] });
        expect(childNodes.get("s")).toMatchObject({ status: "failed", exitCode: 4 });
      } finally {
        await store.close();
        ws.cleanup();
        await db.destroy();
      }
    },
  );

  it("answers a new run before writing its pending node rows, and writes them before anything else it is asked", async () => {
    const db = await createTestDatabase("sqlite");
    if (db.config.provider !== "sqlite") throw new Error("an SQLite database was asked for");
    const { createSqliteRunWriter } = await import("./sqlite-run-writer");
    const writer = createSqliteRunWriter(db.config.filePath);
    try {
      const { ownership } = await seedPlan(db.client, {
        name: "deferred rows",
        nodes: [shellNode("a", "true"), shellNode("b", "true"), shellNode("kept", "true")],
      });
      const pending = (nodeId: string) => ({
        nodeId,
        status: "pending" as const,
        attempt: 0,
        batchId: null,
        reused: false,
        result: null,
        error: null,
        exitCode: null,
      });
      const kept = { ...pending("kept"), status: "succeeded" as const, attempt: 1, reused: true, result: { exitCode: 0 }, exitCode: 0 };
      // Under the id its caller chose, as the CLI creates the run its early sandbox was started for.
      const chosen = newRowId();
      const { id } = writer.createRun({
        id: chosen,
        ...ownership,
        directory: "/tmp/deferred",
        settings: { concurrency: 1 },
        dryRun: false,
        nodes: [pending("a"), kept, pending("b")],
      });
      expect(id).toBe(chosen);
      expect(await db.client.run.count({ where: { id } })).toBe(1);
      // A carried-over node is there at once (the run view reads it as the run starts); pending ones follow.
      expect((await db.client.nodeRun.findMany({ where: { runId: id } })).map((row) => [row.nodeId, row.status, row.reused])).toEqual([
        ["kept", "succeeded", true],
      ]);
      writer.persist({ runId: id, events: [], nodes: [], run: { status: "running" }, lastEventSeq: 0, fileChanges: [] });
      const rows = await db.client.nodeRun.findMany({ where: { runId: id }, orderBy: { nodeId: "asc" } });
      expect(rows.map((row) => [row.nodeId, row.status])).toEqual([
        ["a", "pending"],
        ["b", "pending"],
        ["kept", "succeeded"],
      ]);
      expect(await db.client.run.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "running" });
    } finally {
      writer.close();
      await db.destroy();
    }
  });
});
