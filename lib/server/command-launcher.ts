/**
 * How this process starts commands, from the environment: a bubblewrap
 * sandbox per run (the default, BATCHBOARD_SANDBOX=on), or, opted out,
 * commands with the process's full authority. Shared by the web server, the
 * CLI and workers, so every command anywhere is contained the same way.
 */
import path from "node:path";
import type { Env } from "../env";
import { createSandboxLauncher } from "../runner/sandbox/bubblewrap";
import { createUncontainedLauncher, type CommandLauncher } from "../runner/sandbox/run-commands";
import { createZygoteSpawner } from "../runner/spawner/process-spawner";

/** Said at start-up by whoever runs commands with the sandbox off. */
const SANDBOX_OFF_WARNING =
  "BATCHBOARD_SANDBOX=off: commands run uncontained, with this server's user, files and environment. Do not share this server with people you would not give a shell on it.";

/**
 * `longLived`: a web server or worker, which starts many runs' sandboxes
 * through a spawn host rather than forking itself for each (the CLI, with
 * one run, forks once).
 */
export function createCommandLauncher(env: Env, options: { warn?: (message: string) => void; longLived?: boolean } = {}): CommandLauncher {
  // The compiled helper forks commands for a fraction of the Perl one's CPU, which the server needs for events and pages.
  const helperCacheDirectory = path.join(env.BATCHBOARD_DATA_DIR, "bin");
  if (env.BATCHBOARD_SANDBOX === "off") {
    (options.warn ?? console.warn)(SANDBOX_OFF_WARNING);
    return createUncontainedLauncher({
      spawner: createZygoteSpawner({ nativeCacheDir: helperCacheDirectory }),
      homesDirectory: path.join(env.BATCHBOARD_DATA_DIR, "run-homes"),
    });
  }
  return createSandboxLauncher({
    helperCacheDirectory,
    stateDirectory: path.join(env.BATCHBOARD_DATA_DIR, "sandboxes"),
    longLived: options.longLived,
  });
}
