/**
 * The data directory holds the database, every team's change logs and
 * workspaces, and the compiled process helper: only the server's user may
 * enter it (0700), and the SQLite file and its journals are readable by that
 * user alone (0600). Applied at every start, so an install made before this
 * rule (or with a loose umask) is tightened too.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import path from "node:path";
import type { DatabaseConfig } from "./database-config";

const SQLITE_COMPANIONS = ["", "-wal", "-shm", "-journal"];

export function secureDataDirectory(dataDir: string, database: DatabaseConfig): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  if (database.provider !== "sqlite") return;
  // Created empty with the right mode before SQLite opens it, so it is never readable by others, not even for a moment.
  if (!existsSync(database.filePath) && existsSync(path.dirname(database.filePath))) closeSync(openSync(database.filePath, "a", 0o600));
  for (const suffix of SQLITE_COMPANIONS) {
    const file = `${database.filePath}${suffix}`;
    if (existsSync(file)) chmodSync(file, 0o600);
  }
}
