/**
 * The production server for HTTP benchmarks: `next start` on the build in
 * this checkout (built first when missing), on a fresh SQLite data
 * directory, set up and signed in without a browser: the owner's setup, an
 * API token and a session cookie are written through the same functions the
 * CLI's `setup` and `token create` and the sign-in action use.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { generateSecret, hashSecret } from "../lib/auth/secret-tokens";
import { SESSION_COOKIE, SESSION_LIFETIME_MS } from "../lib/auth/session-policy";
import { ensureFirstStartData } from "../lib/db/bootstrap";
import { openDatabase } from "../lib/db/client";
import { parseDatabaseUrl } from "../lib/db/database-config";
import { createSession } from "../lib/db/sessions";
import { loadEnv, workspacePlacementOf } from "../lib/env";
import { completeSetup } from "../lib/server/account-service";
import { issueApiToken } from "../lib/server/team-admin";

export interface BenchServer {
  base: string;
  /** `authorization` header value for /api/v1. */
  bearer: string;
  /** `cookie` header value for pages. */
  cookie: string;
  stop(): Promise<void>;
}

const OWNER = { email: "bench@example.test", name: "Bench Owner", teamName: "Bench", password: "bench password 1" };

function buildWhenMissing(): void {
  if (existsSync(".next/BUILD_ID")) return;
  console.log("Building the app (no production build found)…");
  const build = spawnSync("node_modules/.bin/next", ["build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (build.status !== 0) throw new Error(`next build failed (${build.status})`);
}

async function waitForServer(base: string, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
    try {
      if ((await fetch(`${base}/sign-in`, { redirect: "manual" })).status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error("the server did not start within 180 s");
}

/** Starts the server on `port` (127.0.0.1) with `extraEnv`; resolves once it answers and is set up. */
export async function startBenchServer(port: number, extraEnv: Record<string, string> = {}): Promise<BenchServer> {
  buildWhenMissing();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "batchboard-bench-server-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    BATCHBOARD_DATA_DIR: dataDir,
    NEXT_TELEMETRY_DISABLED: "1",
    ...extraEnv,
  };
  // A fresh SQLite file in its own data dir, whatever DATABASE_URL the shell has.
  if (!extraEnv.DATABASE_URL) delete env.DATABASE_URL;
  const server = spawn("node_modules/.bin/tsx", ["scripts/start.ts"], { env, stdio: ["ignore", "ignore", "inherit"], detached: true });
  const stop = async () => {
    if (server.pid && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once("exit", resolve));
      process.kill(-server.pid, "SIGTERM");
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitForServer(base, server);
    const serverEnv = loadEnv({ ...extraEnv, BATCHBOARD_DATA_DIR: dataDir });
    const database = await openDatabase(parseDatabaseUrl(serverEnv.DATABASE_URL));
    try {
      const { owner, team } = await ensureFirstStartData(database.client, workspacePlacementOf(serverEnv));
      await completeSetup(database.client, { ownerId: owner.id, teamId: team.id }, OWNER, { clientAddress: "127.0.0.1", setupCode: "" });
      const token = await issueApiToken(database.client, { userId: owner.id, teamId: team.id, role: "owner", via: "token" }, "benchmark");
      const session = generateSecret("session");
      await createSession(database.client, {
        userId: owner.id,
        tokenHash: hashSecret(session),
        expiresAt: new Date(Date.now() + SESSION_LIFETIME_MS),
        currentTeam: team.id,
      });
      return { base, bearer: `Bearer ${token.secret}`, cookie: `${SESSION_COOKIE}=${session}`, stop };
    } finally {
      await database.close();
    }
  } catch (error) {
    await stop();
    throw error;
  }
}
