import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { DatabaseConfig } from "./database-config";

/** How long an SQLite writer waits for another process's lock before failing. */
const SQLITE_BUSY_TIMEOUT_MS = 10_000;

/** The Prisma driver adapter for a database; used by both the client and the schema engine. */
export function createAdapterFactory(config: DatabaseConfig): PrismaBetterSqlite3 | PrismaPg {
  if (config.provider === "postgresql") return new PrismaPg({ connectionString: config.url });
  mkdirSync(path.dirname(config.filePath), { recursive: true });
  return new PrismaBetterSqlite3({ url: config.filePath, timeout: SQLITE_BUSY_TIMEOUT_MS });
}
