/**
 * What `batchboard run` asks of an SQLite database before its run starts —
 * the first-start team, recording the plan's version, runs left running — as
 * prepared statements on better-sqlite3. Loading Prisma's client costs ~1 s
 * of CPU and ~100 MB at every CLI start, ten times the run of a small plan;
 * so, like sqlite-run-writer.ts, these write rows in exactly the formats
 * Prisma reads back (see {@link isoDate}), and the repositories (bootstrap.ts,
 * plans.ts, plan-versions.ts) stay the reference for what the rows mean.
 */
import type BetterSqlite3 from "better-sqlite3";
import { openSqliteFile } from "./sqlite-file";
import type { RunStatus } from "../run-events/run-events";
import type { FileChangeRecord } from "../runner/journal";
import type { StoredFileChange } from "../runner/run-store";
import type { FirstStartData } from "./bootstrap";
import { normaliseTags, searchTextOf, type PlanDraft, type VersionDraft } from "./plans";
import { newRowId } from "./row-id";
import { BUSY_TIMEOUT_MS, isoDate } from "./sqlite-run-writer";

/** A plan's newest version, enough to decide whether a document is already recorded. */
export interface LatestPlanVersion {
  planId: string;
  latestVersion: number;
  versionId: string | null;
  graphHash: string | null;
  isDraft: boolean;
}

/** The CLI's queries on one connection. */
export interface SqliteCliQueries {
  /** The oldest owner's team, that owner and the team's first workspace (bootstrap.ts's findExisting), or null before the first start. */
  findFirstStartData(): FirstStartData | null;
  /** The team's oldest unarchived plan named `name` with its newest version (plans.ts's findPlanByName). */
  findLatestPlanVersion(teamId: string, name: string): LatestPlanVersion | null;
  /** A plan with its first version (plans.ts's createPlan). */
  createPlan(plan: PlanDraft, version: VersionDraft): { planId: string; versionId: string };
  /** The next version of a plan whose newest is `baseVersion`; null when another writer got there first (plan-versions.ts's savePlanVersion). */
  addPlanVersion(planId: string, baseVersion: number, version: VersionDraft): { versionId: string } | null;
  findRunIds(statuses: RunStatus[]): string[];
  /** A run's journal in order (run-store.ts's listFileChanges), for `run --json`'s diffs. */
  listFileChanges(runId: string): StoredFileChange[];
  close(): void;
}

interface FileChangeRow {
  id: string;
  seq: number;
  nodeId: string;
  path: string;
  operation: string;
  beforeContent: Buffer | null;
  afterContent: Buffer | null;
  beforeHash: string | null;
  afterHash: string | null;
  revertedAt: string | null;
}

interface FirstStartRow {
  teamId: string;
  teamName: string;
  teamSlug: string;
  ownerId: string;
  ownerEmail: string;
  ownerName: string;
  workspaceId: string | null;
  workspaceName: string | null;
  workspaceDirectory: string | null;
}

/** Opens the CLI's connection to the SQLite file: it checks the migrations (migration-check.ts), then serves {@link sqliteCliQueries}. */
export function openSqliteCliConnection(filePath: string): BetterSqlite3.Database {
  const db = openSqliteFile(filePath, { timeout: BUSY_TIMEOUT_MS, fileMustExist: true });
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  return db;
}

/** The CLI's queries on a connection to a migrated file (they are prepared at once). */
export function sqliteCliQueries(db: BetterSqlite3.Database): SqliteCliQueries {
  const firstStart = db.prepare(
    `SELECT t."id" AS teamId, t."name" AS teamName, t."slug" AS teamSlug, u."id" AS ownerId, u."email" AS ownerEmail, u."name" AS ownerName,
            w."id" AS workspaceId, w."name" AS workspaceName, w."directory" AS workspaceDirectory
       FROM "Membership" m JOIN "Team" t ON t."id" = m."teamId" JOIN "User" u ON u."id" = m."userId"
       LEFT JOIN "Workspace" w ON w."id" = (SELECT "id" FROM "Workspace" WHERE "teamId" = t."id" ORDER BY "createdAt" ASC LIMIT 1)
      WHERE m."role" = 'owner' ORDER BY m."createdAt" ASC LIMIT 1`,
  );
  const latestVersion = db.prepare(
    `SELECT p."id" AS planId, p."latestVersion" AS latestVersion, v."id" AS versionId, v."graphHash" AS graphHash, v."isDraft" AS isDraft
       FROM "Plan" p LEFT JOIN "PlanVersion" v ON v."id" = (SELECT "id" FROM "PlanVersion" WHERE "planId" = p."id" ORDER BY "number" DESC LIMIT 1)
      WHERE p."teamId" = ? AND p."name" = ? AND p."archivedAt" IS NULL ORDER BY p."createdAt" ASC LIMIT 1`,
  );
  const fileChanges = db.prepare(
    `SELECT "id", "seq", "nodeId", "path", "operation", "beforeContent", "afterContent", "beforeHash", "afterHash", "revertedAt"
       FROM "FileChange" WHERE "runId" = ? ORDER BY "seq" ASC`,
  );
  const insertPlan = db.prepare(
    `INSERT INTO "Plan" ("id", "teamId", "ownerId", "name", "description", "tags", "searchText", "latestVersion", "createdAt", "updatedAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
  );
  const insertTag = db.prepare(`INSERT INTO "PlanTag" ("planId", "teamId", "tag") VALUES (?, ?, ?)`);
  const insertVersion = db.prepare(
    `INSERT INTO "PlanVersion" ("id", "planId", "number", "graph", "graphHash", "message", "isDraft", "authorId", "createdAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // The conditional bump is the lock, as in savePlanVersion: of two writers on the same base, one matches.
  const bumpVersion = db.prepare(
    `UPDATE "Plan" SET "latestVersion" = "latestVersion" + 1, "updatedAt" = ? WHERE "id" = ? AND "latestVersion" = ?`,
  );

  const writeVersion = (planId: string, number: number, version: VersionDraft, defaultMessage: string, at: string | null) => {
    const versionId = newRowId();
    insertVersion.run(
      versionId,
      planId,
      number,
      JSON.stringify(version.document),
      version.graphHash,
      version.message ?? defaultMessage,
      version.isDraft ? 1 : 0,
      version.authorId,
      at,
    );
    return versionId;
  };

  const createPlan = db.transaction((plan: PlanDraft, version: VersionDraft) => {
    const tags = normaliseTags(plan.tags ?? []);
    const description = plan.description ?? "";
    const planId = newRowId();
    const at = isoDate(new Date());
    insertPlan.run(
      planId,
      plan.teamId,
      plan.ownerId,
      plan.name,
      description,
      JSON.stringify(tags),
      searchTextOf(plan.name, description, tags),
      at,
      at,
    );
    for (const tag of tags) insertTag.run(planId, plan.teamId, tag);
    return { planId, versionId: writeVersion(planId, 1, version, "Created", at) };
  });

  const addPlanVersion = db.transaction((planId: string, baseVersion: number, version: VersionDraft) => {
    const at = isoDate(new Date());
    if (bumpVersion.run(at, planId, baseVersion).changes === 0) return null;
    return { versionId: writeVersion(planId, baseVersion + 1, version, "", at) };
  });

  return {
    findFirstStartData() {
      const row = firstStart.get() as FirstStartRow | undefined;
      if (!row || row.workspaceId === null) return null;
      return {
        team: { id: row.teamId, name: row.teamName, slug: row.teamSlug },
        owner: { id: row.ownerId, email: row.ownerEmail, name: row.ownerName },
        workspace: { id: row.workspaceId, name: row.workspaceName as string, directory: row.workspaceDirectory as string },
      };
    },
    findLatestPlanVersion(teamId, name) {
      const row = latestVersion.get(teamId, name) as (Omit<LatestPlanVersion, "isDraft"> & { isDraft: number | null }) | undefined;
      return row ? { ...row, isDraft: row.isDraft === 1 } : null;
    },
    createPlan: (plan, version) => createPlan.immediate(plan, version),
    addPlanVersion: (planId, baseVersion, version) => addPlanVersion.immediate(planId, baseVersion, version),
    findRunIds(statuses) {
      if (statuses.length === 0) return [];
      const rows = db
        .prepare(`SELECT "id" FROM "Run" WHERE "status" IN (${statuses.map(() => "?").join(", ")})`)
        .all(...statuses) as Array<{ id: string }>;
      return rows.map((row) => row.id);
    },
    listFileChanges(runId) {
      return (fileChanges.all(runId) as FileChangeRow[]).map((row) => ({
        id: row.id,
        seq: row.seq,
        nodeId: row.nodeId,
        path: row.path,
        operation: row.operation as FileChangeRecord["operation"],
        before: row.beforeContent,
        after: row.afterContent,
        beforeHash: row.beforeHash,
        afterHash: row.afterHash,
        revertedAt: row.revertedAt === null ? null : new Date(row.revertedAt),
      }));
    },
    close: () => db.close(),
  };
}
