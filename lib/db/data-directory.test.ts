/** The data directory and the SQLite file on a real disk: created private, and an existing loose install tightened. */
import { chmodSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { secureDataDirectory } from "./data-directory";
import { parseDatabaseUrl } from "./database-config";
import { applyPendingMigrations } from "./migrations";

const modeOf = (file: string) => statSync(file).mode & 0o777;

describe("data directory permissions", () => {
  it("creates the data directory 0700 and the SQLite file 0600, which migrations keep", async () => {
    const dataDir = path.join(mkdtempSync(path.join(os.tmpdir(), "bb-perm-")), "data");
    const config = parseDatabaseUrl(`file:${path.join(dataDir, "batchboard.db")}`);
    secureDataDirectory(dataDir, config);
    expect(modeOf(dataDir)).toBe(0o700);
    await applyPendingMigrations(config);
    secureDataDirectory(dataDir, config);
    expect(modeOf(path.join(dataDir, "batchboard.db"))).toBe(0o600);
  });

  it("tightens an existing install with a world-readable directory, database and journal", () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "bb-perm-old-"));
    chmodSync(dataDir, 0o755);
    const database = path.join(dataDir, "batchboard.db");
    for (const file of [database, `${database}-wal`]) writeFileSync(file, "", { mode: 0o644 });
    mkdirSync(path.join(dataDir, "change-logs"));
    secureDataDirectory(dataDir, parseDatabaseUrl(`file:${database}`));
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(database)).toBe(0o600);
    expect(modeOf(`${database}-wal`)).toBe(0o600);
  });
});
