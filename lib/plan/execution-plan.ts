/**
 * The optimizer's output: how a valid plan will be executed. Shared by the
 * runner (which executes batches) and the editor (which explains them), so it
 * is a zod contract like the plan itself — schema and type share a name.
 */
import * as z from "zod";

/**
 * What a batch executes. Batches are grouped by operation family:
 * - `file-change`: `file.write`, `file.edit`, `file.delete`, `file.move` of one wave;
 *   all-or-nothing when {@link Batch.atomic} is true (`settings.fileBatchMode === "atomic"`).
 * - `file-read`: the `file.read` nodes of one wave, gathered.
 * - `search`: the `search` nodes of one wave; searches over the same glob form one pass.
 * - `shell`: the `shell` nodes of one wave, run side by side up to the concurrency limit.
 *
 * A checkpoint node, or any node when `settings.batching` is off, gets a batch
 * of its own (one unit, one node) of its family's kind.
 */
export const BatchKind = z.enum(["file-change", "file-read", "search", "shell"]);
export type BatchKind = z.infer<typeof BatchKind>;

/**
 * How the nodes of one unit run together:
 * - `node`: exactly one node, run on its own.
 * - `multi-edit`: several `file.edit` nodes on the same file (`target`), applied in
 *   `nodeIds` order (which respects their dependencies) as one read-modify-write.
 *   The runner reports each node on its own: the file ends with the content after
 *   the last node that succeeded, and a failed node's later units are skipped.
 * - `search-pass`: several `search` nodes over the same glob (`target`), answered
 *   by one walk over the matching files; each node still gets its own matches.
 */
export const BatchUnitKind = z.enum(["node", "multi-edit", "search-pass"]);
export type BatchUnitKind = z.infer<typeof BatchUnitKind>;

/** One operation the runner performs; it may stand for several nodes (see {@link BatchUnitKind}). */
export const BatchUnit = z.object({
  kind: BatchUnitKind,
  /** In execution order. */
  nodeIds: z.array(z.string()).min(1),
  /** The file (`multi-edit`) or glob (`search-pass`) the nodes share. */
  target: z.string().optional(),
});
export type BatchUnit = z.infer<typeof BatchUnit>;

/** Operations the optimizer decided to execute together: same kind, no dependency between units. */
export const Batch = z.object({
  /** Stable for a given plan, e.g. `w2:file-change` or `w2:shell:build` for a single-node batch. */
  id: z.string(),
  kind: BatchKind,
  /** Index into {@link ExecutionPlan.waves}; every dependency of the batch is in an earlier wave. */
  wave: z.number().int().nonnegative(),
  /** Every node of the batch, in execution order (the units' nodeIds concatenated). */
  nodeIds: z.array(z.string()).min(1),
  /** All units of the batch apply or none do (file batches in `atomic` mode only). */
  atomic: z.boolean(),
  units: z.array(BatchUnit).min(1),
});
export type Batch = z.infer<typeof Batch>;

/**
 * Problems the optimizer explains to the user. Only `cycle` stops a run; the
 * validator already rejects cycles, so the optimizer reports it only when
 * handed an unvalidated plan.
 */
export const HazardCode = z.enum([
  /** Nodes on a cycle (and nodes after them) cannot be scheduled. */
  "cycle",
  /** Two nodes with no path between them change the same file; the result depends on timing. */
  "unordered-writes",
  /** A read or search covers a file that a node with no path to or from it changes. */
  "read-write-race",
  /** The edge's ordering already follows from another path; removing it changes nothing. */
  "implied-edge",
  /** The node's incoming conditions contradict each other, so it is always skipped. */
  "never-runs",
]);
export type HazardCode = z.infer<typeof HazardCode>;

/** `error`: the plan cannot run as drawn; `warning`: it runs, maybe not as meant; `info`: a tidy-up. */
export const HazardSeverity = z.enum(["error", "warning", "info"]);
export type HazardSeverity = z.infer<typeof HazardSeverity>;

/** A one-click fix the editor can offer for a hazard. */
export const HazardFix = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("add-edge"), from: z.string(), to: z.string() }),
  z.object({ kind: z.literal("remove-edge"), edgeId: z.string() }),
]);
export type HazardFix = z.infer<typeof HazardFix>;

/** One problem the optimizer explains, with the nodes involved and a one-click fix when one exists. */
export const Hazard = z.object({
  code: HazardCode,
  severity: HazardSeverity,
  /** The nodes involved; for `cycle`, in cycle order. */
  nodeIds: z.array(z.string()),
  /** The edge involved (see `edgeIdOf` in schema.ts). */
  edgeId: z.string().optional(),
  /** The file the hazard is about, when there is one. */
  path: z.string().optional(),
  message: z.string(),
  fix: HazardFix.optional(),
});
export type Hazard = z.infer<typeof Hazard>;

/** The longest chain of dependent nodes, weighted by estimated durations. */
export const CriticalPath = z.object({
  /** From first to last. Empty for an empty plan. */
  nodeIds: z.array(z.string()),
  estimatedMs: z.number().nonnegative(),
});
export type CriticalPath = z.infer<typeof CriticalPath>;

/** The execution plan the runner and the editor share. */
export const ExecutionPlan = z.object({
  /** Topological waves of node ids: every edge goes from an earlier wave to a later one,
   *  except edges inside a `multi-edit` unit, whose nodes share a wave. */
  waves: z.array(z.array(z.string())),
  /** Ordered by wave, then kind; every scheduled node is in exactly one batch. */
  batches: z.array(Batch),
  /** Node id → batch id. */
  batchIdOf: z.record(z.string(), z.string()),
  criticalPath: CriticalPath,
  /** The wave with the most nodes (the first one on ties); `{wave: -1, width: 0}` for an empty plan. */
  widest: z.object({ wave: z.number().int(), width: z.number().int().nonnegative() }),
  hazards: z.array(Hazard),
  /** Checks skipped or bounded on very large plans, said in words. */
  notes: z.array(z.string()),
});
export type ExecutionPlan = z.infer<typeof ExecutionPlan>;
