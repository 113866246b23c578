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
import { savePlanVersion } from "../db/plan-versions";
import { createPlan, findPlanByName } from "../db/plans";
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
 * Records `document` as the newest version of the team's plan with its name
 * (creating the plan, or adding a version when the graph changed).
 */
export async function recordPlanVersion(context: CliContext, document: PlanDocument): Promise<RunOwnership> {
  const { client } = context.database;
  const { team, owner } = context.firstStart;
  const graphHash = hashPlan(document);
  const existing = await findPlanByName(client, team.id, document.name);
  if (!existing) {
    const { plan, version } = await createPlan(
      client,
      { teamId: team.id, ownerId: owner.id, name: document.name, description: document.description, tags: ["cli"] },
      { document, graphHash, authorId: owner.id, message: "Run from the CLI" },
    );
    return { teamId: team.id, planId: plan.id, planVersionId: version.id, startedById: owner.id };
  }
  const latest = await client.planVersion.findFirst({ where: { planId: existing.id }, orderBy: { number: "desc" } });
  if (latest && latest.graphHash === graphHash && !latest.isDraft) {
    return { teamId: team.id, planId: existing.id, planVersionId: latest.id, startedById: owner.id };
  }
  const version = await savePlanVersion(
    client,
    { teamId: team.id, planId: existing.id, baseVersion: existing.latestVersion },
    { document, graphHash, authorId: owner.id, message: "Run from the CLI" },
  );
  return { teamId: team.id, planId: existing.id, planVersionId: version.id, startedById: owner.id };
}
