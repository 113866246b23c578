import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { groupAlive } from "../runner/process-group";
import { recoverInterruptedRuns } from "../runner/recovery";
import { createRunnerResources, type RunnerResources } from "../runner/resources";
import { resumeRun, retryFailedNodes, retryNode, startRun } from "../runner/runs";
import { temporaryDirectory } from "../runner/testing/harness";
import { undoRun } from "../runner/undo";
import { createTestDatabase, type TestDatabase } from "../testing/test-database";
import { withOneStatementWrites } from "./postgres-writes";
import { newRowId } from "./row-id";
import { createPrismaRunStore } from "./run-store";
import { seedPlan, shellNode } from "../testing/fixtures";
import { toJsonColumn } from "./json";

describe.each([
  ["sqlite", "Prisma's transaction"],
  ["postgresql", "Prisma's transaction"],
  ["postgresql", "one statement"],
] as const)("Prisma run store on %s, creating and flushing runs in %s", (provider, flush) => {
  let db: TestDatabase;
  let resources: RunnerResources;
  let ws: ReturnType<typeof temporaryDirectory>;
  beforeAll(async () => {
    db = await createTestDatabase(provider);
    const prismaStore = createPrismaRunStore(db.client);
    const store = flush === "one statement" ? withOneStatementWrites(prismaStore, db.client) : prismaStore;
    resources = createRunnerResources({ store, limits: { flushIntervalMs: 5, killGraceMs: 300 } });
  });
  afterAll(() => db.destroy());
  beforeEach(() => {
    ws = temporaryDirectory();
  });
  afterEach(() => ws.cleanup());

  it("persists the run, node states, ordered events and the file journal", async () => {
    const { document, ownership } = await seedPlan(db.client, {
      name: "persist",
      nodes: [{ id: "w", type: "file.write", params: { path: "a.txt", content: "one\n" } }, shellNode("s", "echo hi; exit 2")],
      edges: [{ from: "w", to: "s" }],
    });
    // Under the id its caller chose, as the CLI does to start the run's sandbox while the run is created.
    const runId = newRowId();
    const handle = await startRun(resources, { ...ownership, plan: document, directory: ws.dir, runId });
    const outcome = await handle.done;
    expect(outcome.status).toBe("failed");
    expect(outcome.runId).toBe(runId);
    const run = await resources.store.loadRun(runId);
    expect(run?.status).toBe("failed");
    const byId = new Map(run?.nodes.map((node) => [node.nodeId, node]));
    expect(byId.get("w")?.status).toBe("succeeded");
    expect(byId.get("s")).toMatchObject({ status: "failed", exitCode: 2, error: { code: "exit-code" } });
    const events = await resources.store.listEvents(outcome.runId, 0);
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
    expect(run?.lastEventSeq).toBe(events.length);
    expect(events.some((event) => event.type === "node.output" && event.data.includes("hi"))).toBe(true);
    const changes = await resources.store.listFileChanges(outcome.runId);
    expect(changes).toHaveLength(1);
    expect(changes[0]?.after?.toString()).toBe("one\n");
    expect(changes[0]?.before).toBeNull();
  });

  it("refuses loudly a stored event or node error that does not fit the contract", async () => {
    const { document, ownership } = await seedPlan(db.client, { name: "corrupt", nodes: [shellNode("s", "exit 3")], edges: [] });
    const outcome = await (await startRun(resources, { ...ownership, plan: document, directory: ws.dir })).done;
    await db.client.runEvent.updateMany({
      where: { runId: outcome.runId, seq: 2 },
      data: { payload: toJsonColumn({ type: "node.nonsense" }) },
    });
    await expect(resources.store.listEvents(outcome.runId, 0)).rejects.toThrow(
      `Event 2 of run ${outcome.runId}: its payload does not fit the RunEvent contract`,
    );
    await db.client.nodeRun.updateMany({ where: { runId: outcome.runId, nodeId: "s" }, data: { error: toJsonColumn({ message: 42 }) } });
    await expect(resources.store.loadRun(outcome.runId)).rejects.toThrow(
      `Node "s" of run ${outcome.runId}: its stored error does not fit the NodeError contract`,
    );
  });

  it("retry failed reuses successes; retry node re-runs it and its dependents", async () => {
    const { document, ownership } = await seedPlan(db.client, {
      name: "retry",
      nodes: [shellNode("ok", "echo ok >> ok.log"), shellNode("flaky", "test -f fixed"), shellNode("after", "echo after >> after.log")],
      edges: [
        { from: "ok", to: "flaky" },
        { from: "flaky", to: "after" },
      ],
    });
    const first = await (await startRun(resources, { ...ownership, plan: document, directory: ws.dir })).done;
    expect(first.nodes.get("after")?.status).toBe("skipped");
    writeFileSync(path.join(ws.dir, "fixed"), "");
    const second = await (await retryFailedNodes(resources, first.runId)).done;
    expect(second.status).toBe("succeeded");
    expect(second.nodes.get("ok")).toMatchObject({ status: "succeeded", reused: true });
    expect(readFileSync(path.join(ws.dir, "ok.log"), "utf8")).toBe("ok\n");
    const stored = await resources.store.loadRun(second.runId);
    expect(stored?.parentRunId).toBe(first.runId);
    expect(stored?.nodes.find((node) => node.nodeId === "ok")?.reused).toBe(true);

    const third = await (await retryNode(resources, second.runId, "flaky")).done;
    expect(third.status).toBe("succeeded");
    expect(third.nodes.get("ok")?.reused).toBe(true);
    expect(third.nodes.get("after")?.reused).toBe(false);
    expect(readFileSync(path.join(ws.dir, "after.log"), "utf8")).toBe("after\nafter\n");
  });

  it("undo restores bytes exactly and refuses files changed since unless forced", async () => {
    const original = Buffer.from([0, 1, 2, 255, 10, 13, 10]);
    writeFileSync(path.join(ws.dir, "bin.dat"), original);
    writeFileSync(path.join(ws.dir, "text.txt"), "alpha\nbeta\n");
    writeFileSync(path.join(ws.dir, "gone.txt"), "delete me");
    const { document, ownership } = await seedPlan(db.client, {
      name: "undo",
      nodes: [
        { id: "w", type: "file.write", params: { path: "bin.dat", content: "text now" } },
        { id: "e", type: "file.edit", params: { path: "text.txt", edits: [{ find: "beta", replace: "gamma" }] } },
        { id: "d", type: "file.delete", params: { path: "gone.txt" } },
        { id: "m", type: "file.move", params: { from: "text.txt", to: "moved/text.txt" } },
        { id: "n", type: "file.write", params: { path: "new/file.txt", content: "fresh" } },
      ],
      edges: [{ from: "e", to: "m" }],
    });
    const outcome = await (await startRun(resources, { ...ownership, plan: document, directory: ws.dir })).done;
    expect(outcome.status).toBe("succeeded");
    expect(readFileSync(path.join(ws.dir, "moved/text.txt"), "utf8")).toBe("alpha\ngamma\n");

    writeFileSync(path.join(ws.dir, "new/file.txt"), "edited by someone");
    const refused = await undoRun(resources, outcome.runId);
    expect(refused.restored).toEqual([]);
    expect(refused.conflicts.map((conflict) => conflict.path)).toEqual(["new/file.txt"]);
    expect(existsSync(path.join(ws.dir, "gone.txt"))).toBe(false);

    const forced = await undoRun(resources, outcome.runId, { force: true });
    expect(forced.restored.sort()).toEqual(["bin.dat", "gone.txt", "moved/text.txt", "new/file.txt", "text.txt"]);
    expect(readFileSync(path.join(ws.dir, "bin.dat")).equals(original)).toBe(true);
    expect(readFileSync(path.join(ws.dir, "text.txt"), "utf8")).toBe("alpha\nbeta\n");
    expect(readFileSync(path.join(ws.dir, "gone.txt"), "utf8")).toBe("delete me");
    expect(existsSync(path.join(ws.dir, "moved/text.txt"))).toBe(false);
    expect(existsSync(path.join(ws.dir, "new/file.txt"))).toBe(false);
    await expect(undoRun(resources, outcome.runId)).rejects.toThrow(
      `Nothing to undo: the file changes of run ${outcome.runId} were already undone`,
    );
  });

  it("undo removes the directories the run created and restores a deleted file's mode", async () => {
    mkdirSync(path.join(ws.dir, "was-empty"));
    writeFileSync(path.join(ws.dir, "secret.txt"), "token", { mode: 0o600 });
    chmodSync(path.join(ws.dir, "secret.txt"), 0o600);
    const bytes = Buffer.from([0, 1, 2, 0xff, 0xfe]);
    const { document, ownership } = await seedPlan(db.client, {
      name: "undo-dirs",
      nodes: [
        { id: "deep", type: "file.write", params: { path: "made/by/run/new.txt", content: "new" } },
        { id: "blob", type: "file.write", params: { path: "made/blob.bin", content: bytes.toString("base64"), encoding: "base64" } },
        { id: "mixed", type: "file.write", params: { path: "mixed/dir/a.txt", content: "a" } },
        { id: "into-existing", type: "file.write", params: { path: "was-empty/x.txt", content: "x" } },
        { id: "forget", type: "file.delete", params: { path: "secret.txt" } },
        shellNode("other", "echo kept > mixed/kept.txt"),
      ],
      edges: [{ from: "mixed", to: "other" }],
    });
    const outcome = await (await startRun(resources, { ...ownership, plan: document, directory: ws.dir })).done;
    expect(outcome.status).toBe("succeeded");
    expect(readFileSync(path.join(ws.dir, "made/blob.bin")).equals(bytes)).toBe(true);

    const undone = await undoRun(resources, outcome.runId);
    expect(undone.conflicts).toEqual([]);
    expect(existsSync(path.join(ws.dir, "made"))).toBe(false);
    expect(existsSync(path.join(ws.dir, "mixed/dir"))).toBe(false);
    expect(readFileSync(path.join(ws.dir, "mixed/kept.txt"), "utf8")).toBe("kept\n");
    expect(readdirSync(path.join(ws.dir, "was-empty"))).toEqual([]);
    expect(readFileSync(path.join(ws.dir, "secret.txt"), "utf8")).toBe("token");
    expect(statSync(path.join(ws.dir, "secret.txt")).mode & 0o777).toBe(0o600);
  });

  it("dry run computes diffs, writes nothing and runs no command", async () => {
    writeFileSync(path.join(ws.dir, "a.txt"), "x = 1\n");
    const { document, ownership } = await seedPlan(db.client, {
      name: "dry",
      nodes: [
        { id: "e1", type: "file.edit", params: { path: "a.txt", edits: [{ find: "1", replace: "2" }] } },
        { id: "e2", type: "file.edit", params: { path: "a.txt", edits: [{ find: "x = 2", replace: "y = 2" }] } },
        shellNode("s", "touch ran"),
      ],
      edges: [{ from: "e1", to: "e2" }],
    });
    const outcome = await (await startRun(resources, { ...ownership, plan: document, directory: ws.dir, dryRun: true })).done;
    expect(outcome.status).toBe("succeeded");
    expect(readFileSync(path.join(ws.dir, "a.txt"), "utf8")).toBe("x = 1\n");
    expect(existsSync(path.join(ws.dir, "ran"))).toBe(false);
    const events = await resources.store.listEvents(outcome.runId, 0);
    const diffs = events.flatMap((event) => (event.type === "file.change" ? [event.diff ?? ""] : []));
    expect(diffs.join("\n")).toContain("+y = 2");
    expect(await resources.store.listFileChanges(outcome.runId)).toEqual([]);
  });

  it("recovery marks a crashed run interrupted, kills its orphans, and resume finishes it", async () => {
    const { ownership } = await seedPlan(db.client, {
      name: "recover",
      nodes: [shellNode("done", "echo done > done.txt"), shellNode("was-running", "echo second > second.txt")],
      edges: [{ from: "done", to: "was-running" }],
    });
    // A run as a crashed runner leaves it: one node finished, one running with a live process group.
    const orphan = spawn("/bin/sh", ["-c", "sleep 30 & sleep 30"], { detached: true, stdio: "ignore" });
    const orphanExited = new Promise((resolve) => orphan.once("exit", resolve));
    const orphanPid = orphan.pid as number;
    const run = await db.client.run.create({
      data: {
        ...ownership,
        directory: ws.dir,
        status: "running",
        settings: toJsonColumn({ concurrency: 2, runnerPid: 999_999_999 }),
        lastEventSeq: 3,
        nodeRuns: {
          create: [
            { nodeId: "done", status: "succeeded", attempt: 1, result: toJsonColumn({ exitCode: 0 }), exitCode: 0 },
            { nodeId: "was-running", status: "running", attempt: 1, pid: orphanPid },
          ],
        },
      },
    });
    const recovered = await recoverInterruptedRuns(resources);
    expect(recovered).toEqual([
      {
        runId: run.id,
        status: "interrupted",
        interruptedNodes: ["was-running"],
        killedProcessGroups: [orphanPid],
        recoveredChanges: [],
        recoveredEvents: 0,
        rolledBackBatches: [],
      },
    ]);
    await orphanExited;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(groupAlive(orphanPid)).toBe(false);
    const interrupted = await resources.store.loadRun(run.id);
    expect(interrupted?.status).toBe("interrupted");
    expect(interrupted?.nodes.find((node) => node.nodeId === "done")).toMatchObject({ status: "succeeded", result: { exitCode: 0 } });

    const outcome = await (await resumeRun(resources, run.id)).done;
    expect(outcome.status).toBe("succeeded");
    expect(existsSync(path.join(ws.dir, "done.txt"))).toBe(false);
    expect(readFileSync(path.join(ws.dir, "second.txt"), "utf8")).toBe("second\n");
    const events = await resources.store.listEvents(run.id, 3);
    expect(events[0]?.seq).toBe(4);
  });

  it("recovery interrupts a run its runner created but never started, and resume runs all of it", async () => {
    const { document, ownership } = await seedPlan(db.client, {
      name: "never started",
      nodes: [shellNode("first", "echo one > one.txt"), shellNode("second", "echo two > two.txt")],
      edges: [{ from: "first", to: "second" }],
    });
    // As a runner that died right after creating the run leaves it: queued, without even its pending node rows.
    const run = await db.client.run.create({
      data: { ...ownership, directory: ws.dir, status: "queued", settings: toJsonColumn({ concurrency: 2, runnerPid: 999_999_999 }) },
    });
    const recovered = await recoverInterruptedRuns(resources);
    expect(recovered).toEqual([
      {
        runId: run.id,
        status: "interrupted",
        interruptedNodes: [],
        killedProcessGroups: [],
        recoveredChanges: [],
        recoveredEvents: 0,
        rolledBackBatches: [],
      },
    ]);
    const events = await resources.store.listEvents(run.id, 0);
    expect(events.at(-1)).toMatchObject({ type: "run.status", status: "interrupted", counts: { pending: document.nodes.length } });
    const outcome = await (await resumeRun(resources, run.id)).done;
    expect(outcome.status).toBe("succeeded");
    expect(readFileSync(path.join(ws.dir, "two.txt"), "utf8")).toBe("two\n");
    expect((await resources.store.loadRun(run.id))?.nodes.map((node) => [node.nodeId, node.status]).sort()).toEqual([
      ["first", "succeeded"],
      ["second", "succeeded"],
    ]);
  });
});
