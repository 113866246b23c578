/**
 * Starts the app for the end-to-end tests on a fresh database of the given
 * provider (an empty data dir for SQLite, a new database on the real
 * PostgreSQL server), exactly as `npm start` would, and drops it on exit.
 */
import { spawn } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensurePostgres } from "../lib/testing/services";
import { createScratchPostgresDatabase } from "../lib/testing/test-database";

const [provider, port] = process.argv.slice(2);
// Known to the tests by port (e2e/auth-fixtures.ts), so the attack suite can aim at the server's real files.
const dataDir = path.join(os.tmpdir(), `batchboard-e2e-${port}`);
rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });
const env: NodeJS.ProcessEnv = { ...process.env, PORT: port, BATCHBOARD_DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: "1" };
let drop = async () => {};
if (provider === "postgresql") {
  await ensurePostgres();
  const scratch = await createScratchPostgresDatabase("e2e");
  env.DATABASE_URL = scratch.config.url;
  drop = scratch.drop;
}

const server = spawn("node_modules/.bin/tsx", ["scripts/start.ts"], { stdio: "inherit", env });
const stop = (signal: NodeJS.Signals) => server.kill(signal);
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
server.on("exit", (code) => {
  drop().finally(() => process.exit(code ?? 0));
});
