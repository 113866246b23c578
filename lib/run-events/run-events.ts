/**
 * The run event: one ordered stream per run, emitted by the scheduler,
 * persisted in batches, streamed to the browser (SSE, `id` = `seq`) and read by
 * the CLI. Shared by server and browser, so this file imports nothing from
 * `node:`.
 */
import * as z from "../plan/mini-zod";

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
  editIndex: z.optional(z.number().check(z.int())),
  retryable: z.optional(z.boolean()),
});
export type NodeError = z.infer<typeof NodeError>;

/** Node counts by status, for progress bars. */
export const StatusCounts = z.object({
  total: z.number().check(z.int()),
  pending: z.number().check(z.int()),
  running: z.number().check(z.int()),
  succeeded: z.number().check(z.int()),
  failed: z.number().check(z.int()),
  skipped: z.number().check(z.int()),
  cancelled: z.number().check(z.int()),
  interrupted: z.number().check(z.int()),
});
export type StatusCounts = z.infer<typeof StatusCounts>;

const base = {
  runId: z.string(),
  /** Monotonic per run, starting at 1; the SSE Last-Event-ID. */
  seq: z.number().check(z.int(), z.positive()),
  /** Milliseconds since the epoch. */
  at: z.number(),
};

export const RunStatusEvent = z.object({
  ...base,
  type: z.literal("run.status"),
  status: RunStatus,
  error: z.optional(z.string()),
  counts: z.optional(StatusCounts),
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
  interrupted: z.optional(z.boolean()),
});

export const NodeStatusEvent = z.object({
  ...base,
  type: z.literal("node.status"),
  nodeId: z.string(),
  status: NodeStatus,
  attempt: z.number().check(z.int(), z.nonnegative()),
  batchId: z.optional(z.string()),
  durationMs: z.optional(z.number()),
  error: z.optional(NodeError),
  /** The executor's result summary, on success (and on failure when there is one). */
  result: z.optional(z.unknown()),
  pid: z.optional(z.number().check(z.int())),
  reused: z.optional(z.boolean()),
});

export const NodeOutputEvent = z.object({
  ...base,
  type: z.literal("node.output"),
  nodeId: z.string(),
  stream: z.enum(["stdout", "stderr"]),
  data: z.string(),
  /** Set on the last chunk stored for this stream: output beyond the cap is not kept. */
  truncated: z.optional(z.boolean()),
});

export const NodeRetryEvent = z.object({
  ...base,
  type: z.literal("node.retry"),
  nodeId: z.string(),
  /** The attempt that failed. */
  attempt: z.number().check(z.int(), z.positive()),
  delayMs: z.number().check(z.int(), z.nonnegative()),
  error: NodeError,
});

export const FileChangeEvent = z.object({
  ...base,
  type: z.literal("file.change"),
  /** The node the change is journalled under. */
  nodeId: z.string(),
  /** Every node whose edits this one write holds, when several edits of a file were merged (a multi-edit unit). */
  nodeIds: z.optional(z.array(z.string())),
  path: z.string(),
  operation: z.enum(["create", "update", "delete"]),
  /**
   * The change's number in the run's journal, which keeps its bytes before
   * and after: `GET /api/v1/runs/{runId}/changes/{changeSeq}` answers its
   * diff. Not set in a dry run, which journals nothing.
   */
  changeSeq: z.optional(z.number().check(z.int(), z.positive())),
  /** Unified diff of a dry run's change (text files, capped); a real change's diff is read from the journal. */
  diff: z.optional(z.string()),
  dryRun: z.optional(z.boolean()),
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
