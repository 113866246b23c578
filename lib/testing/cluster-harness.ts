/**
 * A real cluster for tests and benchmarks: a scratch PostgreSQL database,
 * Redis under a private key prefix, worker processes (`scripts/worker.ts`)
 * and web-server run services (the queue dispatcher the web server uses),
 * each with its own Redis connections.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { QueueDispatcher } from "../cluster/queue-dispatcher";
import { ensureFirstStartData, type FirstStartData } from "../db/bootstrap";
import { openDatabase, type Database } from "../db/client";
import { applyPendingMigrations } from "../db/migrations";
import { createPlan } from "../db/plans";
import { hashPlan } from "../plan/plan-hash";
import { PlanDocument, type PlanDocumentInput } from "../plan/schema";
import { createClusterRunner } from "../server/app-context";
import type { RunScope, RunService } from "../server/run-service";
import { ensurePostgres, ensureRedis, TEST_REDIS_URL } from "./services";
import { createScratchPostgresDatabase } from "./test-database";

const REPO_ROOT = path.resolve(import.meta.dirname, "../..");

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  output: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

export interface WebServer {
  runs: RunService;
  dispatcher: QueueDispatcher;
}

export interface TestCluster {
  database: Database;
  firstStart: FirstStartData;
  scope: RunScope;
  redisUrl: string;
  prefix: string;
  dataDir: string;
  startWorker(options?: { tags?: string[]; concurrency?: number; drainMs?: number; env?: Record<string, string> }): Promise<WorkerProcess>;
  startWebServer(): WebServer;
  /** Saves a plan for the cluster's team; returns its id. */
  createPlan(document: PlanDocumentInput): Promise<string>;
  destroy(): Promise<void>;
}

export async function startTestCluster(options: { redisUrl?: string } = {}): Promise<TestCluster> {
  await ensurePostgres();
  if (!options.redisUrl) await ensureRedis();
  const redisUrl = options.redisUrl ?? TEST_REDIS_URL;
  const { config, drop } = await createScratchPostgresDatabase("cluster");
  await applyPendingMigrations(config);
  const database = await openDatabase(config);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "batchboard-cluster-"));
  const workspaceRoot = path.join(dataDir, "workspaces");
  mkdirSync(workspaceRoot, { recursive: true });
  const firstStart = await ensureFirstStartData(database.client, { root: workspaceRoot, dataDir });
  const prefix = `bbtest-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const workers: WorkerProcess[] = [];
  const webServers: WebServer[] = [];

  return {
    database,
    firstStart,
    scope: { teamId: firstStart.team.id, userId: firstStart.owner.id },
    redisUrl,
    prefix,
    dataDir,
    async startWorker(workerOptions = {}) {
      // Node itself, with tsx as a loader: the tsx command would put a parent process between the test and the worker it kills.
      const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          DATABASE_URL: config.url,
          REDIS_URL: redisUrl,
          BATCHBOARD_REDIS_PREFIX: prefix,
          // Workers on one host share the data directory: change logs survive a worker for the one taking over.
          BATCHBOARD_DATA_DIR: dataDir,
          BATCHBOARD_WORKER_TAGS: (workerOptions.tags ?? ["default"]).join(","),
          BATCHBOARD_WORKER_CONCURRENCY: String(workerOptions.concurrency ?? 4),
          BATCHBOARD_WORKER_DRAIN_MS: String(workerOptions.drainMs ?? 10_000),
          ...workerOptions.env,
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`worker did not start:\n${output}`)), 300_000);
        const check = () => {
          if (output.includes("ready:")) {
            clearTimeout(timer);
            child.stdout?.off("data", check);
            resolve();
          }
        };
        child.stdout?.on("data", check);
        void exited.then((code) => reject(new Error(`worker exited (${code}) before it was ready:\n${output}`)));
      });
      const worker = { child, pid: child.pid as number, output: () => output, exited };
      workers.push(worker);
      return worker;
    },
    startWebServer() {
      // A web server's cluster runner exactly as the app composes it.
      const { runs, cluster: dispatcher } = createClusterRunner(database, {
        config: { redisUrl, prefix },
        scratchRoot: path.join(dataDir, "scratch"),
      });
      const server = { runs, dispatcher };
      webServers.push(server);
      return server;
    },
    async createPlan(input) {
      const document = PlanDocument.parse(input);
      const { plan } = await createPlan(
        database.client,
        { teamId: firstStart.team.id, ownerId: firstStart.owner.id, name: `${document.name} ${Math.random().toString(36).slice(2, 8)}` },
        { document, graphHash: hashPlan(document), authorId: firstStart.owner.id },
      );
      return plan.id;
    },
    async destroy() {
      for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill("SIGKILL");
      await Promise.all(workers.map((worker) => worker.exited));
      await Promise.all(webServers.map((server) => server.dispatcher.close()));
      await database.close();
      await drop();
    },
  };
}

/** Polls the database until the run reaches a final status (interrupted is not: a worker resumes it); returns it. */
export async function waitForRunToFinish(database: Database, runId: string, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const run = await database.client.run.findUnique({ where: { id: runId }, select: { status: true } });
    if (run && !["queued", "running", "interrupted"].includes(run.status)) return run.status;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`run ${runId} did not finish within ${timeoutMs} ms`);
}
