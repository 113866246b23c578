/**
 * Request and response bodies of the /api/v1 JSON API: one zod schema per
 * contract, used by the route handlers to validate and by openapi.ts to
 * generate the OpenAPI document, so the two cannot drift apart.
 */
import * as z from "zod";
import { RoleName } from "../../auth/schemas";
import { WorkspaceSummary } from "./workspace-schemas";

const Id = z.string().min(1).max(100);
const Timestamp = z.iso.datetime().describe("ISO 8601 time in UTC");
const Tags = z.array(z.string().trim().min(1).max(50)).max(20);
/**
 * Plan documents are checked by validatePlan, which reports every problem
 * with its path, not by this schema; the OpenAPI document shows the plan
 * schema wherever this field appears.
 */
export const PlanDocumentField = z.unknown().describe("A plan document; validated with every problem reported at once");
/** A stored document: valid, or a draft as drawn. The OpenAPI document shows the plan schema here too. */
export const StoredPlanDocument = z
  .unknown()
  .describe("The stored plan document (defaults filled in); a draft's document may have problems");

/**
 * Bodies are closed like plans are. A bare plan sent where a wrapped one is
 * expected is the common mistake, so it gets its own answer.
 */
export function wrapperHint(field: string) {
  return (issue: { code: string; keys?: string[] }) =>
    issue.code === "unrecognized_keys" && issue.keys?.includes("nodes")
      ? `This looks like a bare plan: wrap it as {"${field}": …}`
      : undefined;
}

export const PlanParams = z.object({ planId: Id });
export const VersionParams = z.object({ planId: Id, number: z.coerce.number().int().positive() });

export const ListPlansQuery = z.object({
  search: z.string().max(200).optional().describe("Case-insensitive match on name, description and tags"),
  tag: z.string().max(50).optional().describe("Only plans with this tag"),
  archived: z
    .enum(["true", "false"])
    .optional()
    .transform((value) => value === "true")
    .describe("true: only archived plans; otherwise only active ones"),
});

export const CreatePlanBody = z.strictObject(
  {
    document: PlanDocumentField,
    tags: Tags.default([]),
    message: z.string().trim().max(500).default("Created"),
    asDraft: z.boolean().default(false).describe("Store a plan with problems as a draft (drafts cannot run)"),
  },
  { error: wrapperHint("document") },
);
export type CreatePlanBody = z.infer<typeof CreatePlanBody>;

export const UpdatePlanBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(10_000).optional(),
    tags: Tags.optional(),
    archived: z.boolean().optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), { message: "Change at least one field" });
export type UpdatePlanBody = z.infer<typeof UpdatePlanBody>;

export const SaveVersionBody = z.strictObject(
  {
    baseVersion: z.number().int().nonnegative().describe("The version this edit started from; 409 `stale` when someone saved since"),
    document: PlanDocumentField,
    message: z.string().trim().max(500).default(""),
    asDraft: z.boolean().default(false).describe("Store a plan with problems as a draft (drafts cannot run)"),
  },
  { error: wrapperHint("document") },
);
export type SaveVersionBody = z.infer<typeof SaveVersionBody>;

export const Me = z.object({
  user: z.object({ id: Id, email: z.string(), name: z.string() }),
  team: z.object({ id: Id, name: z.string() }),
  role: RoleName,
});

export const PlanSummary = z.object({
  id: Id,
  name: z.string(),
  description: z.string(),
  tags: z.array(z.string()),
  archived: z.boolean(),
  latestVersion: z.number().int(),
  updatedAt: Timestamp,
});
export type PlanSummary = z.infer<typeof PlanSummary>;

export const PlanList = z.object({ plans: z.array(PlanSummary) });

export const VersionSummary = z.object({
  number: z.number().int(),
  message: z.string(),
  isDraft: z.boolean(),
  graphHash: z.string(),
  author: z.string(),
  createdAt: Timestamp,
});
export type VersionSummary = z.infer<typeof VersionSummary>;

export const Version = VersionSummary.extend({ planId: Id, document: StoredPlanDocument });
export const VersionList = z.object({ versions: z.array(VersionSummary) });
export const SavedVersion = z.object({ planId: Id, version: VersionSummary.pick({ number: true, isDraft: true, createdAt: true }) });

export const PlanEnvelope = z.object({ plan: PlanSummary });
export const CreatedPlan = z.object({ plan: PlanSummary, version: VersionSummary.pick({ number: true, isDraft: true }) });
export const VersionEnvelope = z.object({ version: Version });

export const ApiIssue = z.object({
  path: z.string().describe("Dotted path of the field, e.g. document.nodes.2.params.path; empty for the whole request"),
  message: z.string(),
  code: z.string().optional().describe("Stable problem code from the plan validator"),
  nodeId: z.string().optional(),
});
export const ApiErrorBody = z.object({
  error: z.object({
    code: z.enum([
      "validation",
      "invalid",
      "unauthenticated",
      "forbidden",
      "cross_origin",
      "not_found",
      "method_not_allowed",
      "conflict",
      "stale",
      "rate_limited",
      "internal",
    ]),
    message: z.string(),
    issues: z.array(ApiIssue),
  }),
});

export const WorkspaceList = z.object({ workspaces: z.array(WorkspaceSummary) });
