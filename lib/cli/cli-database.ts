/**
 * The CLI's database: the configured one (lib/env.ts), migrated on open, with
 * the first-start team so CLI runs show up in the web app.
 *
 * On SQLite, a run needs no Prisma client: the start's queries and the run's
 * writes go through better-sqlite3 (sqlite-cli-queries.ts,
 * sqlite-run-writer.ts), and Prisma (~1 s of CPU, ~100 MB) is opened only
 * when something else asks for it — resume, retry, undo, a first start.
 */
import { existsSync, mkdirSync } from "node:fs";
import { createCommandLauncher } from "../server/command-launcher";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { secureDataDirectory } from "../db/data-directory";
import { ensureFirstStartData, type FirstStartData } from "../db/bootstrap";
import { openDatabase, type Database } from "../db/client";
import { parseDatabaseUrl } from "../db/database-config";
import { isSqliteDatabaseMigrated } from "../db/migration-check";
import { recordPlanByName } from "../db/plan-by-name";
import type { VersionDraft } from "../db/plans";
import { openSqliteCliConnection, sqliteCliQueries, type SqliteCliQueries } from "../db/sqlite-cli-queries";
import { createSqliteRunWriter, withSqliteRunWriter } from "../db/sqlite-run-writer";
import { loadEnv, ripgrepPathOf, workspacePlacementOf, type Env } from "../env";
import { hashPlan } from "../plan/plan-hash";
import type { PlanDocument } from "../plan/schema";
import { createRunnerResources, type RunnerResources } from "../runner/resources";
import type { RunStore } from "../runner/run-store";
import type { RunOwnership } from "../runner/runs";
import type { CommandLauncher } from "../runner/sandbox/run-commands";

/** The repository root, where the migrations live, whatever the working directory. */
const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** An open database with runner resources on it. */
export interface CliContext {
  /** The Prisma client, opened on the first call. */
  database(): Promise<Database>;
  /** SQLite's fast path for the start of a run; null on PostgreSQL. */
  sqlite: SqliteCliQueries | null;
  resources: RunnerResources;
  firstStart: FirstStartData;
  close(): Promise<void>;
}

/** How this process starts commands (the environment's sandbox setting), with the CLI's warnings on stderr. */
export function createCliCommandLauncher(env: Env): CommandLauncher {
  return createCommandLauncher(env, { warn: (message) => process.stderr.write(`batchboard: ${message}\n`) });
}

/** What the caller of {@link openCliContext} has made already. */
export interface CliContextParts {
  env?: Env;
  commands?: CommandLauncher;
}

/** Opens (and migrates) the configured database and builds the runner's resources. */
export async function openCliContext({ env = loadEnv(), commands }: CliContextParts = {}): Promise<CliContext> {
  const config = parseDatabaseUrl(env.DATABASE_URL);
  if (config.provider === "sqlite") mkdirSync(path.dirname(config.filePath), { recursive: true });
  secureDataDirectory(env.BATCHBOARD_DATA_DIR, config);
  // The schema engine is loaded only when a migration is pending (or something is off for it to report). The
  // SQLite connection that checks is the one the CLI goes on with: a second would open and read the schema again.
  let connection = config.provider === "sqlite" && existsSync(config.filePath) ? openSqliteCliConnection(config.filePath) : null;
  if (!connection || !isSqliteDatabaseMigrated(connection, REPO_ROOT)) {
    connection?.close();
    connection = null;
    await (await import("../db/migrations")).applyPendingMigrations(config, REPO_ROOT);
  }
  // Migrations may have created the SQLite file's journals: tighten them as well.
  secureDataDirectory(env.BATCHBOARD_DATA_DIR, config);
  let prisma: Promise<Database> | undefined;
  const database = () => (prisma ??= openDatabase(config));
  const sqlite = config.provider === "sqlite" ? sqliteCliQueries(connection ?? openSqliteCliConnection(config.filePath)) : null;
  const writer = config.provider === "sqlite" ? createSqliteRunWriter(config.filePath) : null;
  // The SQLite connections stay open until the process exits, which follows: the last one to close would
  // checkpoint the WAL into the database and delete it, and the next CLI would create it anew — five fsyncs
  // and two unlinks per run. Every write is committed by then; the next opener carries on with the WAL,
  // as WAL mode intends, and SQLite's autocheckpoint keeps it bounded.
  const close = async () => {
    writer?.writeDeferred();
    if (prisma) await (await prisma).close();
  };
  try {
    mkdirSync(env.BATCHBOARD_WORKSPACE_ROOT, { recursive: true });
    const firstStart = sqlite?.findFirstStartData() ?? (await ensureFirstStartData((await database()).client, workspacePlacementOf(env)));
    const store = lazyPrismaRunStore(database);
    const resources = createRunnerResources({
      store:
        writer && sqlite
          ? {
              ...withSqliteRunWriter(store, writer, { deferNodeRows: false }),
              findRunIds: async (statuses) => sqlite.findRunIds(statuses),
              listFileChanges: async (runId) => sqlite.listFileChanges(runId),
            }
          : store,
      commands: commands ?? createCliCommandLauncher(env),
      serverConcurrency: env.BATCHBOARD_SERVER_CONCURRENCY,
      changeLogDirectory: path.join(env.BATCHBOARD_DATA_DIR, "change-logs"),
      reportError: (error) => process.stderr.write(`batchboard: ${error instanceof Error ? error.message : String(error)}\n`),
      ripgrepPath: ripgrepPathOf(env),
    });
    return { database, sqlite, resources, firstStart, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The Prisma run store, its client opened by the first call that needs it. */
function lazyPrismaRunStore(database: () => Promise<Database>): RunStore {
  let store: Promise<RunStore> | undefined;
  // run-store.ts loads Prisma's runtime (a 2 MB CommonJS module) as it is imported.
  const prismaStore = () =>
    (store ??= Promise.all([database(), import("../db/run-store")]).then(([opened, { createPrismaRunStore }]) =>
      createPrismaRunStore(opened.client),
    ));
  return {
    createRun: async (input) => (await prismaStore()).createRun(input),
    persist: async (batch) => (await prismaStore()).persist(batch),
    loadRun: async (runId) => (await prismaStore()).loadRun(runId),
    findRunIds: async (statuses) => (await prismaStore()).findRunIds(statuses),
    listFileChanges: async (runId) => (await prismaStore()).listFileChanges(runId),
    markFileChangesReverted: async (runId, ids, at) => (await prismaStore()).markFileChangesReverted(runId, ids, at),
    listEvents: async (runId, afterSeq) => (await prismaStore()).listEvents(runId, afterSeq),
  };
}

/**
 * Records `document` as a version of the team's plan with its name (creating
 * the plan, reusing the version that has this document, or adding one).
 */
export async function recordPlanVersion(context: CliContext, document: PlanDocument): Promise<RunOwnership> {
  const { team, owner } = context.firstStart;
  const graphHash = hashPlan(document);
  const ownership = (planId: string, planVersionId: string): RunOwnership => ({
    teamId: team.id,
    planId,
    planVersionId,
    startedById: owner.id,
  });
  if (context.sqlite) {
    // The common case without loading Prisma: SQLite serialises writers, so this cannot race.
    const version: VersionDraft = { document, graphHash, authorId: owner.id, message: "Run from the CLI" };
    const draft = { teamId: team.id, ownerId: owner.id, name: document.name, description: document.description, tags: ["cli"] };
    const latest = context.sqlite.findLatestPlanVersion(team.id, document.name);
    if (!latest) {
      const created = context.sqlite.createPlan(draft, version);
      return ownership(created.planId, created.versionId);
    }
    if (latest.versionId && latest.graphHash === graphHash && !latest.isDraft) return ownership(latest.planId, latest.versionId);
    const added = context.sqlite.addPlanVersion(latest.planId, latest.latestVersion, version);
    if (added) return ownership(latest.planId, added.versionId);
    // Another writer saved a version meanwhile: the repository below sorts it out.
  }
  const { planId, planVersionId } = await recordPlanByName((await context.database()).client, {
    teamId: team.id,
    authorId: owner.id,
    name: document.name,
    description: document.description,
    tags: ["cli"],
    document,
    graphHash,
    message: "Run from the CLI",
  });
  return ownership(planId, planVersionId);
}
