/**
 * `npm run cluster`: cluster mode on one machine, to try it. Starts the
 * local PostgreSQL and Redis when they are down (as the tests do), then one
 * web server and two workers on them, their output prefixed by name. Ctrl-C
 * stops all three (the workers drain).
 *
 * DATABASE_URL and REDIS_URL may point elsewhere; by default the database is
 * `batchboard_cluster` on the local PostgreSQL (created when missing).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import pg from "pg";
import { parseDatabaseUrl } from "../lib/db/database-config";
import { applyPendingMigrations } from "../lib/db/migrations";
import { ensurePostgres, ensureRedis, TEST_POSTGRES_ADMIN_URL, TEST_REDIS_URL } from "../lib/testing/services";

const DEFAULT_DATABASE = "batchboard_cluster";
const databaseUrl = process.env.DATABASE_URL ?? TEST_POSTGRES_ADMIN_URL.replace(/\/test$/, `/${DEFAULT_DATABASE}`);
const redisUrl = process.env.REDIS_URL ?? TEST_REDIS_URL;
const port = process.env.PORT ?? "3000";

if (!process.env.DATABASE_URL) {
  await ensurePostgres();
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_ADMIN_URL });
  await admin.connect();
  const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [DEFAULT_DATABASE]);
  if (!rowCount) await admin.query(`CREATE DATABASE "${DEFAULT_DATABASE}"`);
  await admin.end();
}
if (!process.env.REDIS_URL) await ensureRedis();
const config = parseDatabaseUrl(databaseUrl);
const { appliedNow } = await applyPendingMigrations(config);
console.log(`Database (${config.provider}): ${appliedNow?.length ? `applied ${appliedNow.join(", ")}` : "up to date"}`);

const env = { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, NEXT_TELEMETRY_DISABLED: "1" };
if (!existsSync(".next/BUILD_ID")) {
  console.log("First start: building the app…");
  const build = spawnSync("node_modules/.bin/next", ["build"], { stdio: "inherit", env });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

function start(name: string, command: string, args: string[]): ChildProcess {
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on("data", (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n")) if (line.trim()) console.log(`${name.padEnd(8)} | ${line}`);
    });
  }
  return child;
}

const children = [
  start("web", "node_modules/.bin/next", ["start", "--port", port]),
  // Node itself with tsx as a loader, so a signal reaches the worker and not a wrapper.
  start("worker-1", process.execPath, ["--import", "tsx", "scripts/worker.ts"]),
  start("worker-2", process.execPath, ["--import", "tsx", "scripts/worker.ts"]),
];
console.log(`Cluster: web server on http://localhost:${port}, two workers; Settings → Workers shows them. Ctrl-C stops all.`);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => children.forEach((child) => child.kill("SIGTERM")));
await Promise.all(children.map((child) => new Promise((resolve) => child.once("exit", resolve))));
process.exit(0);
