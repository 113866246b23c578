/**
 * Opens the Prisma client for SQLite or PostgreSQL through driver adapters.
 * The only module that constructs a client; repositories receive it.
 */
import type { PrismaClient as SqliteClient } from "./generated/sqlite/client";
import { createAdapterFactory } from "./adapter-factory";
import type { DatabaseConfig } from "./database-config";

/**
 * Both generated clients expose the same models (they come from one schema
 * file); the SQLite client's type is used as the common one because its API
 * is the narrower of the two, so code written against it runs on both.
 */
export type DbClient = SqliteClient;

export interface Database {
  client: DbClient;
  config: DatabaseConfig;
  close(): Promise<void>;
}

/** Opens a connection; the caller applies migrations first (see migrations.ts). */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  const adapter = await createAdapterFactory(config);
  // Only the provider's own generated client is loaded (each is a large module).
  const client =
    config.provider === "postgresql"
      ? (new (await import("./generated/postgresql/client")).PrismaClient({ adapter }) as unknown as DbClient)
      : new (await import("./generated/sqlite/client")).PrismaClient({ adapter });
  if (config.provider === "sqlite") {
    // Safe with WAL: a crash can lose the last commits' durability, never consistency.
    await client.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
    await client.$queryRawUnsafe("PRAGMA foreign_keys = ON");
  }
  return { client, config, close: () => client.$disconnect() };
}
