import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPlan } from "../db/plans";
import { createPrismaRunStore } from "../db/run-store";
import { hashPlan } from "../plan/plan-hash";
import { PlanDocument, type PlanDocumentInput } from "../plan/schema";
import { createRunnerResources } from "../runner/resources";
import type { RunEvent } from "../run-events/run-events";
import type { RunStore } from "../runner/run-store";
import { createTeamWithMember } from "../testing/fixtures";
import { createTestDatabase, type TestDatabase } from "../testing/test-database";
import { createInProcessDispatcher, type RunDispatcher } from "./run-dispatcher";
import { createRunService, type RunScope, type RunService } from "./run-service";

const twoStepPlan: PlanDocumentInput = {
  name: "write then check",
  nodes: [
    { id: "write", type: "file.write", params: { path: "out/hello.txt", content: "hello\n" } },
    { id: "check", type: "shell", params: { command: "grep -q hello out/hello.txt && echo checked" } },
  ],
  edges: [{ from: "write", to: "check" }],
};

/** The database's run store with every flush landing 300 ms late, as on a loaded machine. */
function laggingRunStore(client: TestDatabase["client"]): RunStore {
  const store = createPrismaRunStore(client);
  return {
    ...store,
    persist: async (batch) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return store.persist(batch);
    },
  };
}

function waitForTerminalStatus(events: RunEvent[], runId: string, timeoutMs = 20_000): Promise<RunEvent> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const check = () => {
      const terminal = events.find(
        (event) => event.runId === runId && event.type === "run.status" && !["queued", "running"].includes(event.status),
      );
      if (terminal) return resolve(terminal);
      if (Date.now() > deadline) return reject(new Error(`run ${runId} did not finish`));
      setTimeout(check, 20);
    };
    check();
  });
}

describe("run service (in-process runner, real SQLite)", () => {
  let db: TestDatabase;
  let service: RunService;
  let scope: RunScope;
  let planId: string;
  let scratchRoot: string;

  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
    scratchRoot = mkdtempSync(path.join(os.tmpdir(), "batchboard-scratch-"));
    const resources = createRunnerResources({ store: createPrismaRunStore(db.client), reportError: () => {} });
    service = createRunService({ client: db.client, resources, scratchRoot });
    const { team, user } = await createTeamWithMember(db.client);
    scope = { teamId: team.id, userId: user.id };
    const document = PlanDocument.parse(twoStepPlan);
    ({
      plan: { id: planId },
    } = await createPlan(
      db.client,
      { teamId: team.id, ownerId: user.id, name: document.name },
      { document, graphHash: hashPlan(document), authorId: user.id },
    ));
  });
  afterAll(async () => {
    await db.destroy();
  });

  it("runs a stored plan in a scratch directory and streams every event once, in order", async () => {
    const events: RunEvent[] = [];
    const { runId } = await service.startPlanRun(scope, { planId });
    const stop = await (await service.openEventStream(scope, runId, 0))((event) => events.push(event));
    const terminal = await waitForTerminalStatus(events, runId);
    stop();
    expect(terminal).toMatchObject({ type: "run.status", status: "succeeded" });
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));

    const run = await db.client.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run.directory.startsWith(scratchRoot)).toBe(true);
    expect(readFileSync(path.join(run.directory, "out/hello.txt"), "utf8")).toBe("hello\n");

    // A reconnect with Last-Event-ID gets exactly the rest, from the log.
    const resumed: RunEvent[] = [];
    const stopResumed = await (await service.openEventStream(scope, runId, 3))((event) => resumed.push(event));
    stopResumed();
    expect(resumed.map((event) => event.seq)).toEqual(events.slice(3).map((event) => event.seq));
  });

  it("streams every event even when the log lags behind a burst bigger than the recent-events buffer", async () => {
    // Each flush lands 300 ms late, and only the last 2 events are buffered: a subscriber arriving mid-run must wait for the log.
    const resources = createRunnerResources({ store: laggingRunStore(db.client), reportError: () => {} });
    const lagged = createRunService({ client: db.client, resources, scratchRoot, recentEventsPerRun: 2 });
    const { runId } = await lagged.startPlanRun(scope, { planId });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const events: RunEvent[] = [];
    const stop = await (await lagged.openEventStream(scope, runId, 0))((event) => events.push(event));
    await waitForTerminalStatus(events, runId);
    stop();
    expect(events.length).toBeGreaterThan(4);
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
  });

  it("streams every event when the server holds none published before the stream subscribed, as a cluster web server", async () => {
    // No recent events kept: what was published before the subscription reaches the stream only through the log, 300 ms later.
    const resources = createRunnerResources({ store: laggingRunStore(db.client), reportError: () => {} });
    const remote = createRunService({ client: db.client, resources, scratchRoot, recentEventsPerRun: 0 });
    const { runId } = await remote.startPlanRun(scope, { planId });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const events: RunEvent[] = [];
    const stop = await (await remote.openEventStream(scope, runId, 0))((event) => events.push(event));
    await waitForTerminalStatus(events, runId);
    stop();
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
  });

  it("answers a conflict to cancelling a run whose nodes have all finished, while its last events are still on their way to the log", async () => {
    const resources = createRunnerResources({ store: laggingRunStore(db.client), reportError: () => {} });
    const lagged = createRunService({ client: db.client, resources, scratchRoot });
    const { runId } = await lagged.startPlanRun(scope, { planId });
    const events: RunEvent[] = [];
    const stop = await (await lagged.openEventStream(scope, runId, 0))((event) => events.push(event));
    await waitForTerminalStatus(events, runId);
    stop();
    await expect(lagged.cancelRun(scope, runId)).rejects.toMatchObject({ code: "conflict" });
  });

  it("lets a retry or an undo act on a run as soon as its final event is out, and refuses one still going at once", async () => {
    const resources = createRunnerResources({ store: laggingRunStore(db.client), reportError: () => {} });
    const lagged = createRunService({ client: db.client, resources, scratchRoot });

    // Still going: refused without waiting.
    const slow = PlanDocument.parse({ name: "slow", nodes: [{ id: "wait", type: "shell", params: { command: "sleep 2" } }] });
    const {
      plan: { id: slowPlanId },
    } = await createPlan(
      db.client,
      { teamId: scope.teamId, ownerId: scope.userId, name: slow.name },
      { document: slow, graphHash: hashPlan(slow), authorId: scope.userId },
    );
    const going = await lagged.startPlanRun(scope, { planId: slowPlanId });
    const asked = performance.now();
    await expect(lagged.retryNode(scope, going.runId, "wait")).rejects.toMatchObject({ code: "conflict" });
    expect(performance.now() - asked).toBeLessThan(1_000);
    await lagged.cancelRun(scope, going.runId);

    // Finished, its final status still on its way to the store (every flush lands 300 ms late).
    for (const act of [(runId: string) => lagged.retryNode(scope, runId, "check"), (runId: string) => lagged.undo(scope, runId, {})]) {
      const { runId } = await lagged.startPlanRun(scope, { planId });
      const events: RunEvent[] = [];
      const stop = await (await lagged.openEventStream(scope, runId, 0))((event) => events.push(event));
      await waitForTerminalStatus(events, runId);
      stop();
      expect(["queued", "running"]).toContain((await db.client.run.findUniqueOrThrow({ where: { id: runId } })).status);
      await expect(act(runId)).resolves.toBeDefined();
      expect((await db.client.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("succeeded");
    }
  });

  it("does a dry run without writing", async () => {
    const events: RunEvent[] = [];
    const { runId } = await service.startPlanRun(scope, { planId, dryRun: true });
    const stop = await (await service.openEventStream(scope, runId, 0))((event) => events.push(event));
    await waitForTerminalStatus(events, runId);
    stop();
    const run = await db.client.run.findUniqueOrThrow({ where: { id: runId } });
    expect(existsSync(path.join(run.directory, "out/hello.txt"))).toBe(false);
  });

  it("treats another team's runs and plans as missing", async () => {
    const stranger = await createTeamWithMember(db.client);
    const strangerScope = { teamId: stranger.team.id, userId: stranger.user.id };
    await expect(service.startPlanRun(strangerScope, { planId })).rejects.toMatchObject({ code: "not_found" });
    const { runId } = await service.startPlanRun(scope, { planId, dryRun: true });
    await expect(service.openEventStream(strangerScope, runId, 0)).rejects.toMatchObject({ code: "not_found" });
    await expect(service.cancelRun(strangerScope, runId)).rejects.toMatchObject({ code: "not_found" });
    await expect(service.retryFailed(strangerScope, runId)).rejects.toMatchObject({ code: "not_found" });
    await expect(service.undo(strangerScope, runId, {})).rejects.toMatchObject({ code: "not_found" });
    await expect(service.waitForRun(strangerScope, runId, 10_000)).rejects.toMatchObject({ code: "not_found" });
  });

  it("creates runs of a burst a few at a time, and every one of them starts", async () => {
    const resources = createRunnerResources({ store: createPrismaRunStore(db.client), reportError: () => {} });
    const inProcess = createInProcessDispatcher(resources);
    let inFlight = 0;
    let mostInFlight = 0;
    // The run service's dispatcher, counting the creations it is asked for at once.
    const counting: RunDispatcher = {
      ...inProcess,
      async start(options) {
        mostInFlight = Math.max(mostInFlight, ++inFlight);
        try {
          return await inProcess.start(options);
        } finally {
          inFlight -= 1;
        }
      },
    };
    const bursty = createRunService({ client: db.client, resources, scratchRoot, dispatcher: counting });
    const started = await Promise.all(Array.from({ length: 40 }, () => bursty.startPlanRun(scope, { planId, dryRun: true })));
    expect(new Set(started.map((run) => run.runId)).size).toBe(40);
    expect(mostInFlight).toBeLessThanOrEqual(4);
    for (const { runId } of started) expect(await bursty.waitForRun(scope, runId, 60_000)).toBe(true);
  });

  it("tells a waiting caller a run finished only once its final state is stored", async () => {
    const { runId } = await service.startPlanRun(scope, { planId, dryRun: true });
    expect(await service.waitForRun(scope, runId, 20_000)).toBe(true);
    expect((await db.client.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("succeeded");

    // The run's last flush (the one with its final status) fails: the run ends, but its end is not stored.
    const store = createPrismaRunStore(db.client);
    const failingLastFlush: RunStore = {
      ...store,
      persist: async (batch) => {
        if (batch.run.finishedAt) throw new Error("disk full");
        return store.persist(batch);
      },
    };
    const resources = createRunnerResources({ store: failingLastFlush, reportError: () => {} });
    const unstored = createRunService({ client: db.client, resources, scratchRoot });
    const failed = await unstored.startPlanRun(scope, { planId, dryRun: true });
    expect(await unstored.waitForRun(scope, failed.runId, 1_500)).toBe(false);
  });

  it("refuses a workspace of another team", async () => {
    const stranger = await createTeamWithMember(db.client);
    const workspace = await db.client.workspace.create({ data: { teamId: stranger.team.id, name: "theirs", directory: scratchRoot } });
    await expect(service.startPlanRun(scope, { planId, workspaceId: workspace.id })).rejects.toMatchObject({ code: "not_found" });
  });
});
