/** Request and response bodies of the run endpoints of /api/v1 (see schemas.ts for the plan ones). */
import * as z from "zod";
import { NodeStatus, RunStatus } from "../../run-events/run-events";
import { StartRunRequest } from "../start-run-request";
import { PlanDocumentField, wrapperHint } from "./schemas";

const Id = z.string().min(1).max(100);
const Timestamp = z.iso.datetime().nullable();

export const RunParams = z.object({ runId: Id });
export const NodeParams = RunParams.extend({ nodeId: z.string().min(1).max(200) });
export const ChangeParams = RunParams.extend({
  changeSeq: z.coerce.number().int().positive().describe("The `changeSeq` of a `file.change` event"),
});

export const StartRunBody = z
  .strictObject(
    {
      ...StartRunRequest.shape,
      planId: StartRunRequest.shape.planId.optional(),
      plan: PlanDocumentField.optional().describe("…or an inline plan document, recorded as a version of the team's plan with its name"),
      calls: z
        .unknown()
        .optional()
        .describe(
          "…or a tool-call batch: [{name: Write|Edit|MultiEdit|Read|Grep|Bash, input}], compiled into a plan (returned as `compiled`) that is recorded like an inline plan",
        ),
      name: z
        .string()
        .trim()
        .min(1)
        .max(200)
        .optional()
        .describe('The name a tool-call batch\'s plan is stored under (default "Tool calls")'),
    },
    { error: wrapperHint("plan") },
  )
  .refine((body) => [body.planId, body.plan, body.calls].filter((value) => value !== undefined).length === 1, {
    message: "Send exactly one of planId (a stored plan), plan (a plan document) or calls (a tool-call batch)",
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
    .describe(
      "Wait up to this many seconds: 200 with the finished run's report, or 202 with the run id and progress when the wait ends first",
    ),
});

export const RetryRunBody = z
  .object({
    plan: z
      .unknown()
      .optional()
      .describe(
        "A revised plan: reruns failed, skipped, new and changed nodes (by node hash) and everything downstream; reuses unchanged successes. Refused when it drops or renames a node whose file changes are still in the workspace",
      ),
  })
  .default({});

export const ListRunsQuery = z.object({
  planId: Id.optional().describe("Only runs of this plan"),
  status: z.optional(RunStatus).describe("Only runs with this status"),
  limit: z.coerce.number().int().min(1).max(500).default(50).describe("Most runs to list"),
});

export const CancellingRun = z.object({ runId: Id, cancelling: z.literal(true) });
export const CancellingNode = z.object({ runId: Id, nodeId: z.string(), cancelling: z.literal(true) });

export const UndoBody = z
  .strictObject({ force: z.boolean().default(false).describe("Also restore files changed since the run (overwriting those changes)") })
  .default({ force: false });
export const UndoResult = z.object({
  restored: z.array(z.string()).describe("Workspace-relative paths restored, or removed when the run created them"),
  conflicts: z
    .array(z.object({ path: z.string(), reason: z.string() }))
    .describe("Files changed since the run; when there are some and force is false, nothing was restored"),
});
export type UndoResult = z.infer<typeof UndoResult>;

/** The events endpoint's query; read by resumePointOf and wantsBatches (lib/server/sse.ts). */
export const EventsQuery = z.object({
  after: z.coerce
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe("Resume after this event sequence number (Last-Event-ID wins when both are sent)"),
  batch: z.enum(["1"]).optional().describe("1: send each burst of events as one message whose data is a JSON array"),
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
