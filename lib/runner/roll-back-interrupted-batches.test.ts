/**
 * Recovery of an atomic batch a crash cut short, with the logs a runner
 * leaves: the real journal wrote the batch's changes (and their change-log
 * entries) without committing them, the event log holds what was emitted,
 * and nothing reached the store. The real crash, with a real process, is in
 * lib/db/atomic-batch-crash.test.ts.
 */
import { chmodSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { optimizePlan } from "../plan/optimize-plan";
import { openChangeLog } from "./change-log";
import { openEventLog } from "./event-log";
import { diskFileSystem } from "./file-system";
import { FileJournal } from "./journal";
import { recoverInterruptedRuns } from "./recovery";
import type { RunEvent } from "../run-events/run-events";
import { resumeRun } from "./runs";
import { pendingNodeState } from "./run-recorder";
import { memoryResources, plan, temporaryDirectory } from "./testing/harness";
import { undoRun } from "./undo";
import { openWorkspace } from "./workspace";

let ws: ReturnType<typeof temporaryDirectory>;
let logs: ReturnType<typeof temporaryDirectory>;
beforeEach(() => {
  ws = temporaryDirectory();
  logs = temporaryDirectory("batchboard-logs-");
});
afterEach(() => {
  ws.cleanup();
  logs.cleanup();
});

const DOOMED = Buffer.from([0, 1, 2, 255, 10]);
const document = plan({
  settings: { fileBatchMode: "atomic" },
  nodes: [
    { id: "create", type: "file.write", params: { path: "made/deep/new.txt", content: "new\n" } },
    { id: "delete", type: "file.delete", params: { path: "doomed.bin" } },
    { id: "edit", type: "file.edit", params: { path: "edit.txt", edits: [{ find: "beta", replace: "BETA" }] } },
    { id: "after", type: "file.write", params: { path: "after.txt", content: "after\n" } },
  ],
  edges: [{ from: "edit", to: "after" }],
});

it("puts back created, deleted and edited files byte for byte, with modes and directories; resume then runs the batch once", async () => {
  const file = (name: string) => path.join(ws.dir, name);
  writeFileSync(file("edit.txt"), "alpha\nbeta\n");
  writeFileSync(file("doomed.bin"), DOOMED);
  chmodSync(file("doomed.bin"), 0o751);
  const resources = memoryResources();
  resources.changeLogDirectory = logs.dir;
  resources.plans.set("v1", document);
  const executionPlan = optimizePlan(document);
  const batch = executionPlan.batches.find((candidate) => candidate.atomic && candidate.nodeIds.includes("create"));
  expect(batch?.nodeIds).toEqual(["create", "delete", "edit"]);
  const nodes = document.nodes.map((node) => pendingNodeState(node.id, executionPlan.batchIdOf[node.id] ?? null));
  const { id: runId } = await resources.store.createRun({
    teamId: "t",
    planId: "p",
    planVersionId: "v1",
    startedById: "u",
    directory: ws.dir,
    settings: { concurrency: 4, runnerPid: 999_999_999 },
    dryRun: false,
    nodes,
  });

  // What the runner did before it died: its events logged, the batch's changes on disk and in the change log, none committed.
  const eventLog = openEventLog(logs.dir, runId);
  const at = Date.now();
  const emitted: RunEvent[] = [
    { type: "run.status", runId, seq: 1, at, status: "running" },
    {
      type: "batch.status",
      runId,
      seq: 2,
      at,
      batchId: batch?.id ?? "",
      kind: "file-change",
      status: "started",
      nodeIds: ["create", "delete", "edit"],
    },
    { type: "node.status", runId, seq: 3, at, nodeId: "create", status: "running", attempt: 1, batchId: batch?.id },
    { type: "node.status", runId, seq: 4, at, nodeId: "delete", status: "running", attempt: 1, batchId: batch?.id },
  ];
  for (const event of emitted) eventLog.append(event);
  const changeLog = openChangeLog(logs.dir, runId, { beforeAppend: () => eventLog.flush() });
  const journal = new FileJournal(diskFileSystem, await openWorkspace(ws.dir), () => expect.fail("nothing commits"), 1, changeLog);
  const scope = journal.scope();
  await scope.forNode("create").write("made/deep/new.txt", Buffer.from("new\n"));
  await scope.forNode("delete").remove("doomed.bin");
  await scope.forNode("edit").update("edit.txt", (before) => Buffer.from(String(before).replace("beta", "BETA")));
  eventLog.close();
  changeLog.close();
  expect(existsSync(file("made/deep/new.txt"))).toBe(true);
  expect(existsSync(file("doomed.bin"))).toBe(false);
  expect(await resources.store.listEvents(runId, 0)).toEqual([]);

  const [recovered] = await recoverInterruptedRuns(resources);
  expect(recovered).toMatchObject({
    runId,
    status: "interrupted",
    recoveredEvents: 4,
    rolledBackBatches: [batch?.id],
    interruptedNodes: [],
    recoveredChanges: [],
  });
  expect(readdirSync(logs.dir)).toEqual([]);
  expect(existsSync(file("made"))).toBe(false);
  expect(readFileSync(file("doomed.bin"))).toEqual(DOOMED);
  expect(statSync(file("doomed.bin")).mode & 0o777).toBe(0o751);
  expect(readFileSync(file("edit.txt"), "utf8")).toBe("alpha\nbeta\n");
  const stored = await resources.store.listEvents(runId, 0);
  expect(stored.slice(0, 4)).toEqual(emitted);
  expect(
    stored.slice(4).map((event) => [event.type, "status" in event ? event.status : null, "nodeId" in event ? event.nodeId : null]),
  ).toEqual([
    ["batch.status", "rolled-back", null],
    ["node.status", "pending", "create"],
    ["node.status", "pending", "delete"],
    ["run.status", "interrupted", null],
  ]);
  expect(stored[4]).toMatchObject({ interrupted: true, nodeIds: ["create", "delete", "edit"] });
  const run = await resources.store.loadRun(runId);
  expect(run?.nodes.map((node) => [node.nodeId, node.status])).toEqual([
    ["create", "pending"],
    ["delete", "pending"],
    ["edit", "pending"],
    ["after", "pending"],
  ]);

  const outcome = await (await resumeRun(resources, runId)).done;
  expect(outcome.status).toBe("succeeded");
  expect(readFileSync(file("edit.txt"), "utf8")).toBe("alpha\nBETA\n");
  expect(readFileSync(file("made/deep/new.txt"), "utf8")).toBe("new\n");
  expect(existsSync(file("doomed.bin"))).toBe(false);
  expect((await undoRun(resources, runId)).conflicts).toEqual([]);
  expect(existsSync(file("made"))).toBe(false);
  expect(statSync(file("doomed.bin")).mode & 0o777).toBe(0o751);
  expect(readFileSync(file("edit.txt"), "utf8")).toBe("alpha\nbeta\n");
});

it("leaves a batch alone once all its nodes reported, and keeps a run its log shows finished as it finished", async () => {
  const resources = memoryResources();
  resources.changeLogDirectory = logs.dir;
  resources.plans.set("v1", document);
  const nodes = document.nodes.map((node) => pendingNodeState(node.id, null));
  const { id: runId } = await resources.store.createRun({
    teamId: "t",
    planId: "p",
    planVersionId: "v1",
    startedById: "u",
    directory: ws.dir,
    settings: { concurrency: 4, runnerPid: 999_999_999 },
    dryRun: false,
    nodes,
  });
  const eventLog = openEventLog(logs.dir, runId);
  const at = Date.now();
  let seq = 0;
  eventLog.append({ type: "run.status", runId, seq: ++seq, at, status: "running" });
  eventLog.append({
    type: "batch.status",
    runId,
    seq: ++seq,
    at,
    batchId: "b",
    kind: "file-change",
    status: "started",
    nodeIds: ["create", "delete", "edit"],
  });
  for (const node of document.nodes)
    eventLog.append({ type: "node.status", runId, seq: ++seq, at, nodeId: node.id, status: "succeeded", attempt: 1 });
  eventLog.append({
    type: "batch.status",
    runId,
    seq: ++seq,
    at,
    batchId: "b",
    kind: "file-change",
    status: "succeeded",
    nodeIds: ["create", "delete", "edit"],
  });
  eventLog.append({ type: "run.status", runId, seq: ++seq, at, status: "succeeded" });
  eventLog.close();

  const [recovered] = await recoverInterruptedRuns(resources);
  expect(recovered).toMatchObject({ runId, status: "succeeded", rolledBackBatches: [], interruptedNodes: [], recoveredEvents: seq });
  const run = await resources.store.loadRun(runId);
  expect(run?.status).toBe("succeeded");
  expect(run?.nodes.every((node) => node.status === "succeeded")).toBe(true);
  expect((await resources.store.listEvents(runId, 0)).map((event) => event.seq)).toEqual(
    Array.from({ length: seq }, (_, index) => index + 1),
  );
  expect(readdirSync(logs.dir)).toEqual([]);
});
