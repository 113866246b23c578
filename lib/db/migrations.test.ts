import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createScratchPostgresDatabase } from "../testing/test-database";
import { parseDatabaseUrl, type DatabaseConfig } from "./database-config";
import { applyPendingMigrations, createMigration, migrationFolderName, readMigrationStatus } from "./migrations";
import { derivePostgresSchema, MIGRATIONS_DIRS, SCHEMA_PATHS } from "./schema-files";
import BetterSqlite3 from "better-sqlite3";

/** A copy of the project's prisma/ folder to change freely. */
function copyOfPrismaFolder(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), "batchboard-migrations-"));
  cpSync("prisma", path.join(root, "prisma"), { recursive: true });
  return root;
}

const scratchDatabases: { drop: () => Promise<void> }[] = [];
async function freshPostgres(): Promise<DatabaseConfig> {
  const scratch = await createScratchPostgresDatabase("migrate");
  scratchDatabases.push(scratch);
  return scratch.config;
}

afterAll(async () => {
  await Promise.all(scratchDatabases.map((scratch) => scratch.drop()));
});

describe("migrations", () => {
  it("the committed PostgreSQL schema is derived from prisma/schema.prisma", () => {
    expect(readFileSync(SCHEMA_PATHS.postgresql, "utf8")).toBe(derivePostgresSchema(readFileSync(SCHEMA_PATHS.sqlite, "utf8")));
  });

  it("the committed migrations match the schema for both providers (no drift)", async () => {
    const root = copyOfPrismaFolder();
    expect(await createMigration("sqlite", "20990101000000_drift", root)).toBe(false);
    expect(await createMigration("postgresql", "20990101000000_drift", root)).toBe(false);
  });

  it("a migration created by the project's command applies to SQLite and PostgreSQL and passes the status check", async () => {
    const root = copyOfPrismaFolder();
    const schemaPath = path.join(root, SCHEMA_PATHS.sqlite);
    const changed = readFileSync(schemaPath, "utf8").replace("model Team {\n", "model Team {\n  motto     String?\n");
    writeFileSync(schemaPath, changed);
    writeFileSync(path.join(root, SCHEMA_PATHS.postgresql), derivePostgresSchema(changed));
    const folder = migrationFolderName("add team motto", new Date("2099-01-01T00:00:00Z"));
    expect(folder).toBe("20990101000000_add_team_motto");

    for (const provider of ["sqlite", "postgresql"] as const) {
      expect(await createMigration(provider, folder, root)).toBe(true);
      const sql = readFileSync(path.join(root, MIGRATIONS_DIRS[provider], folder, "migration.sql"), "utf8");
      expect(sql).toMatch(/ALTER TABLE "Team" ADD COLUMN +"motto" TEXT/);
    }

    const sqlite = parseDatabaseUrl(`file:${path.join(root, "data", "test.db")}`);
    const postgres = await freshPostgres();
    for (const config of [sqlite, postgres]) {
      const before = await readMigrationStatus(config, root);
      expect(before.pending).toContain(folder);
      const after = await applyPendingMigrations(config, root);
      expect(after.appliedNow).toContain(folder);
      expect(await readMigrationStatus(config, root)).toEqual({ pending: [], failed: [], edited: [], unknown: [] });
      // A second apply is a no-op, as with `prisma migrate deploy`.
      expect((await applyPendingMigrations(config, root)).appliedNow).toEqual([]);
    }

    // Stock Prisma compares sha-256 checksums of migration.sql in _prisma_migrations.
    const connection = new BetterSqlite3(sqlite.provider === "sqlite" ? sqlite.filePath : "");
    const rows = connection.prepare("SELECT migration_name, checksum, finished_at FROM _prisma_migrations").all() as {
      migration_name: string;
      checksum: string;
      finished_at: string | null;
    }[];
    connection.close();
    const folders = readdirSync(path.join(root, MIGRATIONS_DIRS.sqlite), { withFileTypes: true }).filter((entry) => entry.isDirectory());
    expect(rows.map((row) => row.migration_name).sort()).toEqual(folders.map((entry) => entry.name).sort());
    for (const row of rows) {
      const sql = readFileSync(path.join(root, MIGRATIONS_DIRS.sqlite, row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
      expect(row.finished_at).not.toBeNull();
    }
  });

  it("reports an edited migration", async () => {
    const root = copyOfPrismaFolder();
    const config = parseDatabaseUrl(`file:${path.join(root, "data", "edited.db")}`);
    await applyPendingMigrations(config, root);
    const [first] = readdirSync(path.join(root, MIGRATIONS_DIRS.sqlite), { withFileTypes: true }).filter((entry) => entry.isDirectory());
    const file = path.join(root, MIGRATIONS_DIRS.sqlite, first?.name ?? "", "migration.sql");
    writeFileSync(file, `${readFileSync(file, "utf8")}\n-- edited by hand\n`);
    expect((await readMigrationStatus(config, root)).edited).toEqual([first?.name]);
  });
});
