/** Where each provider's schema and migrations live, and how the PostgreSQL schema is derived. */
export type Provider = "sqlite" | "postgresql";

export const SCHEMA_PATHS: Record<Provider, string> = {
  sqlite: "prisma/schema.prisma",
  postgresql: "prisma/postgresql/schema.prisma",
};

export const MIGRATIONS_DIRS: Record<Provider, string> = {
  sqlite: "prisma/migrations",
  postgresql: "prisma/postgresql/migrations",
};

const GENERATED_HEADER = "// GENERATED from prisma/schema.prisma by `npm run prisma:generate`: edit that file, not this one.\n";

/** The PostgreSQL twin of the SQLite schema: same models, other provider and client output. */
export function derivePostgresSchema(sqliteSchema: string): string {
  const swapped = sqliteSchema
    .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
    .replace(/output(\s*)=\s*"\.\.\/lib\/db\/generated\/sqlite"/, 'output$1= "../../lib/db/generated/postgresql"');
  if (swapped === sqliteSchema) throw new Error("prisma/schema.prisma no longer has the expected provider/output lines");
  return GENERATED_HEADER + swapped;
}
