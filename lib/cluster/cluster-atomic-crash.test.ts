/**
 * A worker killed with kill -9 a quarter into an atomic multi-edit batch:
 * another worker takes the run over, rolls the batch back from the dead
 * worker's change log (both share the data directory, as workers on one
 * host do), and resumes it: every file is edited exactly once, and the shell
 * node that finished before the crash does not run again. Real PostgreSQL,
 * Redis and worker processes.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createPrismaRunStore } from "../db/run-store";
import { atomicEditBatch } from "../testing/atomic-edit-batch";
import { startTestCluster, waitForRunToFinish, type TestCluster } from "../testing/cluster-harness";

const batch = atomicEditBatch(300);
let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster();
}, 300_000);
afterAll(async () => {
  await cluster?.destroy();
});

it("another worker rolls back the dead worker's half-applied batch and finishes the run", async () => {
  const workspace = cluster.firstStart.workspace.directory;
  batch.writeOriginals(workspace);
  const doomedWorker = await cluster.startWorker({ concurrency: 1 });
  const planId = await cluster.createPlan(batch.document);
  const { runId } = await cluster
    .startWebServer()
    .runs.startPlanRun(cluster.scope, { planId, workspaceId: cluster.firstStart.workspace.id });
  const changeLogs = path.join(cluster.dataDir, "change-logs");
  const deadline = Date.now() + 60_000;
  while (!batch.underWay(changeLogs)) {
    if (Date.now() > deadline) throw new Error("the batch did not start");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  doomedWorker.child.kill("SIGKILL");
  await doomedWorker.exited;
  const editedAtKill = batch.countChanged(workspace);
  expect(editedAtKill).toBeGreaterThan(0);
  expect(editedAtKill).toBeLessThan(300);

  const killedAt = Date.now();
  const rescuer = await cluster.startWorker({ concurrency: 1 });
  expect(await waitForRunToFinish(cluster.database, runId, 120_000)).toBe("succeeded");
  console.log(
    `killed with ${editedAtKill} of 300 files edited; taken over, rolled back and finished ${Date.now() - killedAt} ms after kill -9`,
  );
  expect(rescuer.output()).toMatch(/rolled back/);
  expect(batch.notEditedOnce(workspace)).toEqual([]);
  expect(readFileSync(path.join(workspace, "prep.log"), "utf8")).toBe("prep\n");
  const events = await createPrismaRunStore(cluster.database.client).listEvents(runId, 0);
  expect(events.find((event) => event.type === "batch.status" && event.status === "rolled-back")).toMatchObject({ interrupted: true });
  expect(events.find((event) => event.type === "node.status" && event.nodeId === "prep" && event.status === "succeeded")).toBeDefined();
  const seqs = events.map((event) => event.seq);
  expect(seqs).toEqual(seqs.map((_, index) => index + 1));
}, 240_000);
