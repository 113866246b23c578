/** Everything the runner depends on, passed in as one object (it reads no env and opens no database). */
import os from "node:os";
import path from "node:path";
import { RunEventBus } from "./event-bus";
import { DEFAULT_RUNNER_LIMITS, type RunnerLimits } from "./limits";
import type { RunStore } from "./run-store";
import { Semaphore } from "./semaphore";
import { createUncontainedLauncher, type CommandLauncher } from "./sandbox/run-commands";
import { createZygoteSpawner } from "./spawner/process-spawner";

/** Time source, replaceable in tests. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** The runner's dependencies. */
export interface RunnerResources {
  /** Persistence port (lib/db/run-store.ts in production). */
  store: RunStore;
  /** Where events are published live. */
  bus: RunEventBus;
  clock: Clock;
  limits: RunnerLimits;
  /** The per-server limit on operations running at once, shared by all runs. */
  serverSlots: Semaphore;
  /** Gives each run its way to start commands: a sandbox per run, or (opted out) one shared helper. */
  commands: CommandLauncher;
  /** Reports problems that must not fail a run (a failed flush, a broken subscriber). */
  reportError(error: unknown): void;
  /**
   * A private directory for change logs (see change-log.ts), so that changes
   * a crash kept from the journal are recovered; null: not logged.
   */
  changeLogDirectory: string | null;
  /**
   * A ripgrep executable large searches may use to find candidate lines
   * (same results as without it; see executors/search-ripgrep.ts); null, the
   * default here: searches run in-process only. The server and CLI pass
   * BATCHBOARD_RIPGREP.
   */
  ripgrepPath: string | null;
}

/**
 * Builds resources with defaults for everything but the store.
 *
 * @example
 * const resources = createRunnerResources({ store: createPrismaRunStore(client), serverConcurrency: env.BATCHBOARD_SERVER_CONCURRENCY });
 */
export function createRunnerResources(options: {
  store: RunStore;
  bus?: RunEventBus;
  clock?: Clock;
  limits?: Partial<RunnerLimits>;
  serverConcurrency?: number;
  /** Defaults to uncontained commands through the Perl zygote, with run homes under the system's temporary directory. */
  commands?: CommandLauncher;
  reportError?: (error: unknown) => void;
  changeLogDirectory?: string | null;
  ripgrepPath?: string | null;
}): RunnerResources {
  return {
    store: options.store,
    bus: options.bus ?? new RunEventBus(),
    clock: options.clock ?? { now: () => Date.now() },
    limits: { ...DEFAULT_RUNNER_LIMITS, ...options.limits },
    serverSlots: new Semaphore(options.serverConcurrency ?? 32),
    commands:
      options.commands ??
      createUncontainedLauncher({ spawner: createZygoteSpawner(), homesDirectory: path.join(os.tmpdir(), "batchboard-run-homes") }),
    reportError: options.reportError ?? ((error) => console.error("[runner]", error)),
    changeLogDirectory: options.changeLogDirectory ?? null,
    ripgrepPath: options.ripgrepPath ?? null,
  };
}
