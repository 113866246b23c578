/**
 * The run event: one ordered stream per run, emitted by the scheduler,
 * persisted in batches, streamed to the browser (SSE, `id` = `seq`) and read by
 * the CLI. Shared by server and browser, so this file imports nothing from
 * `node:`.
 */
import * as z from "zod";

export const RunStatus = z.enum(["queued", "running", "succeeded", "failed", "cancelled", "interrupted"]);
export type RunStatus = z.infer<typeof RunStatus>;

export const NodeStatus = z.enum(["pending", "queued", "running", "succeeded", "failed", "skipped", "cancelled", "interrupted"]);
export type NodeStatus = z.infer<typeof NodeStatus>;

/** Why a node failed: a message plus what a person needs to fix it. */
export const NodeError = z.object({
  message: z.string(),
  /** Stable code, e.g. `edit-not-found`, `path-escape`, `timeout`, `exit-code`. */
  code: z.string(),
  /** For `file.edit`: the index of the edit that did not match. */
  editIndex: z.number().int().optional(),
  retryable: z.boolean().optional(),
});
export type NodeError = z.infer<typeof NodeError>;

/** Node counts by status, for progress bars. */
export const StatusCounts = z.object({
  total: z.number().int(),
  pending: z.number().int(),
  running: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  cancelled: z.number().int(),
  interrupted: z.number().int(),
});
export type StatusCounts = z.infer<typeof StatusCounts>;

const base = {
  runId: z.string(),
  /** Monotonic per run, starting at 1; the SSE Last-Event-ID. */
  seq: z.number().int().positive(),
  /** Milliseconds since the epoch. */
  at: z.number(),
};

export const RunStatusEvent = z.object({
  ...base,
  type: z.literal("run.status"),
  status: RunStatus,
  error: z.string().optional(),
  counts: StatusCounts.optional(),
});

export const RunProgressEvent = z.object({ ...base, type: z.literal("run.progress"), counts: StatusCounts });

export const BatchStatusEvent = z.object({
  ...base,
  type: z.literal("batch.status"),
  batchId: z.string(),
  kind: z.string(),
  status: z.enum(["started", "succeeded", "failed", "rolled-back"]),
  nodeIds: z.array(z.string()),
  /**
   * Set on `rolled-back` when the runner stopped mid-batch: recovery put the
   * batch's files back from the change log and its nodes are pending again.
   */
  interrupted: z.boolean().optional(),
});

export const NodeStatusEvent = z.object({
  ...base,
  type: z.literal("node.status"),
  nodeId: z.string(),
  status: NodeStatus,
  attempt: z.number().int().nonnegative(),
  batchId: z.string().optional(),
  durationMs: z.number().optional(),
  error: NodeError.optional(),
  /** The executor's result summary, on success (and on failure when there is one). */
  result: z.unknown().optional(),
  pid: z.number().int().optional(),
  reused: z.boolean().optional(),
});

export const NodeOutputEvent = z.object({
  ...base,
  type: z.literal("node.output"),
  nodeId: z.string(),
  stream: z.enum(["stdout", "stderr"]),
  data: z.string(),
  /** Set on the last chunk stored for this stream: output beyond the cap is not kept. */
  truncated: z.boolean().optional(),
});

export const NodeRetryEvent = z.object({
  ...base,
  type: z.literal("node.retry"),
  nodeId: z.string(),
  /** The attempt that failed. */
  attempt: z.number().int().positive(),
  delayMs: z.number().int().nonnegative(),
  error: NodeError,
});

export const FileChangeEvent = z.object({
  ...base,
  type: z.literal("file.change"),
  /** The node the change is journalled under. */
  nodeId: z.string(),
  /** Every node whose edits this one write holds, when several edits of a file were merged (a multi-edit unit). */
  nodeIds: z.array(z.string()).optional(),
  path: z.string(),
  operation: z.enum(["create", "update", "delete"]),
  /**
   * The change's number in the run's journal, which keeps its bytes before
   * and after: `GET /api/v1/runs/{runId}/changes/{changeSeq}` answers its
   * diff. Not set in a dry run, which journals nothing.
   */
  changeSeq: z.number().int().positive().optional(),
  /** Unified diff of a dry run's change (text files, capped); a real change's diff is read from the journal. */
  diff: z.string().optional(),
  dryRun: z.boolean().optional(),
});
export type FileChangeEvent = z.infer<typeof FileChangeEvent>;

/** Every event a run emits, discriminated on `type`. */
export const RunEvent = z.discriminatedUnion("type", [
  RunStatusEvent,
  RunProgressEvent,
  BatchStatusEvent,
  NodeStatusEvent,
  NodeOutputEvent,
  NodeRetryEvent,
  FileChangeEvent,
]);
export type RunEvent = z.infer<typeof RunEvent>;

/** An event before the bus stamps it with run id, seq and time. */
export type RunEventInput = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, "runId" | "seq" | "at"> : never) : never;
