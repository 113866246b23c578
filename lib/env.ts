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
    HOST: z.string().min(1).default("127.0.0.1").describe("Address `npm start` listens on; 0.0.0.0 for every interface"),
    BATCHBOARD_TRUST_PROXY: z
      .stringbool()
      .default(false)
      .describe("Trust X-Forwarded-For for the client address (only behind a reverse proxy that sets it)"),
    BATCHBOARD_SELF_SERVICE_TEAMS: z
      .stringbool()
      .default(false)
      .describe("Default of the instance setting that lets anyone signed in create a team (administrators can change it in Settings)"),
    BATCHBOARD_STREAM_ACCESS_CHECK_MS: z.coerce
      .number()
      .int()
      .min(10)
      .max(30_000)
      .default(10_000)
      .describe("How often an open event stream re-checks that its member or token may still read the run"),
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

/** Where workspaces are registered, and the data directory they must stay clear of. */
export function workspacePlacementOf(env: Env): { root: string; dataDir: string } {
  return { root: env.BATCHBOARD_WORKSPACE_ROOT, dataDir: env.BATCHBOARD_DATA_DIR };
}
