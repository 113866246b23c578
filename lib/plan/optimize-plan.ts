/**
 * The optimizer: turns a validated plan into the execution plan the runner
 * executes and the editor explains — waves, batches, critical path, widest
 * point and hazards.
 */
import type { PlanDocument } from "./schema";
import type { ExecutionPlan, Hazard, HazardCode } from "./execution-plan";
import { buildPlanGraph, edgeIdAt, type PlanGraph } from "./plan-graph";
import { groupEditUnits } from "./edit-units";
import { scheduleWaves } from "./schedule-waves";
import { buildBatches } from "./build-batches";
import { findCriticalPath } from "./critical-path";
import { findCycles } from "./find-cycles";
import { unlistedHazardsNote } from "./hazard-notes";
import { findFileHazards } from "./file-hazards";
import { findImpliedEdges } from "./implied-edges";
import { findNeverRunningNodes } from "./never-runs";
import { BitsetScratch } from "./reachability";
import type { DurationEstimates } from "./duration-estimates";

/**
 * Bounds that keep the optimizer near-linear on very large plans. Checks that
 * would exceed them are skipped and said so in `notes`.
 */
export interface OptimizerBounds {
  /** Implied edges are looked for only in plans with at most this many nodes. */
  impliedEdgeMaxNodes: number;
  /** Most word operations one bitset reachability pass may take. */
  maxReachabilityCost: number;
  /** Most 32-bit words of bitset memory per pass (4M words = 16 MB). */
  maxRowWords: number;
  /** Most glob × written-file matches when checking read/write races. */
  maxGlobChecks: number;
  /** Hazards of one code beyond this many are counted in a note, not listed. */
  maxHazardsPerCode: number;
}

/** Bounds used when none are given: 10k-node plans get every check within the editor's budget. */
export const DEFAULT_OPTIMIZER_BOUNDS: Readonly<OptimizerBounds> = Object.freeze({
  impliedEdgeMaxNodes: 20_000,
  maxReachabilityCost: 200_000_000,
  maxRowWords: 4 * 1024 * 1024,
  maxGlobChecks: 2_000_000,
  maxHazardsPerCode: 1_000,
});

/** Options for {@link optimizePlan}. */
export interface OptimizeOptions {
  /** Duration estimates for the critical path; defaults per operation type otherwise. */
  estimates?: DurationEstimates;
  bounds?: Partial<OptimizerBounds>;
}

/**
 * Plans the execution of `plan`. Expects a plan that passed `validatePlan`;
 * given one with a cycle anyway, it reports the cycle as an error hazard and
 * leaves the nodes on or after it out of waves and batches.
 *
 * @example
 * const result = validatePlan(input);
 * if (result.ok) {
 *   const execution = optimizePlan(result.plan, { estimates: { byType: { shell: 4_000 } } });
 *   for (const batch of execution.batches) console.log(batch.id, batch.nodeIds);
 * }
 */
export function optimizePlan(plan: PlanDocument, options: OptimizeOptions = {}): ExecutionPlan {
  const bounds = { ...DEFAULT_OPTIMIZER_BOUNDS, ...options.bounds };
  const planGraph = buildPlanGraph(plan);
  const unitOf = groupEditUnits(planGraph, plan.settings.batching);
  const schedule = scheduleWaves(planGraph, unitOf);
  const batches = buildBatches(planGraph, schedule, plan.settings);

  const batchIdOf: Record<string, string> = {};
  for (const batch of batches) for (const nodeId of batch.nodeIds) batchIdOf[nodeId] = batch.id;

  const waves = schedule.waves.map((wave) => wave.map((node) => planGraph.ids[node] as string));
  let widest = { wave: -1, width: 0 };
  waves.forEach((wave, index) => {
    if (wave.length > widest.width) widest = { wave: index, width: wave.length };
  });

  const { hazards, notes } = findHazards(planGraph, bounds);
  return {
    waves,
    batches,
    batchIdOf,
    criticalPath: findCriticalPath(planGraph, options.estimates),
    widest,
    hazards,
    notes,
  };
}

function findHazards(planGraph: PlanGraph, bounds: OptimizerBounds): { hazards: Hazard[]; notes: string[] } {
  const hazards: Hazard[] = [];
  const notes: string[] = [];

  if (planGraph.order.length < planGraph.nodes.length) {
    hazards.push(...cycleHazards(planGraph));
    notes.push(`${planGraph.nodes.length - planGraph.order.length} node(s) are on or after a cycle and were not scheduled.`);
  }

  // One buffer for all bitset passes: they run one after another.
  const scratch = new BitsetScratch();
  const fileHazards = findFileHazards(planGraph, bounds, scratch);
  hazards.push(...fileHazards.hazards);
  notes.push(...fileHazards.notes);

  const implied = findImpliedEdges(planGraph, bounds, scratch);
  if (implied === null) {
    notes.push(`Implied edges were not looked for: the check runs on plans of up to ${bounds.impliedEdgeMaxNodes} nodes.`);
  } else {
    // Built only up to the cap: a dense plan can have tens of thousands of implied edges.
    for (const edge of implied.slice(0, bounds.maxHazardsPerCode)) hazards.push(impliedEdgeHazard(planGraph, edge));
    if (implied.length > bounds.maxHazardsPerCode) {
      notes.push(unlistedHazardsNote("implied-edge", implied.length - bounds.maxHazardsPerCode, bounds.maxHazardsPerCode));
    }
  }

  const neverRuns = findNeverRunningNodes(planGraph, bounds);
  if (neverRuns === null) notes.push("Nodes that can never run were not looked for: the plan has too many failure edges for the check.");
  else hazards.push(...neverRuns);

  return { hazards: capPerCode(hazards, bounds.maxHazardsPerCode, notes), notes };
}

function cycleHazards(planGraph: PlanGraph): Hazard[] {
  const { cycles, closingEdges } = findCycles(planGraph.graph);
  return cycles.map((cycle, index) => {
    const ids = cycle.map((node) => planGraph.ids[node] as string);
    return {
      code: "cycle",
      severity: "error",
      nodeIds: ids,
      edgeId: edgeIdAt(planGraph, closingEdges[index] as number),
      message: `These nodes wait for each other in a loop: ${[...ids, ids[0]].map((id) => `"${id}"`).join(" → ")}. Remove or reverse one of these edges`,
    };
  });
}

function impliedEdgeHazard(planGraph: PlanGraph, edge: number): Hazard {
  const { from, to } = planGraph.edges[edge] as { from: string; to: string };
  const edgeId = edgeIdAt(planGraph, edge);
  return {
    code: "implied-edge",
    severity: "info",
    nodeIds: [from, to],
    edgeId,
    message: `Edge "${edgeId}" is implied: "${to}" already waits for "${from}" to succeed through another path. Removing it changes nothing`,
    fix: { kind: "remove-edge", edgeId },
  };
}

function capPerCode(hazards: readonly Hazard[], cap: number, notes: string[]): Hazard[] {
  const counts = new Map<HazardCode, number>();
  const kept = hazards.filter((hazard) => {
    const count = (counts.get(hazard.code) ?? 0) + 1;
    counts.set(hazard.code, count);
    return count <= cap;
  });
  for (const [code, count] of counts) {
    if (count > cap) notes.push(unlistedHazardsNote(code, count - cap, cap));
  }
  return kept;
}
