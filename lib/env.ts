/**
 * The one place that reads process.env. Everything else receives values from
 * here, so configuration is validated once and documented in one schema.
 */
import path from "node:path";
import * as z from "zod";

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
    BATCHBOARD_RIPGREP: z
      .string()
      .min(1)
      .default("rg")
      .describe(
        "The ripgrep executable (looked up on PATH) large searches use to find candidate lines, with the same results as without it; off: searches run in-process only",
      ),
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
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
      .optional()
      .describe(
        "Turns on cluster mode: web servers enqueue runs in BullMQ on this Redis and workers (npm run worker) execute them; needs PostgreSQL",
      ),
    BATCHBOARD_REDIS_PREFIX: z
      .string()
      .min(1)
      .default("batchboard")
      .describe("Prefix of every Redis key and channel (BullMQ queues, events, control)"),
    BATCHBOARD_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(4).describe("Worker: runs executed at once"),
    BATCHBOARD_WORKER_TAGS: z
      .string()
      .default("default")
      .transform((value) => [
        ...new Set(
          value
            .split(",")
            .map((tag) => tag.trim())
            .filter(Boolean),
        ),
      ])
      .pipe(
        z
          .array(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "tags use lower-case letters, digits, '-' and '_'"))
          .min(1, "name at least one tag"),
      )
      .describe("Worker: comma-separated tags it serves; a workspace's runs go to workers serving its tag"),
    BATCHBOARD_WORKER_WORKSPACES: z
      .string()
      .default("")
      .transform((value, context) => {
        const map: Record<string, string> = {};
        for (const entry of value
          .split(",")
          .map((item) => item.trim())
          .filter(Boolean)) {
          const separator = entry.indexOf("=");
          if (separator <= 0 || !path.isAbsolute(entry.slice(separator + 1))) {
            context.addIssue({ code: "custom", message: `"${entry}" is not name=/absolute/path` });
            continue;
          }
          map[entry.slice(0, separator)] = entry.slice(separator + 1);
        }
        return map;
      })
      .describe("Worker: name=/path,… where each workspace it serves lives on its disk; others use their registered directory"),
    BATCHBOARD_WORKER_DRAIN_MS: z.coerce
      .number()
      .int()
      .min(0)
      .default(30_000)
      .describe("Worker: on SIGTERM, how long current runs may finish before they are handed over"),
  })
  .superRefine((env, context) => {
    if (env.REDIS_URL && !env.DATABASE_URL?.startsWith("postgres")) {
      context.addIssue({
        code: "custom",
        path: ["REDIS_URL"],
        message: "cluster mode (REDIS_URL) needs PostgreSQL: set DATABASE_URL to a postgres:// URL (SQLite lives on one machine)",
      });
    }
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

/** The ripgrep executable searches may use, or null when switched off (a missing one is noticed at the first search). */
export function ripgrepPathOf(env: Env): string | null {
  return env.BATCHBOARD_RIPGREP === "off" ? null : env.BATCHBOARD_RIPGREP;
}

/** Where workspaces are registered, and the data directory they must stay clear of. */
export function workspacePlacementOf(env: Env): { root: string; dataDir: string } {
  return { root: env.BATCHBOARD_WORKSPACE_ROOT, dataDir: env.BATCHBOARD_DATA_DIR };
}
