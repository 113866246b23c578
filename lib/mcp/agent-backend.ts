/**
 * The port the MCP tools drive Batchboard through. lib/server implements it
 * for one caller (an API token's user over HTTP, the local owner over stdio),
 * with that caller's team scope and role checks; the tools know nothing of
 * databases or transports.
 */
import * as z from "zod";
import { PlanDocument } from "../plan/schema";
import { CompiledCall } from "../plan/tool-calls";
import { RunStatus, StatusCounts } from "../run-events/run-events";
import { RunReport } from "../runner/run-report";

/** A tool-call batch as compiled: the plan and where each call went. */
export const CompiledBatch = z.object({ plan: PlanDocument, calls: z.array(CompiledCall) });
export type CompiledBatch = z.infer<typeof CompiledBatch>;

/** What a run-starting tool answers: the report when the run finished within the wait, else its progress. */
export const RunToolResult = z.object({
  runId: z.string(),
  finished: z.boolean().describe("False when waitSeconds ran out first: call get_run later with runId"),
  status: RunStatus,
  counts: StatusCounts,
  report: RunReport.optional().describe("The full report, when the run finished"),
  compiled: CompiledBatch.optional().describe("run_batch: the plan compiled from the calls"),
});
export type RunToolResult = z.infer<typeof RunToolResult>;

export const NodeOutput = z.object({
  runId: z.string(),
  nodeId: z.string(),
  output: z.string().describe("stdout and stderr as they arrived, from `offset` on"),
  nextOffset: z.number().int().describe("Pass as offset next time to read only what came after"),
  nodeStatus: z.string(),
  finished: z.boolean().describe("True when the node has ended: no more output will come"),
});
export type NodeOutput = z.infer<typeof NodeOutput>;

export const UndoOutcome = z.object({
  restored: z.array(z.string()).describe("Workspace paths restored (or removed when the run created them)"),
  conflicts: z
    .array(z.object({ path: z.string(), reason: z.string() }))
    .describe("Files changed since the run; when non-empty and not forced, nothing was restored"),
});
export type UndoOutcome = z.infer<typeof UndoOutcome>;

export const LibraryPlan = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  tags: z.array(z.string()),
  latestVersion: z.number().int(),
});
export const StoredPlan = z.object({
  planId: z.string(),
  name: z.string(),
  versionNumber: z.number().int(),
  isDraft: z.boolean(),
  document: z.unknown(),
});

/** What to run: exactly one of planId, plan or calls. */
export interface AgentRunRequest {
  planId?: string;
  versionNumber?: number;
  plan?: unknown;
  calls?: unknown;
  name?: string;
  /** A registered workspace of the team, by name or id; a fresh scratch directory when left out. */
  workspace?: string;
  dryRun?: boolean;
  waitSeconds: number;
}

/** Errors the backend throws with a message meant for the model (and optional issues naming fields). */
export interface AgentBackend {
  run(request: AgentRunRequest): Promise<RunToolResult>;
  retry(runId: string, plan: unknown, waitSeconds: number): Promise<RunToolResult>;
  report(runId: string): Promise<RunReport>;
  readOutput(runId: string, nodeId: string, offset: number): Promise<NodeOutput>;
  cancel(runId: string): Promise<void>;
  undo(runId: string, force: boolean): Promise<UndoOutcome>;
  listPlans(search?: string): Promise<Array<z.infer<typeof LibraryPlan>>>;
  getPlan(planId: string, versionNumber?: number): Promise<z.infer<typeof StoredPlan>>;
}
