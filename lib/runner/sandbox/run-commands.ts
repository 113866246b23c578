/**
 * How a run starts its commands. A {@link CommandLauncher} belongs to the
 * server (or CLI); each run asks it for its own {@link RunCommands}: a
 * spawner plus the private HOME and TMPDIR its commands get. Sandboxed, that
 * is one bubblewrap sandbox per run with the process helper inside
 * (bubblewrap.ts); uncontained, one helper shared by all runs.
 */
import { mkdirSync, rmdirSync, rmSync } from "node:fs";
import { rm, rmdir } from "node:fs/promises";
import path from "node:path";
import type { ProcessSpawner, SpawnedProcess, SpawnRequest, OutputListener } from "../spawner/process-spawner";
import type { PlanDocument } from "../../plan/schema";
import { WorkspaceSandboxSettings, type SandboxLimits } from "./sandbox-settings";

/** What a run's commands need from the run. */
export interface RunCommandsRequest {
  runId: string;
  /** The workspace's real path: the only place commands may write (besides HOME and TMPDIR). */
  workspaceRoot: string;
  settings: WorkspaceSandboxSettings;
  /** The run's concurrency: how many commands may run at once (sizes the run's cgroup). */
  concurrency: number;
}

/**
 * The request a run's commands are opened with: the scheduler's, and what a
 * cluster worker (from its job's SandboxSpec) or the CLI (from its
 * arguments) prepares ahead with the same run's settings.
 */
export function runCommandsRequest(
  run: { runId: string; plan: PlanDocument; concurrency?: number; sandbox?: WorkspaceSandboxSettings },
  workspaceRoot: string,
): RunCommandsRequest {
  return {
    runId: run.runId,
    workspaceRoot,
    settings: run.sandbox ?? WorkspaceSandboxSettings.parse({}),
    concurrency: run.concurrency ?? run.plan.settings.concurrency,
  };
}

/** The environment a run's commands get besides PATH and what the node declares. */
export interface CommandHome {
  HOME: string;
  TMPDIR: string;
}

/** One run's way to start commands. Nothing starts until the first command does. */
export interface RunCommands {
  /** Starts a command; rejects with {@link SandboxUnavailableError} when the sandbox cannot work here. */
  spawn(request: SpawnRequest, onOutput: OutputListener): Promise<SpawnedProcess>;
  readonly home: CommandHome;
  /** The limits every command of this run gets; null when none apply (uncontained). */
  readonly limits: SandboxLimits | null;
  /** Whether the run's commands are contained (false: BATCHBOARD_SANDBOX=off). */
  readonly sandboxed: boolean;
  /** How many of the run's commands were killed by the memory limit so far (cgroup), or null when unknown. */
  memoryKills(): number | null;
  /** Ends every command of the run and removes its HOME and TMPDIR. */
  close(): Promise<void>;
}

/** Hands each run its {@link RunCommands}. */
export interface CommandLauncher {
  readonly sandboxed: boolean;
  openRun(request: RunCommandsRequest): RunCommands;
  /**
   * Starts a run's sandbox before the run opens: a cluster worker does it
   * while it claims the run, the CLI while it opens its database and
   * creates the run, so neither delays the first command. The run's next
   * openRun with the same request gets it. The returned function discards
   * it when that did not happen (another worker got the run; the run never
   * opened, or opened with another request), and says whether there was
   * one to discard.
   */
  prepareRun(request: RunCommandsRequest): () => boolean;
  /** Removes what a run that died with its runner left behind (its HOME and TMPDIR). */
  discardRun(runId: string): void;
  /** Stops shared helpers. */
  close(): void | Promise<void>;
}

/** Shell nodes fail with this when the sandbox cannot start: it says how to fix it. */
export class SandboxUnavailableError extends Error {
  readonly code = "sandbox-unavailable";
}

const homeOf = (root: string): CommandHome => ({ HOME: path.join(root, "home"), TMPDIR: path.join(root, "tmp") });

/** A run's private HOME and TMPDIR under `directory`, outside any workspace. */
export function createRunHome(directory: string, runId: string): { root: string; home: CommandHome } {
  const root = path.join(directory, runId);
  const home = homeOf(root);
  mkdirSync(home.HOME, { recursive: true, mode: 0o700 });
  mkdirSync(home.TMPDIR, { recursive: true, mode: 0o700 });
  return { root, home };
}

/** What {@link createRunHome} made, deepest first: most runs leave them empty, removed then without a recursive walk. */
const runHomeDirectories = (root: string) => [homeOf(root).HOME, homeOf(root).TMPDIR, root];

/** Removes what {@link createRunHome} made, and all its commands left in it. */
export function removeRunHome(root: string): void {
  try {
    // The recursive walk's first use costs a CLI run ~2 ms.
    for (const directory of runHomeDirectories(root)) rmdirSync(directory);
  } catch {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * {@link removeRunHome} on libuv's threads: a directory a sandbox bound
 * takes the kernel ~0.4 ms to remove once the sandbox is gone (against
 * ~0.1 ms for another), and a long-lived process's runs need not wait for it.
 */
export async function removeRunHomeInBackground(root: string): Promise<void> {
  try {
    for (const directory of runHomeDirectories(root)) await rmdir(directory);
  } catch {
    await rm(root, { recursive: true, force: true });
  }
}

/**
 * Commands run as the server's user with its view of the machine, each in
 * its own process group (BATCHBOARD_SANDBOX=off): what they start with
 * `setsid` may outlive them. One process helper serves every run.
 */
export function createUncontainedLauncher(options: { spawner: ProcessSpawner; homesDirectory: string }): CommandLauncher {
  return {
    sandboxed: false,
    openRun(request) {
      let made: ReturnType<typeof createRunHome> | null = null;
      const ensureHome = () => (made ??= createRunHome(options.homesDirectory, request.runId));
      return {
        sandboxed: false,
        limits: null,
        get home() {
          return ensureHome().home;
        },
        spawn: (spawnRequest, onOutput) => {
          ensureHome();
          return options.spawner.spawn(spawnRequest, onOutput);
        },
        memoryKills: () => null,
        async close() {
          if (made) removeRunHome(made.root);
        },
      };
    },
    prepareRun() {
      // One helper serves every run: all there is to start ahead is that helper.
      options.spawner.warm();
      return () => false;
    },
    discardRun: (runId) => removeRunHome(path.join(options.homesDirectory, runId)),
    close: () => options.spawner.close(),
  };
}
