/**
 * A fresh, migrated database per test file: an SQLite file in a temporary
 * directory, or a new database on the real PostgreSQL server (dropped after).
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { openDatabase, type Database } from "../db/client";
import { parseDatabaseUrl, type DatabaseConfig } from "../db/database-config";
import { applyPendingMigrations } from "../db/migrations";
import type { Provider } from "../db/schema-files";
import { TEST_POSTGRES_ADMIN_URL } from "./services";

export interface TestDatabase extends Database {
  /** Closes the connection and deletes the database. */
  destroy(): Promise<void>;
}

async function withAdminConnection(work: (client: pg.Client) => Promise<void>): Promise<void> {
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await work(admin);
  } finally {
    await admin.end();
  }
}

/** A new, empty database on the real PostgreSQL server, for one test file or one e2e run. */
export async function createScratchPostgresDatabase(label = "test"): Promise<{ config: DatabaseConfig; drop: () => Promise<void> }> {
  const name = `batchboard_${label}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  await withAdminConnection((admin) => admin.query(`CREATE DATABASE "${name}"`).then(() => undefined));
  return {
    config: parseDatabaseUrl(TEST_POSTGRES_ADMIN_URL.replace(/\/test$/, `/${name}`)),
    drop: () => withAdminConnection((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).then(() => undefined)),
  };
}

export async function createTestDatabase(provider: Provider): Promise<TestDatabase> {
  let config: DatabaseConfig;
  let dropDatabase: () => Promise<void>;
  if (provider === "sqlite") {
    const dir = mkdtempSync(path.join(os.tmpdir(), "batchboard-db-"));
    config = parseDatabaseUrl(`file:${path.join(dir, "test.db")}`);
    dropDatabase = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    ({ config, drop: dropDatabase } = await createScratchPostgresDatabase());
  }
  await applyPendingMigrations(config);
  const database = await openDatabase(config);
  return {
    ...database,
    async destroy() {
      await database.close();
      await dropDatabase();
    },
  };
}

/** The providers every repository test runs against. */
export const TEST_PROVIDERS: readonly Provider[] = ["sqlite", "postgresql"];
