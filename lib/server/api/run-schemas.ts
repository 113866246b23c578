/** Request and response bodies of the run endpoints of /api/v1 (see schemas.ts for the plan ones). */
import { z } from "zod";
import { NodeStatus, RunStatus } from "../../runner/run-events";

const Id = z.string().min(1).max(100);
const Timestamp = z.iso.datetime().nullable();

export const RunParams = z.object({ runId: Id });
export const NodeParams = RunParams.extend({ nodeId: z.string().min(1).max(200) });
export const ChangeParams = RunParams.extend({ changeSeq: z.coerce.number().int().positive().describe("The `changeSeq` of a `file.change` event") });

export const StartRunBody = z
  .object({
    planId: Id.optional().describe("Run a stored plan…"),
    versionNumber: z.number().int().positive().optional().describe("…at this version (the newest when left out)"),
    plan: z.unknown().optional().describe("…or an inline plan document, recorded as a version of the team's plan with its name"),
    calls: z
      .unknown()
      .optional()
      .describe("…or a tool-call batch: [{name: Write|Edit|MultiEdit|Read|Grep|Bash, input}], compiled into a plan (returned as `compiled`) that is recorded like an inline plan"),
    name: z.string().trim().min(1).max(200).optional().describe("The name a tool-call batch's plan is stored under (default \"Tool calls\")"),
    workspaceId: Id.optional().describe("A registered workspace of the team; a fresh scratch directory when left out"),
    dryRun: z.boolean().default(false),
    concurrency: z.number().int().min(1).max(256).optional(),
  })
  .refine((body) => [body.planId, body.plan, body.calls].filter((value) => value !== undefined).length === 1, {
    message: "Send exactly one of planId, plan or calls",
    path: ["planId"],
  });
export type StartRunBody = z.infer<typeof StartRunBody>;

export const StartedRun = z.object({ runId: Id, planId: Id.optional(), versionNumber: z.number().int().optional() });

export const StartRunQuery = z.object({
  wait: z.coerce
    .number()
    .min(0)
    .max(600)
    .optional()
    .describe("Wait up to this many seconds: 200 with the finished run's report, or 202 with the run id and progress when the wait ends first"),
});

export const RetryRunBody = z
  .object({
    plan: z
      .unknown()
      .optional()
      .describe("A revised plan: reruns failed, skipped, new and changed nodes (by node hash) and everything downstream; reuses unchanged successes. Refused when it drops or renames a node whose file changes are still in the workspace"),
  })
  .default({});

export const ListRunsQuery = z.object({
  planId: Id.optional(),
  status: RunStatus.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const NodeResult = z.object({
  nodeId: z.string(),
  status: NodeStatus,
  attempt: z.number().int(),
  reused: z.boolean().describe("Carried over from the parent run instead of executed again"),
  startedAt: Timestamp,
  finishedAt: Timestamp,
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  error: z.unknown().describe("Structured error: message, code, and the edit or field that caused it"),
  result: z.unknown().describe("Result summary: bytes written, matches, output tails…"),
});
export type NodeResult = z.infer<typeof NodeResult>;

export const RunSummary = z.object({
  id: Id,
  planId: Id,
  planName: z.string(),
  versionNumber: z.number().int(),
  status: RunStatus,
  dryRun: z.boolean(),
  workspaceId: Id.nullable(),
  parentRunId: Id.nullable(),
  startedBy: z.string(),
  error: z.string().nullable(),
  createdAt: z.iso.datetime(),
  startedAt: Timestamp,
  finishedAt: Timestamp,
});
export type RunSummary = z.infer<typeof RunSummary>;

export const RunDetail = z.object({ run: RunSummary.extend({ nodes: z.array(NodeResult) }) });
export const RunList = z.object({ runs: z.array(RunSummary) });

export const FileChangeDetail = z.object({
  changeSeq: z.number().int(),
  nodeId: z.string().describe("The node the change is journalled under"),
  path: z.string(),
  operation: z.enum(["create", "update", "delete"]),
  diff: z.string().describe("Unified diff (text files; capped at 64 KiB)"),
  revertedAt: Timestamp.describe("When undo restored the file"),
});
export type FileChangeDetail = z.infer<typeof FileChangeDetail>;
