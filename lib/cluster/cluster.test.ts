/**
 * Cluster mode end to end with real PostgreSQL, Redis and worker processes
 * (scripts/worker.ts); the web side is the run service on the queue
 * dispatcher, as the web server builds it in cluster mode.
 */
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { listWorkers, recordWorkerHeartbeat, setWorkspaceTag } from "../db/workers";
import type { PlanDocumentInput } from "../plan/schema";
import type { RunEvent } from "../run-events/run-events";
import { startTestCluster, waitForRunToFinish, type TestCluster, type WebServer, type WorkerProcess } from "../testing/cluster-harness";

const quickPlan: PlanDocumentInput = {
  name: "write then check",
  nodes: [
    { id: "write", type: "file.write", params: { path: "out/hello.txt", content: "hello\n" } },
    { id: "check", type: "shell", params: { command: "grep -q hello out/hello.txt && echo checked" } },
  ],
  edges: [{ from: "write", to: "check" }],
};

describe("cluster mode (real PostgreSQL, Redis and worker processes)", { timeout: 240_000 }, () => {
  let cluster: TestCluster;
  let serverA: WebServer;
  let serverB: WebServer;
  let workers: WorkerProcess[];

  beforeAll(async () => {
    cluster = await startTestCluster();
    serverA = cluster.startWebServer();
    serverB = cluster.startWebServer();
    workers = await Promise.all([1, 2, 3].map(() => cluster.startWorker({ concurrency: 4, drainMs: 1_500 })));
  }, 400_000);
  afterAll(async () => {
    await cluster?.destroy();
  });

  async function workerHolding(runId: string): Promise<WorkerProcess> {
    for (;;) {
      const run = await cluster.database.client.run.findUniqueOrThrow({ where: { id: runId } });
      const holder = workers.find((worker) => run.workerId === `${os.hostname()}-${worker.pid}`);
      if (holder && run.status === "running") return holder;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function nodeStatus(runId: string, nodeId: string): Promise<string | undefined> {
    return (await cluster.database.client.nodeRun.findFirst({ where: { runId, nodeId } }))?.status;
  }

  async function waitForNode(runId: string, nodeId: string, status: string): Promise<void> {
    while ((await nodeStatus(runId, nodeId)) !== status) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  it("spreads 200 runs over 3 workers", async () => {
    const planId = await cluster.createPlan(quickPlan);
    const started = Date.now();
    // Submitted by 10 clients at a time, as a load balancer would spread them.
    const runIds: string[] = [];
    for (let batch = 0; batch < 20; batch++) {
      runIds.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, () => serverA.runs.startPlanRun(cluster.scope, { planId }).then((run) => run.runId)),
        )),
      );
    }
    for (const runId of runIds) expect(await waitForRunToFinish(cluster.database, runId, 120_000)).toBe("succeeded");
    const byWorker = await cluster.database.client.run.groupBy({ by: ["workerId"], where: { id: { in: runIds } }, _count: { _all: true } });
    const counts: Record<string, number> = Object.fromEntries(byWorker.map((group) => [group.workerId ?? "none", group._count._all]));
    console.log(`200 runs in ${Date.now() - started} ms, per worker:`, counts);
    expect(Object.keys(counts).sort()).toEqual(workers.map((worker) => `${os.hostname()}-${worker.pid}`).sort());
    expect(Object.values(counts).reduce((sum, count) => sum + count, 0)).toBe(200);
    // Each run starts its own command sandbox: on 2 shared cores this took 6 minutes under load, 40 s on a quiet machine.
  }, 600_000);

  it("runs a plan on a worker, and a run started through server A streams live through server B", async () => {
    const planId = await cluster.createPlan({
      name: "slow steps",
      nodes: [
        { id: "write", type: "file.write", params: { path: "a.txt", content: "a\n" } },
        { id: "wait", type: "shell", params: { command: "sleep 1; echo waited" } },
      ],
      edges: [{ from: "write", to: "wait" }],
    });
    const { runId } = await serverA.runs.startPlanRun(cluster.scope, { planId, workspaceId: cluster.firstStart.workspace.id });
    const seen: RunEvent[] = [];
    const subscribe = await serverB.runs.openEventStream(cluster.scope, runId, 0);
    const unsubscribe = await subscribe((event) => seen.push(event));
    expect(await waitForRunToFinish(cluster.database, runId)).toBe("succeeded");
    await new Promise((resolve) => setTimeout(resolve, 200));
    unsubscribe();
    const seqs = seen.map((event) => event.seq);
    expect(seqs).toEqual(seqs.map((_, index) => index + 1));
    expect(seen.at(-1)).toMatchObject({ type: "run.status", status: "succeeded" });
    expect(readFileSync(path.join(cluster.firstStart.workspace.directory, "a.txt"), "utf8")).toBe("a\n");
    const run = await cluster.database.client.run.findUniqueOrThrow({ where: { id: runId } });
    expect(workers.map((worker) => `${os.hostname()}-${worker.pid}`)).toContain(run.workerId);
    // The sandbox the worker started from the job's spec, while claiming the run, is the one the run used.
    expect(workers.map((worker) => worker.output()).join("")).not.toMatch(/did not use the sandbox/);
  });

  /** The runs a worker's heartbeat row lists (what the Workers page shows). */
  async function runsListedBy(workerId: string): Promise<string[]> {
    return (await listWorkers(cluster.database.client)).find((worker) => worker.id === workerId)?.runningRunIds ?? [];
  }

  it("cancel through another server reaches the worker holding the run within a second", async () => {
    const planId = await cluster.createPlan({
      name: "long",
      nodes: [{ id: "sleep", type: "shell", params: { command: "sleep 30" } }],
      edges: [],
    });
    const { runId } = await serverA.runs.startPlanRun(cluster.scope, { planId });
    await waitForNode(runId, "sleep", "running");
    // Listed on the Workers page within 200 ms of the worker taking it, well before the 2 s heartbeat.
    const holder = (await cluster.database.client.run.findUniqueOrThrow({ where: { id: runId } })).workerId as string;
    await vi.waitFor(async () => expect(await runsListedBy(holder)).toContain(runId), { timeout: 500, interval: 20 });
    const seen: RunEvent[] = [];
    const unsubscribe = await (await serverB.runs.openEventStream(cluster.scope, runId, 0))((event) => seen.push(event));
    const asked = Date.now();
    await serverB.runs.cancelRun(cluster.scope, runId);
    // The first sign from the worker: the node it stopped (the run's own status follows).
    while (!seen.some((event) => (event.type === "node.status" || event.type === "run.status") && event.status === "cancelled")) {
      expect(Date.now() - asked).toBeLessThan(1_000);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    console.log(`cancel reached the worker and came back as an event in ${Date.now() - asked} ms`);
    unsubscribe();
    expect(await waitForRunToFinish(cluster.database, runId)).toBe("cancelled");
    await vi.waitFor(async () => expect(await runsListedBy(holder)).not.toContain(runId), { timeout: 600, interval: 20 });
  });

  it("a worker killed with kill -9 mid-run: another one resumes the run, finished nodes are not run again", async () => {
    const planId = await cluster.createPlan({
      name: "crash mid-run",
      nodes: [
        { id: "first", type: "shell", params: { command: "echo first >> ran.log" } },
        { id: "slow", type: "shell", params: { command: "echo slow >> ran.log; sleep 3" } },
        { id: "last", type: "shell", params: { command: "echo last >> ran.log" } },
      ],
      edges: [
        { from: "first", to: "slow" },
        { from: "slow", to: "last" },
      ],
    });
    const { runId } = await serverA.runs.startPlanRun(cluster.scope, { planId });
    const holder = await workerHolding(runId);
    await waitForNode(runId, "slow", "running");
    holder.child.kill("SIGKILL");
    await holder.exited;
    workers = workers.filter((worker) => worker !== holder);
    const killedAt = Date.now();
    expect(await waitForRunToFinish(cluster.database, runId, 90_000)).toBe("succeeded");
    console.log(`run taken over and finished ${Date.now() - killedAt} ms after kill -9`);
    const run = await cluster.database.client.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run.workerId).not.toBe(`${os.hostname()}-${holder.pid}`);
    expect(readFileSync(path.join(run.directory, "ran.log"), "utf8")).toBe("first\nslow\nslow\nlast\n");
  });

  it("SIGTERM drains: no new runs, and a run still going at the drain timeout is handed to another worker", async () => {
    const planId = await cluster.createPlan({
      name: "outlives the drain",
      nodes: [
        { id: "done", type: "shell", params: { command: "echo done >> ran.log" } },
        { id: "slow", type: "shell", params: { command: "echo slow >> ran.log; sleep 4" } },
      ],
      edges: [{ from: "done", to: "slow" }],
    });
    const { runId } = await serverA.runs.startPlanRun(cluster.scope, { planId });
    const holder = await workerHolding(runId);
    await waitForNode(runId, "slow", "running");
    holder.child.kill("SIGTERM");
    expect(await holder.exited).toBe(0);
    expect(holder.output()).toMatch(/handed over 1 run/);
    workers = workers.filter((worker) => worker !== holder);
    expect(await waitForRunToFinish(cluster.database, runId, 90_000)).toBe("succeeded");
    const run = await cluster.database.client.run.findUniqueOrThrow({ where: { id: runId } });
    expect(readFileSync(path.join(run.directory, "ran.log"), "utf8")).toBe("done\nslow\nslow\n");
    const stopped = await cluster.database.client.worker.findUniqueOrThrow({ where: { id: `${os.hostname()}-${holder.pid}` } });
    expect(stopped.stoppedAt).not.toBeNull();
  });

  it("refuses a run for a tag no worker has served, and keeps a run queued until a worker of its tag starts", async () => {
    const planId = await cluster.createPlan(quickPlan);
    const workspaceId = cluster.firstStart.workspace.id;
    await setWorkspaceTag(cluster.database.client, cluster.scope.teamId, workspaceId, "gpu");
    await expect(serverA.runs.startPlanRun(cluster.scope, { planId, workspaceId })).rejects.toThrow(/No worker has ever served tag "gpu"/);
    // A worker served "gpu" once and is gone: the tag is known, and no live worker serves it.
    await recordWorkerHeartbeat(
      cluster.database.client,
      { id: "gone", host: "elsewhere", pid: 1, tags: ["gpu"], concurrency: 1, runningRunIds: [] },
      new Date(0),
    );
    const { runId } = await serverA.runs.startPlanRun(cluster.scope, { planId, workspaceId });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // The default-tag worker of the first test does not take it.
    expect((await cluster.database.client.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("queued");
    expect(await serverA.dispatcher.queues.of("gpu").getJobCounts("wait")).toEqual({ wait: 1 });
    // Cancelled while queued: no worker will say that its end is stored, so the server that cancelled it does.
    const { runId: cancelledId } = await serverA.runs.startPlanRun(cluster.scope, { planId, workspaceId });
    const notices: string[] = [];
    const stopNotices = await serverB.dispatcher.onSettled(cancelledId, (status) => notices.push(status));
    const waiting = serverB.runs.waitForRun(cluster.scope, cancelledId, 30_000);
    await serverA.runs.cancelRun(cluster.scope, cancelledId);
    expect(await waiting).toBe(true);
    await vi.waitFor(() => expect(notices).toEqual(["cancelled"]));
    stopNotices();
    await cluster.startWorker({ tags: ["gpu"] });
    expect(await waitForRunToFinish(cluster.database, runId)).toBe("succeeded");
    await setWorkspaceTag(cluster.database.client, cluster.scope.teamId, workspaceId, "default");
  });
});
