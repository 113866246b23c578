/**
 * A runner killed with SIGKILL halfway through an atomic batch of
 * multi-edits over 500 files (and a create and a delete, which had started:
 * their asynchronous I/O waits behind the edits' synchronous I/O, so they
 * are not done by the kill; roll-back-interrupted-batches.test.ts restores
 * those kinds of change byte for byte): recovery stores
 * every event it emitted and rolls the batch back from the change log, so
 * resume applies every edit exactly once and undo still restores every byte.
 * Real process, real SIGKILL, real SQLite and PostgreSQL, real files.
 *
 * 500 files rather than the 2,000 of the issue: resuming runs every node
 * again through the main-thread Prisma store, which on 2 shared cores took
 * 25–36 s for 2,000 files on SQLite and over a minute on PostgreSQL.
 */
import { spawn } from "node:child_process";
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recoverInterruptedRuns } from "../runner/recovery";
import { createRunnerResources, type RunnerResources } from "../runner/resources";
import type { RunEvent } from "../run-events/run-events";
import { resumeRun } from "../runner/runs";
import { temporaryDirectory } from "../runner/testing/harness";
import { undoRun } from "../runner/undo";
import { atomicEditBatch } from "../testing/atomic-edit-batch";
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from "../testing/test-database";
import { toJsonColumn } from "./json";
import { createPrismaRunStore } from "./run-store";

const REPO = path.join(__dirname, "../..");
const FILES = 500;
const DOOMED = Buffer.from([0, 1, 2, 255, 10]);
const batch = atomicEditBatch(FILES, [
  { id: "create", type: "file.write", params: { path: "made/deep/new.txt", content: "new\n" } },
  { id: "delete", type: "file.delete", params: { path: "doomed.bin" } },
]);
const { document } = batch;

async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe.each(TEST_PROVIDERS)("an atomic batch killed halfway, on %s", (provider) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(provider);
  });
  afterAll(() => db.destroy());

  // "everything": the store knows nothing of the run but its creation, so every event must come from the log.
  it.each(["everything", "nothing"] as const)(
    "holding back %s of the flushes: rolled back, resumed once, undone",
    async (hold) => {
      const ws = temporaryDirectory();
      const data = temporaryDirectory("batchboard-data-");
      try {
        batch.writeOriginals(ws.dir);
        const doomed = path.join(ws.dir, "doomed.bin");
        writeFileSync(doomed, DOOMED, { mode: 0o751 });
        chmodSync(doomed, 0o751);
        const suffix = `${provider}-${hold}`;
        const team = await db.client.team.create({ data: { name: "T", slug: `t-${suffix}` } });
        const user = await db.client.user.create({ data: { email: `u-${suffix}@x.test`, name: "U" } });
        const plan = await db.client.plan.create({ data: { teamId: team.id, ownerId: user.id, name: document.name, latestVersion: 1 } });
        const version = await db.client.planVersion.create({
          data: { planId: plan.id, number: 1, graph: toJsonColumn(document), graphHash: "h", authorId: user.id },
        });
        const changeLogDirectory = path.join(data.dir, "change-logs");
        const input = path.join(data.dir, "input.json");
        writeFileSync(
          input,
          JSON.stringify({
            databaseUrl: db.config.url,
            directory: ws.dir,
            changeLogDirectory,
            ownership: { teamId: team.id, planId: plan.id, planVersionId: version.id, startedById: user.id },
            plan: document,
            hold,
          }),
        );
        const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO, "lib/testing/crash-before-journal.ts"), `@${input}`], {
          cwd: REPO,
          stdio: ["ignore", "pipe", "inherit"],
        });
        let runId = "";
        child.stdout.on("data", (chunk: Buffer) => (runId ||= /run (\S+)/.exec(chunk.toString())?.[1] ?? ""));
        const exited = new Promise((resolve) => child.once("exit", resolve));
        await waitFor(() => batch.underWay(changeLogDirectory));
        child.kill("SIGKILL");
        await exited;
        await waitFor(() => runId !== "", 5_000);

        const editedAtKill = batch.countChanged(ws.dir);
        console.log(`${provider}, ${hold} held: killed with ${editedAtKill} of ${FILES} files edited`);
        expect(editedAtKill).toBeGreaterThan(0);
        expect(editedAtKill).toBeLessThan(FILES);

        const store = createPrismaRunStore(db.client);
        const storedBeforeRecovery = await store.listEvents(runId, 0);
        if (hold === "everything") expect(storedBeforeRecovery).toEqual([]);
        const resources: RunnerResources = createRunnerResources({ store, changeLogDirectory, limits: { flushIntervalMs: 5 } });
        const recoveryStarted = performance.now();
        const [recovered] = await recoverInterruptedRuns(resources);
        const recoveryMs = Math.round(performance.now() - recoveryStarted);
        expect(recovered).toMatchObject({ runId, status: "interrupted", interruptedNodes: [], recoveredChanges: [] });
        expect(recovered?.rolledBackBatches).toHaveLength(1);
        if (hold === "everything") expect(recovered?.recoveredEvents).toBeGreaterThan(0);
        expect(readdirSync(changeLogDirectory)).toEqual([]);

        // Before resume: every byte as it was, and the events the runner emitted before the crash are stored.
        expect(batch.countChanged(ws.dir)).toBe(0);
        expect(existsSync(path.join(ws.dir, "made"))).toBe(false);
        expect(readFileSync(doomed)).toEqual(DOOMED);
        expect(statSync(doomed).mode & 0o777).toBe(0o751);
        const events = await store.listEvents(runId, 0);
        const batchId = recovered?.rolledBackBatches[0];
        const interrupted = await store.loadRun(runId);
        expect(interrupted?.status).toBe("interrupted");
        expect(interrupted?.nodes.find((node) => node.nodeId === "prep")).toMatchObject({ status: "succeeded", exitCode: 0 });
        expect(interrupted?.nodes.filter((node) => node.status !== "pending").map((node) => node.nodeId)).toEqual(["prep"]);
        const find = (predicate: (event: RunEvent) => boolean) => events.find(predicate);
        expect(find((event) => event.type === "run.status" && event.status === "running")).toBeDefined();
        expect(find((event) => event.type === "node.status" && event.nodeId === "prep" && event.status === "running")).toBeDefined();
        expect(find((event) => event.type === "node.status" && event.nodeId === "prep" && event.status === "succeeded")).toBeDefined();
        expect(find((event) => event.type === "node.status" && event.nodeId === "create" && event.status === "running")).toBeDefined();
        expect(find((event) => event.type === "batch.status" && event.status === "started" && event.batchId === batchId)).toMatchObject({
          nodeIds: expect.any(Array),
        });
        expect(find((event) => event.type === "batch.status" && event.status === "rolled-back")).toMatchObject({
          batchId,
          interrupted: true,
        });
        expect(events.at(-1)).toMatchObject({ type: "run.status", status: "interrupted" });

        const resumeStarted = performance.now();
        const outcome = await (await resumeRun(resources, runId)).done;
        const resumeMs = Math.round(performance.now() - resumeStarted);
        expect(outcome.status).toBe("succeeded");
        expect(batch.notEditedOnce(ws.dir)).toEqual([]);
        expect(readFileSync(path.join(ws.dir, "prep.log"), "utf8")).toBe("prep\n");
        expect(readFileSync(path.join(ws.dir, "made/deep/new.txt"), "utf8")).toBe("new\n");
        expect(existsSync(doomed)).toBe(false);
        const seqs = (await store.listEvents(runId, 0)).map((event) => event.seq);
        expect(seqs).toEqual(seqs.map((_, index) => index + 1));
        expect(readdirSync(changeLogDirectory)).toEqual([]);

        const undone = await undoRun(resources, runId);
        expect(undone.conflicts).toEqual([]);
        expect(undone.restored).toHaveLength(FILES + 2);
        expect(batch.countChanged(ws.dir)).toBe(0);
        expect(existsSync(path.join(ws.dir, "made"))).toBe(false);
        expect(readFileSync(doomed)).toEqual(DOOMED);
        expect(statSync(doomed).mode & 0o777).toBe(0o751);
        console.log(`${provider}, ${hold} held: recovery ${recoveryMs} ms, resume ${resumeMs} ms`);
      } finally {
        ws.cleanup();
        data.cleanup();
      }
    },
    90_000,
  );
});
