/**
 * The cheap question asked at every CLI start: is this SQLite file already
 * migrated? Answered on the connection the CLI then works with, from
 * Prisma's own `_prisma_migrations` table with one query, so the WebAssembly
 * schema engine (migrations.ts; ~0.3 s of CPU and ~60 MB to load) is only
 * started when there is something for it to do.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import { MIGRATIONS_DIRS } from "./schema-files";

interface AppliedMigration {
  migration_name: string;
  checksum: string;
  finished_at: string | null;
  rolled_back_at: string | null;
}

/**
 * True when every migration in the folder is applied with the checksum of its
 * file as it is now (Prisma's: SHA-256 of migration.sql), and no migration is
 * failed or unknown to the folder. Anything else — a new file, an edit, a
 * failure, a database without the table — is false: the schema engine
 * decides (and reports) those cases exactly as before.
 */
export function isSqliteDatabaseMigrated(connection: BetterSqlite3.Database, root: string): boolean {
  const baseDir = path.resolve(root, MIGRATIONS_DIRS.sqlite);
  const folders = readdirSync(baseDir, { withFileTypes: true }).filter((entry) => entry.isDirectory());
  let rows: AppliedMigration[];
  try {
    rows = connection
      .prepare(`SELECT "migration_name", "checksum", "finished_at", "rolled_back_at" FROM "_prisma_migrations"`)
      .all() as AppliedMigration[];
  } catch {
    return false;
  }
  const live = rows.filter((row) => row.rolled_back_at === null);
  if (live.some((row) => row.finished_at === null) || live.length !== folders.length) return false;
  const applied = new Map(live.map((row) => [row.migration_name, row.checksum]));
  return folders.every((folder) => {
    const file = path.join(baseDir, folder.name, "migration.sql");
    return existsSync(file) && applied.get(folder.name) === createHash("sha256").update(readFileSync(file)).digest("hex");
  });
}
