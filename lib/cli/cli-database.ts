/**
 * The CLI's database: the configured one (lib/env.ts), migrated on open, with
 * the first-start team so CLI runs show up in the web app.
 */
import { mkdirSync } from "node:fs";
import { createCommandLauncher } from "../server/command-launcher";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ensureFirstStartData, type FirstStartData } from "../db/bootstrap";
import { openDatabase, type Database } from "../db/client";
import { parseDatabaseUrl } from "../db/database-config";
import { applyPendingMigrations } from "../db/migrations";
import { recordPlanByName } from "../db/plan-by-name";
import { createPrismaRunStore } from "../db/run-store";
import { loadEnv } from "../env";
import { hashPlan } from "../plan/plan-hash";
import type { PlanDocument } from "../plan/schema";
import { createRunnerResources, type RunnerResources } from "../runner/resources";
import type { RunOwnership } from "../runner/runs";

/** The repository root, where the migrations live, whatever the working directory. */
const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** An open database with runner resources on it. */
export interface CliContext {
  database: Database;
  resources: RunnerResources;
  firstStart: FirstStartData;
}

/** Opens (and migrates) the configured database and builds the runner's resources. */
export async function openCliContext(): Promise<CliContext> {
  const env = loadEnv();
  const config = parseDatabaseUrl(env.DATABASE_URL);
  if (config.provider === "sqlite") mkdirSync(path.dirname(config.filePath), { recursive: true });
  await applyPendingMigrations(config, REPO_ROOT);
  const database = await openDatabase(config);
  mkdirSync(env.BATCHBOARD_WORKSPACE_ROOT, { recursive: true });
  const firstStart = await ensureFirstStartData(database.client, { workspaceRoot: env.BATCHBOARD_WORKSPACE_ROOT });
  const resources = createRunnerResources({
    store: createPrismaRunStore(database.client),
    commands: createCommandLauncher(env, (message) => process.stderr.write(`batchboard: ${message}\n`)),
    serverConcurrency: env.BATCHBOARD_SERVER_CONCURRENCY,
    changeLogDirectory: path.join(env.BATCHBOARD_DATA_DIR, "change-logs"),
    reportError: (error) => process.stderr.write(`batchboard: ${error instanceof Error ? error.message : String(error)}\n`),
  });
  return { database, resources, firstStart };
}

/**
 * Records `document` as a version of the team's plan with its name (creating
 * the plan, reusing the version that has this document, or adding one).
 */
export async function recordPlanVersion(context: CliContext, document: PlanDocument): Promise<RunOwnership> {
  const { team, owner } = context.firstStart;
  const { planId, planVersionId } = await recordPlanByName(context.database.client, {
    teamId: team.id,
    authorId: owner.id,
    name: document.name,
    description: document.description,
    tags: ["cli"],
    document,
    graphHash: hashPlan(document),
    message: "Run from the CLI",
  });
  return { teamId: team.id, planId, planVersionId, startedById: owner.id };
}
