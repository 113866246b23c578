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
import { withOneStatementWrites } from "../db/postgres-writes";
import { createPrismaRunStore } from "../db/run-store";
import { createThreadedRunStore } from "../db/threaded-run-store";
import type { ClusterConfig } from "../cluster/cluster-config";
import { createQueueDispatcher, type QueueDispatcher } from "../cluster/queue-dispatcher";
import { loadEnv, ripgrepPathOf, workspacePlacementOf, type Env } from "../env";
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
  /** Set in cluster mode: the queues and event subscriptions (the Workers page reads queue depths). */
  cluster: QueueDispatcher | null;
  /** Asked on first setup from another machine; printed at start while setup is pending. */
  setupCode: string;
}

const globalSlot = globalThis as typeof globalThis & { batchboardAppContext?: Promise<AppContext> };

/**
 * The runner's resources of every process that executes runs: the web
 * server, and cluster workers (lib/cluster/worker.ts), so limits, spawner and
 * sandbox are the same wherever a run executes.
 */
export function createServerRunnerResources(env: Env, store: RunStore): RunnerResources {
  return createRunnerResources({
    store,
    serverConcurrency: env.BATCHBOARD_SERVER_CONCURRENCY,
    changeLogDirectory: path.join(env.BATCHBOARD_DATA_DIR, "change-logs"),
    commands: createCommandLauncher(env, { longLived: true }),
    ripgrepPath: ripgrepPathOf(env),
  });
}

/** The in-process runner persisting through `store`, and the team-scoped service the app uses to drive it. */
export function createServerRunner(env: Env, client: DbClient, store: RunStore): { resources: RunnerResources; runs: RunService } {
  const resources = createServerRunnerResources(env, store);
  const runs = createRunService({ client, resources, scratchRoot: path.join(env.BATCHBOARD_DATA_DIR, "scratch") });
  return { resources, runs };
}

/**
 * Cluster mode (REDIS_URL set): this server creates runs and enqueues them
 * for workers; it executes nothing, so it neither recovers runs (workers
 * do) nor needs the threaded store. Cluster mode is PostgreSQL's: runs are
 * created in one statement, as the threaded store creates them.
 */
export function createClusterRunner(
  database: Database,
  options: { config: ClusterConfig; scratchRoot: string },
): { runs: RunService; cluster: QueueDispatcher } {
  const { client } = database;
  const resources = createRunnerResources({ store: withOneStatementWrites(createPrismaRunStore(client), client) });
  const cluster = createQueueDispatcher({ client, databaseUrl: database.config.url, resources, config: options.config });
  const runs = createRunService({ client, resources, scratchRoot: options.scratchRoot, dispatcher: cluster });
  return { runs, cluster };
}

async function createAppContext(): Promise<AppContext> {
  const env = loadEnv();
  const config = parseDatabaseUrl(env.DATABASE_URL);
  secureDataDirectory(env.BATCHBOARD_DATA_DIR, config);
  const db = await openDatabase(config);
  const defaults = await ensureFirstStartData(db.client, workspacePlacementOf(env));
  const setupCode = createSetupCode();
  if (await isSetupPending(db.client)) {
    console.log(`Setup code: ${setupCode} (first setup from another machine asks for it; from this machine it is not needed)`);
  }
  if (env.REDIS_URL) {
    const config = { redisUrl: env.REDIS_URL, prefix: env.BATCHBOARD_REDIS_PREFIX };
    return {
      env,
      db,
      defaults,
      setupCode,
      ...createClusterRunner(db, { config, scratchRoot: path.join(env.BATCHBOARD_DATA_DIR, "scratch") }),
    };
  }
  // The runner's writes go through a worker thread with its own connection:
  // on the request thread, Prisma's query building for thousands of events a
  // second left too little time for pages and event streams.
  const { resources, runs } = createServerRunner(env, db.client, await createThreadedRunStore(config, process.cwd()));
  // Runs a crashed server left `running` become `interrupted`, their orphans killed, ready to resume.
  await recoverInterruptedRuns(resources);
  return { env, db, defaults, runs, cluster: null, setupCode };
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
