/**
 * Redis restarting empty under load loses no run: runs live in PostgreSQL,
 * and the workers' reconciler re-enqueues the queued runs the queue lost.
 * Uses a private Redis server (its own port), since it restarts it.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCluster, waitForRunToFinish, type TestCluster } from "../testing/cluster-harness";
import { portOpen, redisServerArgs, waitForPort } from "../testing/services";

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe("cluster mode across a Redis restart", { timeout: 240_000 }, () => {
  let cluster: TestCluster;
  let port: number;
  let dir: string;

  async function startRedis() {
    execFileSync("redis-server", redisServerArgs(port, dir, path.join(dir, "redis.log")));
    await waitForPort(port, "private Redis");
  }
  function stopRedis() {
    execFileSync("redis-cli", ["-p", String(port), "shutdown", "nosave"]);
  }

  beforeAll(async () => {
    execFileSync("bash", ["scripts/ensure-debian-package.sh", "redis-server", "redis-server"]);
    port = await freePort();
    dir = mkdtempSync(path.join(os.tmpdir(), "batchboard-redis-"));
    await startRedis();
    cluster = await startTestCluster({ redisUrl: `redis://127.0.0.1:${port}` });
    await Promise.all([cluster.startWorker({ concurrency: 2 }), cluster.startWorker({ concurrency: 2 })]);
  }, 400_000);
  afterAll(async () => {
    await cluster?.destroy();
    if (port && (await portOpen(port))) stopRedis();
  });

  it("loses no run when Redis restarts empty mid-load", async () => {
    const web = cluster.startWebServer();
    const planId = await cluster.createPlan({
      name: "brief",
      nodes: [{ id: "nap", type: "shell", params: { command: "sleep 0.3" } }],
      edges: [],
    });
    const runIds: string[] = [];
    for (let index = 0; index < 40; index++) runIds.push((await web.runs.startPlanRun(cluster.scope, { planId })).runId);
    stopRedis();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await startRedis();
    for (let index = 0; index < 10; index++) runIds.push((await web.runs.startPlanRun(cluster.scope, { planId })).runId);
    for (const runId of runIds) expect(await waitForRunToFinish(cluster.database, runId, 120_000)).toBe("succeeded");
  });
});
