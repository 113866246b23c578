/**
 * The composition root of the web server: validated env, the database and
 * the first-start data, created once per process. Route handlers, server
 * actions and pages get their dependencies from here. Migrations are applied
 * before the server starts (scripts/start.ts), keeping the schema engine's
 * WebAssembly out of the web bundle.
 */
import { openDatabase, type Database } from "../db/client";
import { parseDatabaseUrl } from "../db/database-config";
import { loadEnv, type Env } from "../env";
import { ensureFirstStartData, type FirstStartData } from "../db/bootstrap";

export interface AppContext {
  env: Env;
  db: Database;
  defaults: FirstStartData;
}

const globalSlot = globalThis as typeof globalThis & { batchboardAppContext?: Promise<AppContext> };

async function createAppContext(): Promise<AppContext> {
  const env = loadEnv();
  const config = parseDatabaseUrl(env.DATABASE_URL);
  const db = await openDatabase(config);
  const defaults = await ensureFirstStartData(db.client, { workspaceRoot: env.BATCHBOARD_WORKSPACE_ROOT });
  return { env, db, defaults };
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
