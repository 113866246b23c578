/**
 * The one shape every plan problem takes, whether zod found it (shape) or the
 * graph validator did (rules), so the editor, server, CLI and runner show
 * problems the same way.
 */
import * as z from "zod";

/** What went wrong, stable enough for tests, docs and the editor to key on. */
export const ProblemCode = z.enum([
  // Shape (zod) problems.
  "invalid-input",
  "invalid-shape",
  "missing-field",
  "unknown-operation-type",
  "unknown-field",
  "empty-plan",
  // Identity and edges.
  "duplicate-node-id",
  "duplicate-edge-id",
  "duplicate-edge",
  "missing-node",
  "self-loop",
  "cycle",
  // Workspace paths and globs.
  "empty-path",
  "absolute-path",
  "path-escapes-workspace",
  "invalid-path-character",
  "invalid-glob",
  // Regular expressions.
  "invalid-regex",
  "catastrophic-regex",
  "pattern-too-long",
  // File contents and edits.
  "invalid-content",
  "edit-changes-nothing",
  // Limits.
  "too-many-nodes",
  "too-many-edges",
  "content-too-large",
  "plan-too-large",
  // Warnings: the plan runs, but probably not as meant.
  "ignored-setting",
  "reads-nothing",
  // A bug in the validator itself; reported instead of thrown.
  "internal-error",
]);
export type ProblemCode = z.infer<typeof ProblemCode>;

/** `error` makes the plan invalid; `warning` is shown but does not block saving or running. */
export const ProblemSeverity = z.enum(["error", "warning"]);
export type ProblemSeverity = z.infer<typeof ProblemSeverity>;

/** One problem in a plan document, located precisely enough to highlight it. */
export const PlanProblem = z.object({
  /** The node the problem is in or about, when it has a usable id. */
  nodeId: z.string().optional(),
  /** Every node involved when there are several, in order (a cycle's nodes, in cycle order). */
  nodeIds: z.array(z.string()).optional(),
  /** The edge the problem is in or about (see `edgeIdOf`). */
  edgeId: z.string().optional(),
  /** Where in the document, e.g. `["nodes", 3, "params", "path"]`; `[]` for the whole plan. */
  path: z.array(z.union([z.string(), z.number()])),
  code: ProblemCode,
  /** Says what is wrong and what to do about it. */
  message: z.string(),
  severity: ProblemSeverity.default("error"),
});
export type PlanProblem = z.infer<typeof PlanProblem>;
