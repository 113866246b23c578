/**
 * A runner killed after changing files but before its journal was stored:
 * recovery finds the changes in the change log, journals them, and undo
 * restores every byte. Real process, real SIGKILL, real SQLite, real files.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { PlanDocument } from "../plan/schema";
import { recoverInterruptedRuns } from "../runner/recovery";
import { createRunnerResources } from "../runner/resources";
import { temporaryDirectory } from "../runner/testing/harness";
import { undoRun } from "../runner/undo";
import { createTestDatabase, type TestDatabase } from "../testing/test-database";
import { toJsonColumn } from "./json";
import { createPrismaRunStore } from "./run-store";

const REPO = path.join(__dirname, "../..");
let db: TestDatabase;
let ws: ReturnType<typeof temporaryDirectory>;
let data: ReturnType<typeof temporaryDirectory>;
beforeAll(async () => {
  db = await createTestDatabase("sqlite");
  ws = temporaryDirectory();
  data = temporaryDirectory("batchboard-data-");
});
afterAll(async () => {
  await db.destroy();
  ws.cleanup();
  data.cleanup();
});

async function waitFor(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

it("journals the changes a crash kept from the store, and undo restores them byte for byte", async () => {
  const file = (name: string) => path.join(ws.dir, name);
  const original = "alpha\nbeta\ngamma\n";
  const doomed = Buffer.from([0, 1, 2, 255, 10]);
  writeFileSync(file("edit.txt"), original);
  writeFileSync(file("doomed.bin"), doomed);
  const document = PlanDocument.parse({
    name: "crash before journal",
    settings: { fileBatchMode: "independent" },
    nodes: [
      // The run is stored as running before any file changes.
      { id: "settle", type: "shell", params: { command: "sleep 0.3" } },
      { id: "edit", type: "file.edit", params: { path: "edit.txt", edits: [{ find: "beta", replace: "BETA" }] } },
      { id: "create", type: "file.write", params: { path: "made/new.txt", content: "new file\n" } },
      { id: "delete", type: "file.delete", params: { path: "doomed.bin" } },
    ],
    edges: [
      { from: "settle", to: "edit" },
      { from: "settle", to: "create" },
      { from: "settle", to: "delete" },
    ],
  });
  const team = await db.client.team.create({ data: { name: "T", slug: "t" } });
  const user = await db.client.user.create({ data: { email: "u@x.test", name: "U" } });
  const plan = await db.client.plan.create({ data: { teamId: team.id, ownerId: user.id, name: document.name, latestVersion: 1 } });
  const version = await db.client.planVersion.create({
    data: { planId: plan.id, number: 1, graph: toJsonColumn(document), graphHash: "h", authorId: user.id },
  });
  const changeLogDirectory = path.join(data.dir, "change-logs");
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(REPO, "lib/testing/crash-before-journal.ts"),
      JSON.stringify({
        databaseUrl: db.config.url,
        directory: ws.dir,
        changeLogDirectory,
        ownership: { teamId: team.id, planId: plan.id, planVersionId: version.id, startedById: user.id },
        plan: document,
      }),
    ],
    { cwd: REPO, stdio: ["ignore", "pipe", "inherit"] },
  );
  let runId = "";
  child.stdout.on("data", (chunk: Buffer) => (runId ||= /run (\S+)/.exec(chunk.toString())?.[1] ?? ""));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  await waitFor(
    () =>
      runId !== "" &&
      existsSync(file("made/new.txt")) &&
      !existsSync(file("doomed.bin")) &&
      readFileSync(file("edit.txt"), "utf8") !== original,
  );
  child.kill("SIGKILL");
  await exited;

  const store = createPrismaRunStore(db.client);
  expect(await store.listFileChanges(runId)).toEqual([]);
  const resources = createRunnerResources({ store, changeLogDirectory });
  const [recovered] = await recoverInterruptedRuns(resources, { isRunnerAlive: () => false });
  expect(recovered?.runId).toBe(runId);
  expect(recovered?.recoveredChanges.sort()).toEqual(["doomed.bin", "edit.txt", "made/new.txt"]);
  expect(readdirSync(changeLogDirectory)).toEqual([]);
  const journal = await store.listFileChanges(runId);
  expect(journal.map((change) => [change.path, change.operation]).sort()).toEqual([
    ["doomed.bin", "delete"],
    ["edit.txt", "update"],
    ["made/new.txt", "create"],
  ]);

  const undone = await undoRun(resources, runId);
  expect(undone.conflicts).toEqual([]);
  expect(readFileSync(file("edit.txt"), "utf8")).toBe(original);
  expect(readFileSync(file("doomed.bin")).equals(doomed)).toBe(true);
  expect(existsSync(file("made/new.txt"))).toBe(false);
}, 60_000);
