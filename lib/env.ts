/**
 * The one place that reads process.env. Everything else receives values from
 * here, so configuration is validated once and documented in one schema.
 */
import path from "node:path";
import * as z from "./plan/mini-zod";
import { described, integerIn } from "./plan/mini-zod";

/** A text setting that cannot be empty. */
const text = () => z.string().check(z.minLength(1));

/** A whole-number setting in `[min, max]`, given as text. */
const wholeNumber = (min: number, max?: number) => z.coerce.number().check(...integerIn(min, max));

/** Splits a comma-separated list into its trimmed, non-empty items. */
const listItems = (value: string) =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);

const EnvVariables = z
  .object({
    BATCHBOARD_DATA_DIR: described(z._default(text(), "./data"), "Where the SQLite file, scratch directories and logs live"),
    DATABASE_URL: described(
      z.optional(text()),
      "postgres://… for PostgreSQL; file:… or unset for the embedded SQLite file in the data dir",
    ),
    BATCHBOARD_WORKSPACE_ROOT: described(
      z.optional(text()),
      "Directory under which workspaces are registered; defaults to <data dir>/workspaces",
    ),
    PORT: z._default(wholeNumber(1, 65_535), 3000),
    BATCHBOARD_SANDBOX: described(
      z._default(z.enum(["on", "off"]), "on"),
      "on: every command runs in a bubblewrap sandbox; off: commands run with the server's full authority (explicit opt-out)",
    ),
    BATCHBOARD_SERVER_CONCURRENCY: described(
      z._default(wholeNumber(1, 1024), 32),
      "Most operations running at once across all runs of this server",
    ),
    BATCHBOARD_RIPGREP: described(
      z._default(text(), "rg"),
      "The ripgrep executable (looked up on PATH) large searches use to find candidate lines, with the same results as without it; off: searches run in-process only",
    ),
    HOST: described(z._default(text(), "127.0.0.1"), "Address `npm start` listens on; 0.0.0.0 for every interface"),
    BATCHBOARD_TRUST_PROXY: described(
      z._default(z.stringbool(), false),
      "Trust X-Forwarded-For for the client address (only behind a reverse proxy that sets it)",
    ),
    BATCHBOARD_SELF_SERVICE_TEAMS: described(
      z._default(z.stringbool(), false),
      "Default of the instance setting that lets anyone signed in create a team (administrators can change it in Settings)",
    ),
    BATCHBOARD_STREAM_ACCESS_CHECK_MS: described(
      z._default(wholeNumber(10, 30_000), 10_000),
      "How often an open event stream re-checks that its member or token may still read the run",
    ),
    REDIS_URL: described(
      z.optional(z.string().check(z.regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL"))),
      "Turns on cluster mode: web servers enqueue runs in BullMQ on this Redis and workers (npm run worker) execute them; needs PostgreSQL",
    ),
    BATCHBOARD_REDIS_PREFIX: described(
      z._default(text(), "batchboard"),
      "Prefix of every Redis key and channel (BullMQ queues, events, control)",
    ),
    BATCHBOARD_WORKER_CONCURRENCY: described(z._default(wholeNumber(1, 256), 4), "Worker: runs executed at once"),
    BATCHBOARD_WORKER_TAGS: described(
      z.pipe(
        z.pipe(
          z._default(z.string(), "default"),
          z.transform((value) => [...new Set(listItems(value))]),
        ),
        z
          .array(z.string().check(z.regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "tags use lower-case letters, digits, '-' and '_'")))
          .check(z.minLength(1, "name at least one tag")),
      ),
      "Worker: comma-separated tags it serves; a workspace's runs go to workers serving its tag",
    ),
    BATCHBOARD_WORKER_WORKSPACES: described(
      z.pipe(
        z._default(z.string(), ""),
        z.transform((value, context) => {
          const map: Record<string, string> = {};
          for (const entry of listItems(value)) {
            const separator = entry.indexOf("=");
            if (separator <= 0 || !path.isAbsolute(entry.slice(separator + 1))) {
              context.issues.push({ code: "custom", message: `"${entry}" is not name=/absolute/path`, input: entry });
              continue;
            }
            map[entry.slice(0, separator)] = entry.slice(separator + 1);
          }
          return map;
        }),
      ),
      "Worker: name=/path,… where each workspace it serves lives on its disk; others use their registered directory",
    ),
    BATCHBOARD_WORKER_DRAIN_MS: described(
      z._default(wholeNumber(0), 30_000),
      "Worker: on SIGTERM, how long current runs may finish before they are handed over",
    ),
  })
  .check(
    z.refine((env) => !env.REDIS_URL || env.DATABASE_URL?.startsWith("postgres") === true, {
      path: ["REDIS_URL"],
      message: "cluster mode (REDIS_URL) needs PostgreSQL: set DATABASE_URL to a postgres:// URL (SQLite lives on one machine)",
    }),
  );

const EnvSchema = z.pipe(
  EnvVariables,
  z.transform((env) => {
    // turbopackIgnore: these are run-time directories, not files for the build to trace.
    const dataDir = path.resolve(/*turbopackIgnore: true*/ env.BATCHBOARD_DATA_DIR);
    return {
      ...env,
      BATCHBOARD_DATA_DIR: dataDir,
      DATABASE_URL: env.DATABASE_URL ?? `file:${path.join(dataDir, "batchboard.db")}`,
      BATCHBOARD_WORKSPACE_ROOT: path.resolve(/*turbopackIgnore: true*/ env.BATCHBOARD_WORKSPACE_ROOT ?? path.join(dataDir, "workspaces")),
    };
  }),
);

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
