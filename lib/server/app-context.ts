/**
 * The composition root of the web server: validated env, the database and
 * the first-start data, created once per process. Route handlers, server
 * actions and pages get their dependencies from here. Migrations are applied
 * before the server starts (scripts/start.ts), keeping the schema engine's
 * WebAssembly out of the web bundle.
 */
import path from "node:path";
import { createCommandLauncher } from "./command-launcher";
import { openDatabase, type Database, type DbClient } from "../db/client";
import { secureDataDirectory } from "../db/data-directory";
import { parseDatabaseUrl } from "../db/database-config";
import { createThreadedRunStore } from "../db/threaded-run-store";
import { loadEnv, workspacePlacementOf, type Env } from "../env";
import { recoverInterruptedRuns } from "../runner/recovery";
import { createRunnerResources, type RunnerResources } from "../runner/resources";
import type { RunStore } from "../runner/run-store";
import { createRunService, type RunService } from "./run-service";
import { ensureFirstStartData, type FirstStartData } from "../db/bootstrap";
import { isSetupPending } from "../db/users";
import { createSetupCode } from "./setup-code";

export interface AppContext {
  env: Env;
  db: Database;
  defaults: FirstStartData;
  runs: RunService;
  /** Asked on first setup from another machine; printed at start while setup is pending. */
  setupCode: string;
}

const globalSlot = globalThis as typeof globalThis & { batchboardAppContext?: Promise<AppContext> };

/** The in-process runner persisting through `store`, and the team-scoped service the app uses to drive it. */
export function createServerRunner(env: Env, client: DbClient, store: RunStore): { resources: RunnerResources; runs: RunService } {
  const resources = createRunnerResources({
    store,
    serverConcurrency: env.BATCHBOARD_SERVER_CONCURRENCY,
    changeLogDirectory: path.join(env.BATCHBOARD_DATA_DIR, "change-logs"),
    commands: createCommandLauncher(env),
  });
  const runs = createRunService({ client, resources, scratchRoot: path.join(env.BATCHBOARD_DATA_DIR, "scratch") });
  return { resources, runs };
}

async function createAppContext(): Promise<AppContext> {
  const env = loadEnv();
  const config = parseDatabaseUrl(env.DATABASE_URL);
  secureDataDirectory(env.BATCHBOARD_DATA_DIR, config);
  const db = await openDatabase(config);
  const defaults = await ensureFirstStartData(db.client, workspacePlacementOf(env));
  // The runner's writes go through a worker thread with its own connection:
  // on the request thread, Prisma's query building for thousands of events a
  // second left too little time for pages and event streams.
  const { resources, runs } = createServerRunner(env, db.client, await createThreadedRunStore(config, process.cwd()));
  // Runs a crashed server left `running` become `interrupted`, their orphans killed, ready to resume.
  await recoverInterruptedRuns(resources);
  const setupCode = createSetupCode();
  if (await isSetupPending(db.client)) {
    console.log(`Setup code: ${setupCode} (first setup from another machine asks for it; from this machine it is not needed)`);
  }
  return { env, db, defaults, runs, setupCode };
}

/**
 * Kept on globalThis because Next may load this module more than once (per
 * route bundle, and again on every dev reload); one database per process.
 */
export function getAppContext(): Promise<AppContext> {
  globalSlot.batchboardAppContext ??= createAppContext().catch((error: unknown) => {
    globalSlot.batchboardAppContext = undefined;
    throw error;
  });
  return globalSlot.batchboardAppContext;
}
