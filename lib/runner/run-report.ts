/**
 * The run report: everything an agent or script needs to act on a run in
 * one document — per-node status and errors, output tails, diffs, why nodes
 * were skipped or rolled back, and what a retry would run. One schema for
 * `run --json`, `GET /api/v1/runs/{id}/report`, `POST /api/v1/runs?wait=`,
 * `run --server --json` and the MCP tools. Imports nothing from `node:`.
 */
import * as z from "zod";
import { NodeError, NodeStatus, RunStatus, StatusCounts } from "../run-events/run-events";

export const ReportFileChange = z.object({
  path: z.string(),
  operation: z.enum(["create", "update", "delete"]),
  changeSeq: z
    .number()
    .int()
    .positive()
    .optional()
    .describe("Journal entry; GET /api/v1/runs/{runId}/changes/{changeSeq} answers the full diff"),
  diff: z.string().optional().describe("Unified diff, inline when it fits the report's diff limit"),
  diffChars: z.number().int().nonnegative().describe("Length of the full diff"),
  diffUrl: z.string().optional().describe("Where the full diff is, when it was too long to inline"),
  revertedAt: z.string().nullable().optional().describe("When undo restored the file"),
});
export type ReportFileChange = z.infer<typeof ReportFileChange>;

export const ReportOutput = z.object({
  stdout: z.string().describe("Last part of standard output"),
  stderr: z.string().describe("Last part of standard error"),
  truncated: z.boolean().describe("True when earlier output is not shown here (read_output / the node log has all that was stored)"),
});

export const ReportNode = z.object({
  id: z.string(),
  type: z.string(),
  label: z.string().optional(),
  status: NodeStatus,
  attempt: z.number().int(),
  reused: z.boolean().describe("Carried over unchanged from the run this one retried"),
  batchId: z.string().nullable(),
  durationMs: z.number().nullable(),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  error: z.nullable(NodeError),
  skipped: z.string().optional().describe('Why the node did not run, e.g. `"build" failed`'),
  rolledBackBy: z.array(z.string()).optional().describe("The node(s) whose failure rolled this node's changes back"),
  output: ReportOutput.optional(),
  result: z.unknown().describe("The operation's result summary: bytes written, matches, file contents…"),
  changes: z.array(ReportFileChange),
});
export type ReportNode = z.infer<typeof ReportNode>;

export const ReportRollback = z.object({
  batchId: z.string(),
  causedBy: z.array(z.string()).describe("The failed node(s) that made the batch roll back"),
  nodeIds: z.array(z.string()).describe("Nodes whose changes were undone with it"),
});

export const ReportRetry = z.object({
  nodeIds: z
    .array(z.string())
    .describe("Nodes a retry of this run would run again (failed, skipped, cancelled, interrupted); successes are reused"),
  hint: z.string().optional(),
});

export const RunReport = z.object({
  runId: z.string(),
  planName: z.string(),
  status: RunStatus,
  finished: z.boolean(),
  dryRun: z.boolean(),
  parentRunId: z.string().nullable().describe("The run this one retried"),
  error: z.string().nullable(),
  durationMs: z.number().nullable(),
  counts: StatusCounts,
  nodes: z.array(ReportNode).describe("Every node of the plan, in plan order"),
  rollbacks: z.array(ReportRollback),
  retry: ReportRetry,
  diffLimitChars: z.number().int().describe("Diffs longer than this are linked, not inlined"),
});
export type RunReport = z.infer<typeof RunReport>;
