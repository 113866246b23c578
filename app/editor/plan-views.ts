/**
 * What the editor shows about a plan beside its graph, derived from the
 * document: the validation's problems indexed by node and edge, and the
 * optimizer's overlay (waves, batch colours, critical path, hazards).
 */
import type { ExecutionPlan } from "@/lib/plan/execution-plan";
import { optimizePlan } from "@/lib/plan/optimize-plan";
import type { PlanProblem } from "@/lib/plan/plan-problem";
import { PlanDocument } from "@/lib/plan/schema";
import { validatePlan, type PlanValidation } from "@/lib/plan/validate-plan";

export interface ValidationView {
  /** Errors (the plan cannot run while there are any). */
  problems: PlanProblem[];
  warnings: PlanProblem[];
  /** Errors and warnings per node id, including every node of a multi-node problem (a cycle). */
  byNode: Map<string, PlanProblem[]>;
  byEdge: Map<string, PlanProblem[]>;
}

export interface NodeOverlay {
  wave: number;
  batchId: string;
  color: string;
  critical: boolean;
  hazards: string[];
}

export type OverlayView =
  | { state: "ready"; execution: ExecutionPlan; byNode: Map<string, NodeOverlay>; criticalEdges: Set<string>; colorOf: Map<string, string> }
  | { state: "unavailable"; reason: string };

/** Distinct, readable on white; batches cycle through them by index. */
const BATCH_COLORS = ["#4c6ef5", "#12b886", "#fab005", "#e64980", "#7950f2", "#15aabf", "#fd7e14", "#82c91e", "#be4bdb", "#228be6"];

export const EMPTY_VALIDATION: ValidationView = { problems: [], warnings: [], byNode: new Map(), byEdge: new Map() };

function addTo<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Indexes a validation's problems by node and edge. */
export function indexValidation(result: PlanValidation): ValidationView {
  const byNode = new Map<string, PlanProblem[]>();
  const byEdge = new Map<string, PlanProblem[]>();
  const all = result.ok ? result.warnings : [...result.problems, ...result.warnings];
  for (const problem of all) {
    const nodes = new Set([...(problem.nodeId ? [problem.nodeId] : []), ...(problem.nodeIds ?? [])]);
    for (const id of nodes) addTo(byNode, id, problem);
    if (problem.edgeId) addTo(byEdge, problem.edgeId, problem);
  }
  return { problems: result.ok ? [] : result.problems, warnings: result.warnings, byNode, byEdge };
}

/** Runs the one validator on the document (on this thread) and indexes its problems. */
export function validationViewOf(document: unknown): { view: ValidationView; plan: PlanDocument | null } {
  const result = validatePlan(document);
  if (result.ok) return { view: indexValidation(result), plan: result.plan };
  const shaped = PlanDocument.safeParse(document);
  return { view: indexValidation(result), plan: shaped.success ? shaped.data : null };
}

export function overlayOf(plan: PlanDocument | null): OverlayView {
  if (!plan) return { state: "unavailable", reason: "Fix the problems marked on the nodes to see how the plan will run." };
  const execution = optimizePlan(plan);
  const colorOf = new Map<string, string>();
  execution.batches.forEach((batch, index) => colorOf.set(batch.id, BATCH_COLORS[index % BATCH_COLORS.length] as string));
  const critical = new Set(execution.criticalPath.nodeIds);
  const criticalEdges = new Set<string>();
  const path = execution.criticalPath.nodeIds;
  for (let i = 1; i < path.length; i += 1) criticalEdges.add(`${path[i - 1]}->${path[i]}`);
  const hazardsOf = new Map<string, string[]>();
  for (const hazard of execution.hazards) for (const id of hazard.nodeIds) addTo(hazardsOf, id, hazard.code);
  const byNode = new Map<string, NodeOverlay>();
  execution.waves.forEach((wave, waveIndex) => {
    for (const id of wave) {
      const batchId = execution.batchIdOf[id] ?? "";
      byNode.set(id, {
        wave: waveIndex,
        batchId,
        color: colorOf.get(batchId) ?? "#adb5bd",
        critical: critical.has(id),
        hazards: hazardsOf.get(id) ?? [],
      });
    }
  });
  for (const [id, hazards] of hazardsOf) {
    if (!byNode.has(id)) byNode.set(id, { wave: -1, batchId: "", color: "#adb5bd", critical: false, hazards });
  }
  return { state: "ready", execution, byNode, criticalEdges, colorOf };
}
