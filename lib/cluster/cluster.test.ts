/**
 * Cluster mode end to end with real PostgreSQL, Redis and worker processes
 * (scripts/worker.ts); the web side is the run service on the queue
 * dispatcher, as the web server builds it in cluster mode.
 */
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setWorkspaceTag } from "../db/workers";
import type { RunEvent } from "../runner/run-events";
import { startTestCluster, waitForRunToFinish, type TestCluster, type WebServer } from "../testing/cluster-harness";

const quickPlan = {
  name: "write then check",
  nodes: [
    { id: "write", type: "file.write", params: { path: "out/hello.txt", content: "hello\n" } },
    { id: "check", type: "shell", params: { command: "grep -q hello out/hello.txt && echo checked" } },
  ],
  edges: [{ from: "write", to: "check" }],
};

describe("cluster mode (real PostgreSQL, Redis and worker processes)", { timeout: 120_000 }, () => {
  let cluster: TestCluster;
  let serverA: WebServer;
  let serverB: WebServer;

  beforeAll(async () => {
    cluster = await startTestCluster();
    serverA = cluster.startWebServer();
    serverB = cluster.startWebServer();
  }, 120_000);
  afterAll(async () => {
    await cluster?.destroy();
  });

  it("runs a plan on a worker, and a run started through server A streams live through server B", async () => {
    const worker = await cluster.startWorker({ concurrency: 2 });
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
    expect(run.workerId).toBe(`${os.hostname()}-${worker.pid}`);
  });

  it("refuses a run for a tag no worker has served, and keeps a run queued until a worker of its tag starts", async () => {
    const planId = await cluster.createPlan(quickPlan);
    const workspaceId = cluster.firstStart.workspace.id;
    await setWorkspaceTag(cluster.database.client, cluster.scope.teamId, workspaceId, "gpu");
    await expect(serverA.runs.startPlanRun(cluster.scope, { planId, workspaceId })).rejects.toThrow(/No worker has ever served tag "gpu"/);
    const gpuWorker = await cluster.startWorker({ tags: ["gpu"] });
    gpuWorker.child.kill("SIGKILL");
    await gpuWorker.exited;
    const { runId } = await serverA.runs.startPlanRun(cluster.scope, { planId, workspaceId });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // The default-tag worker of the first test does not take it.
    expect((await cluster.database.client.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("queued");
    expect(await serverA.dispatcher.queues.of("gpu").getJobCounts("wait")).toEqual({ wait: 1 });
    await cluster.startWorker({ tags: ["gpu"] });
    expect(await waitForRunToFinish(cluster.database, runId)).toBe("succeeded");
    await setWorkspaceTag(cluster.database.client, cluster.scope.teamId, workspaceId, "default");
  });
});
