/**
 * How cluster workers claim runs, on the real PostgreSQL server (cluster
 * mode's database): the one-statement claim of a queued run reads the run as
 * the store does, and of workers racing for a run exactly one gets it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PlanDocument } from "../plan/schema";
import { pendingNodeState } from "../runner/run-recorder";
import { createTestDatabase, type TestDatabase } from "../testing/test-database";
import { openDatabase, type Database } from "./client";
import { toJsonColumn } from "./json";
import { createPrismaRunStore } from "./run-store";
import { claimInterruptedRun, claimQueuedRun } from "./workers";

const document = PlanDocument.parse({
  name: "two steps",
  nodes: [
    { id: "build", type: "shell", params: { command: "make" } },
    { id: "test", type: "shell", params: { command: "make test" } },
  ],
  edges: [{ from: "build", to: "test" }],
});

describe("claiming runs (PostgreSQL)", () => {
  let db: TestDatabase;
  let other: Database;
  let createQueuedRun: (options?: { workspaceId?: string }) => Promise<string>;

  beforeAll(async () => {
    db = await createTestDatabase("postgresql");
    // A second connection pool, as a second worker process has.
    other = await openDatabase(db.config);
    const team = await db.client.team.create({ data: { name: "T", slug: "t" } });
    const user = await db.client.user.create({ data: { email: "u@x.test", name: "U" } });
    const plan = await db.client.plan.create({ data: { teamId: team.id, ownerId: user.id, name: document.name, latestVersion: 1 } });
    const version = await db.client.planVersion.create({
      data: { planId: plan.id, number: 1, graph: toJsonColumn(document), graphHash: "h", authorId: user.id },
    });
    const store = createPrismaRunStore(db.client);
    createQueuedRun = async (options = {}) =>
      (
        await store.createRun({
          teamId: team.id,
          planId: plan.id,
          planVersionId: version.id,
          startedById: user.id,
          workspaceId: options.workspaceId ?? null,
          directory: "/srv/scratch/run-1",
          settings: { concurrency: 3, keepBackground: false },
          dryRun: false,
          nodes: document.nodes.map((node) => pendingNodeState(node.id, null)),
        })
      ).id;
  }, 120_000);
  afterAll(async () => {
    await other?.close();
    await db?.destroy();
  });

  it("claims a queued run and reads it exactly as the store's loadRun does", async () => {
    const team = await db.client.team.findFirstOrThrow();
    const workspace = await db.client.workspace.create({ data: { teamId: team.id, name: "site", directory: "/srv/site" } });
    const runId = await createQueuedRun({ workspaceId: workspace.id });
    // A retry's reused node carries its parent's times, result, error and attempts.
    await db.client.nodeRun.updateMany({
      where: { runId, nodeId: "build" },
      data: {
        status: "succeeded",
        reused: true,
        attempt: 2,
        startedAt: new Date("2026-12-04T19:56:01.123Z"),
        finishedAt: new Date("2026-12-04T19:56:02.456Z"),
        exitCode: 0,
        result: toJsonColumn({ exitCode: 0, stdout: "built" }),
        attempts: toJsonColumn([{ attempt: 1, error: { code: "exit-code", message: "exit 1" }, at: 1_733_000_000_000 }]),
      },
    });
    const claimed = await claimQueuedRun(db.client, runId, "worker-a");
    expect(claimed?.workspaceName).toBe("site");
    expect(claimed?.run).toEqual(await createPrismaRunStore(db.client).loadRun(runId));
    expect(claimed?.run.nodes.find((node) => node.nodeId === "build")?.startedAt).toEqual(new Date("2026-12-04T19:56:01.123Z"));
    expect((await db.client.run.findUniqueOrThrow({ where: { id: runId } })).workerId).toBe("worker-a");
  });

  it("gives each of many runs to exactly one of two workers racing for it", async () => {
    const runIds = await Promise.all(Array.from({ length: 30 }, () => createQueuedRun()));
    for (const runId of runIds) {
      const [a, b] = await Promise.all([claimQueuedRun(db.client, runId, "worker-a"), claimQueuedRun(other.client, runId, "worker-b")]);
      expect([a, b].filter((claim) => claim !== null)).toHaveLength(1);
      const winner = a ? "worker-a" : "worker-b";
      expect((await db.client.run.findUniqueOrThrow({ where: { id: runId } })).workerId).toBe(winner);
    }
  });

  it("leaves a run that is held, running or interrupted to the takeover and resume paths", async () => {
    const held = await createQueuedRun();
    expect(await claimQueuedRun(db.client, held, "worker-a")).not.toBeNull();
    expect(await claimQueuedRun(db.client, held, "worker-a")).toBeNull();
    expect(await claimInterruptedRun(db.client, held, "worker-b")).toBe(false);

    const running = await createQueuedRun();
    await db.client.run.update({ where: { id: running }, data: { status: "running" } });
    expect(await claimQueuedRun(db.client, running, "worker-a")).toBeNull();

    const interrupted = await createQueuedRun();
    await db.client.run.update({ where: { id: interrupted }, data: { status: "interrupted", workerId: "worker-gone" } });
    expect(await claimQueuedRun(db.client, interrupted, "worker-a")).toBeNull();
    expect(await claimInterruptedRun(db.client, interrupted, "worker-a")).toBe(true);
    expect((await db.client.run.findUniqueOrThrow({ where: { id: interrupted } })).workerId).toBe("worker-a");

    expect(await claimQueuedRun(db.client, "no-such-run", "worker-a")).toBeNull();
  });
});
