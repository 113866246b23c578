/**
 * The CLI's SQLite fast path writes and reads the same rows as the Prisma
 * repositories: what it creates reads back through them exactly, and what
 * they created it finds. Real SQLite files, migrated by the project's command.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PlanDocument } from "../plan/schema";
import { hashPlan } from "../plan/plan-hash";
import { createTestDatabase, type TestDatabase } from "../testing/test-database";
import { ensureFirstStartData } from "./bootstrap";
import { isSqliteDatabaseMigrated } from "./migration-check";
import { getPlanVersion } from "./plan-versions";
import { findPlanByName, listPlans } from "./plans";
import { openSqliteCliConnection, sqliteCliQueries, type SqliteCliQueries } from "./sqlite-cli-queries";

let db: TestDatabase;
let queries: SqliteCliQueries;
let filePath: string;

beforeAll(async () => {
  db = await createTestDatabase("sqlite");
  if (db.config.provider !== "sqlite") throw new Error("expected SQLite");
  filePath = db.config.filePath;
  queries = sqliteCliQueries(openSqliteCliConnection(filePath));
});
afterAll(async () => {
  queries.close();
  await db.destroy();
});

const document = (command: string) =>
  PlanDocument.parse({ name: "Deploy  Docs", description: "from the CLI", nodes: [{ id: "a", type: "shell", params: { command } }] });

describe("the CLI's SQLite queries", () => {
  it("find no first-start data before the first start, and Prisma's bootstrap rows after it", async () => {
    expect(queries.findFirstStartData()).toBeNull();
    const root = mkdtempSync(path.join(os.tmpdir(), "batchboard-ws-"));
    const created = await ensureFirstStartData(db.client, { root, dataDir: `${root}-data` });
    expect(queries.findFirstStartData()).toEqual({
      team: { id: created.team.id, name: created.team.name, slug: created.team.slug },
      owner: { id: created.owner.id, email: created.owner.email, name: created.owner.name },
      workspace: { id: created.workspace.id, name: created.workspace.name, directory: created.workspace.directory },
    });
  });

  it("create a plan and its versions that the Prisma repositories read back exactly", async () => {
    const start = queries.findFirstStartData();
    if (!start) throw new Error("bootstrap first");
    const first = document("true");
    expect(queries.findLatestPlanVersion(start.team.id, first.name)).toBeNull();
    const created = queries.createPlan(
      {
        teamId: start.team.id,
        ownerId: start.owner.id,
        name: first.name,
        description: first.description,
        tags: ["CLI", "cli", " deploy "],
      },
      { document: first, graphHash: hashPlan(first), authorId: start.owner.id, message: "Run from the CLI" },
    );
    const plan = await findPlanByName(db.client, start.team.id, first.name);
    expect(plan).toMatchObject({ id: created.planId, latestVersion: 1, tags: ["cli", "deploy"], description: "from the CLI" });
    expect(plan?.createdAt).toBeInstanceOf(Date);
    const listed = await listPlans(db.client, { teamId: start.team.id, search: "deploy", tag: "deploy" });
    expect(listed.map((summary) => summary.id)).toContain(created.planId);
    const version = await getPlanVersion(db.client, start.team.id, created.planId);
    expect(version).toMatchObject({
      id: created.versionId,
      number: 1,
      graphHash: hashPlan(first),
      message: "Run from the CLI",
      isDraft: false,
    });
    expect(version.graph).toEqual(first);

    expect(queries.findLatestPlanVersion(start.team.id, first.name)).toEqual({
      planId: created.planId,
      latestVersion: 1,
      versionId: created.versionId,
      graphHash: hashPlan(first),
      isDraft: false,
    });
    const second = document("echo changed");
    const added = queries.addPlanVersion(created.planId, 1, { document: second, graphHash: hashPlan(second), authorId: start.owner.id });
    expect(added).not.toBeNull();
    expect(await getPlanVersion(db.client, start.team.id, created.planId)).toMatchObject({
      id: added?.versionId,
      number: 2,
      graph: second,
    });
    // A writer on a stale base changes nothing.
    expect(
      queries.addPlanVersion(created.planId, 1, { document: second, graphHash: hashPlan(second), authorId: start.owner.id }),
    ).toBeNull();
    expect((await findPlanByName(db.client, start.team.id, first.name))?.latestVersion).toBe(2);
  });

  it("list runs by status and a run's journal as the Prisma store does", async () => {
    const start = queries.findFirstStartData();
    const plan = start && queries.findLatestPlanVersion(start.team.id, "Deploy  Docs");
    if (!start || !plan?.versionId) throw new Error("plan first");
    const run = await db.client.run.create({
      data: {
        teamId: start.team.id,
        planId: plan.planId,
        planVersionId: plan.versionId,
        directory: "/tmp",
        settings: "{}",
        startedById: start.owner.id,
        status: "running",
      },
    });
    await db.client.fileChange.create({
      data: {
        runId: run.id,
        nodeId: "a",
        seq: 1,
        path: "a.txt",
        operation: "modify",
        beforeContent: Buffer.from("old"),
        afterContent: Buffer.from("new"),
        beforeHash: "h1",
        afterHash: "h2",
        revertedAt: new Date("2026-01-02T03:04:05.678Z"),
      },
    });
    expect(queries.findRunIds(["running", "queued"])).toEqual([run.id]);
    expect(queries.findRunIds(["succeeded"])).toEqual([]);
    const [change] = queries.listFileChanges(run.id);
    expect(change).toMatchObject({ seq: 1, nodeId: "a", path: "a.txt", operation: "modify", beforeHash: "h1", afterHash: "h2" });
    expect(change?.before?.toString()).toBe("old");
    expect(change?.after?.toString()).toBe("new");
    expect(change?.revertedAt?.toISOString()).toBe("2026-01-02T03:04:05.678Z");
  });
});

describe("isSqliteDatabaseMigrated", () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "batchboard-migration-check-"));
    cpSync("prisma", path.join(root, "prisma"), { recursive: true });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("is true for a migrated file, false for an empty one, a new migration or an edited one", () => {
    const migrated = openSqliteCliConnection(filePath);
    const empty = new BetterSqlite3(path.join(root, "empty.db"));
    try {
      expect(isSqliteDatabaseMigrated(migrated, root)).toBe(true);
      expect(isSqliteDatabaseMigrated(empty, root)).toBe(false);
      const migrations = path.join(root, "prisma/migrations");
      const added = path.join(migrations, "20990101000000_later");
      mkdirSync(added);
      writeFileSync(path.join(added, "migration.sql"), 'CREATE TABLE "Later" ("id" TEXT);\n');
      expect(isSqliteDatabaseMigrated(migrated, root)).toBe(false);
      rmSync(added, { recursive: true });
      expect(isSqliteDatabaseMigrated(migrated, root)).toBe(true);
      const [first] = readdirSync(migrations).filter((name) => /^\d/.test(name));
      writeFileSync(path.join(migrations, first as string, "migration.sql"), "-- edited\n", { flag: "a" });
      expect(isSqliteDatabaseMigrated(migrated, root)).toBe(false);
    } finally {
      migrated.close();
      empty.close();
    }
  });
});
