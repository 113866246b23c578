/**
 * The executor contract: `(params, ctx) => Promise<result>`, one file per
 * operation kind. Executors throw NonRetryableError for failures retrying
 * cannot fix and OperationError for the rest.
 */
import type { RunnerLimits } from "../limits";
import type { NodeFiles } from "../journal";
import type { Workspace } from "../workspace";
import type { RunCommands } from "../sandbox/run-commands";

/** What an executor may report while it works. */
export type ExecutorEvent =
  | { type: "output"; stream: "stdout" | "stderr"; data: string; truncated?: boolean }
  /** A command started; `pid` is its process group on this machine, absent when it lives in a sandbox. */
  | { type: "pid"; pid?: number }
  /** A background command has ended: its final result (whole output tail, exit) replaces the one it had when ready. */
  | { type: "result"; result: unknown };

/** A process left running after its node finished (a background command). */
export interface BackgroundProcess {
  nodeId: string;
  keepRunning: boolean;
  /** Stops it and everything it started (TERM, then KILL). */
  stop(): Promise<void>;
}

/** Everything an executor gets besides its params. */
export interface ExecutorContext {
  nodeId: string;
  /** Fires on cancel, timeout or a `stop` failure policy. */
  signal: AbortSignal;
  workspace: Workspace;
  /** Journalled file access (an overlay in dry runs). */
  files: NodeFiles;
  /** Results of the nodes this one depends on, by node id. */
  upstream: ReadonlyMap<string, unknown>;
  emit(event: ExecutorEvent): void;
  /** Registers a process that outlives the node (stopped at run end). */
  keepProcess(process: BackgroundProcess): void;
  dryRun: boolean;
  limits: RunnerLimits;
  /** Starts the run's commands (shell executor), in its sandbox. */
  commands: RunCommands;
  /** The ripgrep executable large searches use as a prefilter; null: searches run in-process only. */
  ripgrepPath: string | null;
}

/** An operation kind's implementation. */
export type Executor<Params, Result> = (params: Params, ctx: ExecutorContext) => Promise<Result>;

/** Throws the abort reason's error if the signal already fired. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason));
}
