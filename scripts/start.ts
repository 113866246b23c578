/**
 * `npm start`: the single-machine deployment. Applies pending migrations,
 * builds the app on first use, then serves it; the server creates the
 * first-start data (team, owner, workspace, sample plan) before its first request.
 * Listens on 127.0.0.1 unless HOST says otherwise.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { secureDataDirectory } from "../lib/db/data-directory";
import { parseDatabaseUrl } from "../lib/db/database-config";
import { applyPendingMigrations } from "../lib/db/migrations";
import { loadEnv } from "../lib/env";

const env = loadEnv();
const config = parseDatabaseUrl(env.DATABASE_URL);
// The data directory is the server user's alone (0700), its SQLite file 0600; an older install is tightened here.
secureDataDirectory(env.BATCHBOARD_DATA_DIR, config);
const { appliedNow } = await applyPendingMigrations(config);
secureDataDirectory(env.BATCHBOARD_DATA_DIR, config);
console.log(`Database (${config.provider}): ${appliedNow?.length ? `applied ${appliedNow.join(", ")}` : "up to date"}`);

if (env.BATCHBOARD_SANDBOX === "on") {
  // Every command runs in a bubblewrap sandbox; without it shell nodes fail with an error that says how to fix it.
  const installed = spawnSync("bash", ["scripts/ensure-debian-package.sh", "bwrap", "bubblewrap"], { stdio: "inherit" });
  console.log(
    installed.status === 0
      ? "Commands: each run in a bubblewrap sandbox"
      : "Commands: bubblewrap could not be installed; shell nodes will fail until it is (apt-get install bubblewrap)",
  );
}
// With the sandbox off, the server says so as it starts (lib/server/command-launcher.ts).

const childEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
if (!existsSync(".next/BUILD_ID")) {
  console.log("First start: building the app…");
  const build = spawnSync("node_modules/.bin/next", ["build"], { stdio: "inherit", env: childEnv });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

// Only this machine can reach it unless HOST says otherwise (0.0.0.0 for every interface); first setup from elsewhere needs the printed setup code.
const server = spawn("node_modules/.bin/next", ["start", "--hostname", env.HOST, "--port", String(env.PORT)], {
  stdio: "inherit",
  env: childEnv,
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
