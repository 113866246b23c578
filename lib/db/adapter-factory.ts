import { mkdirSync } from "node:fs";
import path from "node:path";
import type { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type { PrismaPg } from "@prisma/adapter-pg";
import { openSqliteFile } from "./sqlite-file";
import type { DatabaseConfig } from "./database-config";

/** How long an SQLite writer waits for another process's lock before failing. */
const SQLITE_BUSY_TIMEOUT_MS = 10_000;

/**
 * WAL lets the web server, workers and the CLI read while one of them
 * writes. The mode is stored in the file, but switching needs the file to
 * itself, so it is done before any long-lived connection opens it.
 */
function ensureWriteAheadLog(filePath: string): void {
  mkdirSync(path.dirname(filePath), { recursive: true });
  const connection = openSqliteFile(filePath, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  try {
    connection.pragma("journal_mode = WAL");
  } finally {
    connection.close();
  }
}

/**
 * The Prisma driver adapter for a database; used by both the client and the
 * schema engine. Only the provider's own driver is loaded.
 */
export async function createAdapterFactory(config: DatabaseConfig): Promise<PrismaBetterSqlite3 | PrismaPg> {
  if (config.provider === "postgresql") return new (await import("@prisma/adapter-pg")).PrismaPg({ connectionString: config.url });
  ensureWriteAheadLog(config.filePath);
  return new (await import("@prisma/adapter-better-sqlite3")).PrismaBetterSqlite3({
    url: config.filePath,
    timeout: SQLITE_BUSY_TIMEOUT_MS,
  });
}
