/**
 * The one place that reads process.env. Everything else receives values from
 * here, so configuration is validated once and documented in one schema.
 */
import path from "node:path";
import { z } from "zod";

const EnvSchema = z
  .object({
    BATCHBOARD_DATA_DIR: z.string().min(1).default("./data").describe("Where the SQLite file, scratch directories and logs live"),
    DATABASE_URL: z
      .string()
      .min(1)
      .optional()
      .describe("postgres://… for PostgreSQL; file:… or unset for the embedded SQLite file in the data dir"),
    BATCHBOARD_WORKSPACE_ROOT: z
      .string()
      .min(1)
      .optional()
      .describe("Directory under which workspaces are registered; defaults to <data dir>/workspaces"),
    PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
    BATCHBOARD_SANDBOX: z
      .enum(["on", "off"])
      .default("on")
      .describe("on: every command runs in a bubblewrap sandbox; off: commands run with the server's full authority (explicit opt-out)"),
    BATCHBOARD_SERVER_CONCURRENCY: z.coerce
      .number()
      .int()
      .min(1)
      .max(1024)
      .default(32)
      .describe("Most operations running at once across all runs of this server"),
  })
  .transform((env) => {
    // turbopackIgnore: these are run-time directories, not files for the build to trace.
    const dataDir = path.resolve(/*turbopackIgnore: true*/ env.BATCHBOARD_DATA_DIR);
    return {
      ...env,
      BATCHBOARD_DATA_DIR: dataDir,
      DATABASE_URL: env.DATABASE_URL ?? `file:${path.join(dataDir, "batchboard.db")}`,
      BATCHBOARD_WORKSPACE_ROOT: path.resolve(/*turbopackIgnore: true*/ env.BATCHBOARD_WORKSPACE_ROOT ?? path.join(dataDir, "workspaces")),
    };
  });

export type Env = z.infer<typeof EnvSchema>;

/** Validates the environment; a bad value fails start-up with the variable's name. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment:\n  ${problems.join("\n  ")}`);
  }
  return result.data;
}
