import path from "node:path";

/** Which database to talk to, decided once from DATABASE_URL. */
export type DatabaseConfig = { provider: "sqlite"; url: string; filePath: string } | { provider: "postgresql"; url: string };

/**
 * `postgres://` / `postgresql://` URLs select PostgreSQL; `file:` URLs (or a
 * bare path) select an SQLite file, resolved against the working directory.
 */
export function parseDatabaseUrl(url: string): DatabaseConfig {
  if (/^postgres(ql)?:\/\//i.test(url)) return { provider: "postgresql", url };
  const filePath = path.resolve(url.replace(/^file:/, ""));
  return { provider: "sqlite", url: `file:${filePath}`, filePath };
}
