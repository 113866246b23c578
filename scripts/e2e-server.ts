/**
 * Starts the app for the end-to-end tests exactly as `npm start` would, on a
 * fresh database that it drops on exit. The deployment shapes:
 * - `sqlite`: an empty data dir;
 * - `postgresql`: a new database on the real PostgreSQL server;
 * - `cluster`: a new PostgreSQL database and Redis (each started when down),
 *   the web server with REDIS_URL set, so it only enqueues runs, and two
 *   workers (`npm run worker`) that execute them.
 * Usage: tsx scripts/e2e-server.ts <sqlite|postgresql|cluster> <port>
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { applyPendingMigrations } from "../lib/db/migrations";
import { ensurePostgres, ensureRedis, TEST_REDIS_URL } from "../lib/testing/services";
import { createScratchPostgresDatabase } from "../lib/testing/test-database";

const WORKER_COUNT = 2;

const [shape, port] = process.argv.slice(2);
if (!shape || !["sqlite", "postgresql", "cluster"].includes(shape) || !port) {
  console.error("usage: tsx scripts/e2e-server.ts <sqlite|postgresql|cluster> <port>");
  process.exit(2);
}
// Known to the tests by port (e2e/auth-fixtures.ts), so the attack suite can aim at the server's real files.
const dataDir = path.join(os.tmpdir(), `batchboard-e2e-${port}`);
rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });
const env: NodeJS.ProcessEnv = { ...process.env, PORT: port, BATCHBOARD_DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: "1" };
let drop = async () => {};
if (shape !== "sqlite") {
  await ensurePostgres();
  const scratch = await createScratchPostgresDatabase(`e2e_${shape}`);
  env.DATABASE_URL = scratch.config.url;
  drop = scratch.drop;
  // Workers start beside the web server and need the tables it would otherwise create.
  if (shape === "cluster") await applyPendingMigrations(scratch.config);
}
if (shape === "cluster") {
  await ensureRedis();
  env.REDIS_URL = TEST_REDIS_URL;
  // A prefix of this checkout's own, so the suite never touches another cluster's queues on the shared Redis.
  env.BATCHBOARD_REDIS_PREFIX = `bb-e2e-${port}`;
}

const children: ChildProcess[] = [spawn("node_modules/.bin/tsx", ["scripts/start.ts"], { stdio: "inherit", env })];
if (shape === "cluster") {
  // Workers share the web server's data dir, as workers on its host would: scratch directories and change logs live there.
  const workerEnv = { ...env, BATCHBOARD_WORKER_DRAIN_MS: "2000" };
  for (let index = 0; index < WORKER_COUNT; index += 1) {
    // Node itself with tsx as a loader, so a signal reaches the worker and not a wrapper.
    children.push(spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], { stdio: "inherit", env: workerEnv }));
  }
}

let stopping = false;
function stop(signal: NodeJS.Signals): void {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill(signal);
}
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));

const exitCodes = await Promise.all(
  children.map(
    (child) =>
      new Promise<number>((resolve) =>
        child.once("exit", (code) => {
          // One part gone takes the others down, so Playwright sees the server exit instead of runs that never finish.
          if (!stopping) stop("SIGTERM");
          resolve(code ?? 0);
        }),
      ),
  ),
);
await drop();
process.exit(exitCodes.find((code) => code !== 0) ?? 0);
