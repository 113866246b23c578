/**
 * Generates both Prisma clients from the one model in prisma/schema.prisma.
 * The PostgreSQL schema is derived (provider and output only) and committed,
 * so a stock Prisma CLI elsewhere can run `prisma migrate deploy --schema
 * prisma/postgresql/schema.prisma` against the same database.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { derivePostgresSchema, SCHEMA_PATHS } from "../lib/db/schema-files";

const source = readFileSync(SCHEMA_PATHS.sqlite, "utf8");
mkdirSync("prisma/postgresql", { recursive: true });
writeFileSync(SCHEMA_PATHS.postgresql, derivePostgresSchema(source));

// The CLI only checks that a schema engine binary exists before generating;
// the native one cannot be downloaded here and is not needed for `generate`.
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? "/bin/true" };
for (const schema of [SCHEMA_PATHS.sqlite, SCHEMA_PATHS.postgresql]) {
  execFileSync("node_modules/.bin/prisma", ["generate", "--schema", schema], { stdio: ["ignore", "inherit", "inherit"], env });
}
