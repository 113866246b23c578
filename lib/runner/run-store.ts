/**
 * The runner's persistence port. lib/db/run-store.ts implements it with
 * Prisma; memory-run-store.ts implements it for tests and benchmarks.
 */
import type { PlanDocument } from "../plan/schema";
import type { WorkspaceSandboxSettings } from "./sandbox/sandbox-settings";
import type { FileChangeRecord } from "./journal";
import type { NodeError, NodeStatus, RunEvent, RunStatus } from "../run-events/run-events";

/** A node run's state as persisted. */
export interface NodeRunState {
  nodeId: string;
  status: NodeStatus;
  attempt: number;
  batchId: string | null;
  reused: boolean;
  startedAt: Date | null;
  finishedAt: Date | null;
  exitCode: number | null;
  signal: string | null;
  pid: number | null;
  error: NodeError | null;
  result: unknown;
  attempts: AttemptRecord[];
}

/** One earlier attempt of a node. */
export interface AttemptRecord {
  attempt: number;
  error: NodeError;
  at: number;
}

/** Changed run fields. */
export interface RunPatch {
  status?: RunStatus;
  startedAt?: Date;
  finishedAt?: Date | null;
  error?: string | null;
}

/** What one flush writes, in one transaction. */
export interface PersistBatch {
  runId: string;
  events: RunEvent[];
  /** Latest full state of every node that changed since the last flush. */
  nodes: NodeRunState[];
  run: RunPatch;
  /** Highest seq among `events` (unchanged when there are none). */
  lastEventSeq: number;
  fileChanges: FileChangeRecord[];
}

/** A run as loaded back (recovery, retry, undo, CLI). */
export interface StoredRun {
  id: string;
  teamId: string;
  planId: string;
  planVersionId: string;
  workspaceId: string | null;
  startedById: string;
  parentRunId: string | null;
  directory: string;
  status: RunStatus;
  settings: RunSettings;
  dryRun: boolean;
  lastEventSeq: number;
  error: string | null;
  plan: PlanDocument;
  nodes: NodeRunState[];
}

/** Effective settings stored on a run: the plan's, plus start-time overrides. */
export interface RunSettings {
  concurrency: number;
  keepBackground?: boolean;
  /** Process id of the runner executing the run, so recovery leaves runs of a live runner alone. */
  runnerPid?: number;
  /** The workspace's sandbox settings when the run started (resume and retry keep them). */
  sandbox?: WorkspaceSandboxSettings;
  /** False when the run's commands ran uncontained (BATCHBOARD_SANDBOX=off). */
  sandboxed?: boolean;
}

/** A journalled change as stored. */
export interface StoredFileChange extends FileChangeRecord {
  id: string;
  revertedAt: Date | null;
}

/** Everything needed to create a run row with its node rows. */
export interface NewRun {
  /**
   * The run's id, chosen by the caller so it could start the run's sandbox
   * under it while the run is being created (the CLI); a new one otherwise.
   */
  id?: string;
  teamId: string;
  planId: string;
  planVersionId: string;
  startedById: string;
  workspaceId?: string | null;
  directory: string;
  settings: RunSettings;
  dryRun: boolean;
  parentRunId?: string | null;
  /** One per plan node; reused nodes carry their parent's result. */
  nodes: Array<Pick<NodeRunState, "nodeId" | "status" | "batchId" | "reused" | "result" | "attempt" | "error" | "exitCode">>;
}

/** The persistence port. */
export interface RunStore {
  createRun(input: NewRun): Promise<{ id: string }>;
  /** Writes events, node states, the run patch and file changes in one transaction. */
  persist(batch: PersistBatch): Promise<void>;
  loadRun(runId: string): Promise<StoredRun | null>;
  /** Ids of runs in one of `statuses` (recovery looks for `running`). */
  findRunIds(statuses: RunStatus[]): Promise<string[]>;
  listFileChanges(runId: string): Promise<StoredFileChange[]>;
  markFileChangesReverted(runId: string, ids: string[], at: Date): Promise<void>;
  /** Events after `afterSeq`, in order (SSE resume, CLI). */
  listEvents(runId: string, afterSeq: number): Promise<RunEvent[]>;
}
