/**
 * The project's own `prisma migrate`, on the WASM schema engine:
 *   apply                 apply pending migrations to DATABASE_URL (like `migrate deploy`)
 *   status                list pending/failed/edited migrations; exits 1 unless up to date
 *   create <name>         add a migration for each provider from schema changes (like `migrate dev --create-only`)
 */
import { applyPendingMigrations, createMigration, migrationFolderName, readMigrationStatus } from "../lib/db/migrations";
import { parseDatabaseUrl } from "../lib/db/database-config";
import { loadEnv } from "../lib/env";

const [command, name] = process.argv.slice(2);

async function main(): Promise<number> {
  if (command === "create") {
    if (!name) throw new Error("Usage: npm run db:migration:create -- <name>");
    const folder = migrationFolderName(name);
    for (const provider of ["sqlite", "postgresql"] as const) {
      const created = await createMigration(provider, folder);
      console.log(created ? `${provider}: created ${folder}` : `${provider}: no schema change to migrate`);
    }
    return 0;
  }
  const config = parseDatabaseUrl(loadEnv().DATABASE_URL);
  if (command === "apply") {
    const status = await applyPendingMigrations(config);
    console.log(`${config.provider}: applied ${status.appliedNow?.length ?? 0} migration(s)`);
    return status.pending.length + status.failed.length === 0 ? 0 : 1;
  }
  if (command === "status") {
    const status = await readMigrationStatus(config);
    console.log(JSON.stringify({ provider: config.provider, ...status }, null, 2));
    return status.pending.length + status.failed.length + status.edited.length === 0 ? 0 : 1;
  }
  throw new Error(`Unknown command "${command ?? ""}": use apply, status or create <name>`);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
