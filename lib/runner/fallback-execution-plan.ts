/**
 * The simplest valid execution plan: every node its own batch, in
 * topological waves. Used when no optimizer output is at hand (tests, and
 * plans run with batching off).
 */
import { batchKindOf } from "../plan/build-batches";
import type { Batch, ExecutionPlan } from "../plan/execution-plan";
import type { PlanDocument } from "../plan/schema";

/** One batch per node, waves by longest path from a root; nodes on cycles are left out. */
export function fallbackExecutionPlan(plan: PlanDocument): ExecutionPlan {
  const indegree = new Map(plan.nodes.map((node) => [node.id, 0]));
  const out = new Map<string, string[]>();
  for (const edge of plan.edges) {
    indegree.set(edge.to, (indegree.get(edge.to) ?? 0) + 1);
    out.set(edge.from, [...(out.get(edge.from) ?? []), edge.to]);
  }
  const waveOf = new Map<string, number>();
  let frontier = plan.nodes.filter((node) => indegree.get(node.id) === 0).map((node) => node.id);
  const waves: string[][] = [];
  while (frontier.length) {
    waves.push(frontier);
    const next: string[] = [];
    for (const id of frontier) {
      waveOf.set(id, waves.length - 1);
      for (const to of out.get(id) ?? []) {
        const left = (indegree.get(to) ?? 0) - 1;
        indegree.set(to, left);
        if (left === 0) next.push(to);
      }
    }
    frontier = next;
  }
  const batches: Batch[] = [];
  const batchIdOf: Record<string, string> = {};
  for (const node of plan.nodes) {
    const wave = waveOf.get(node.id);
    if (wave === undefined) continue;
    const kind = batchKindOf(node.type);
    const id = `w${wave}:${kind}:${node.id}`;
    batchIdOf[node.id] = id;
    batches.push({ id, kind, wave, nodeIds: [node.id], atomic: false, units: [{ kind: "node", nodeIds: [node.id] }] });
  }
  batches.sort((a, b) => a.wave - b.wave);
  const widestIndex = waves.reduce((best, wave, index) => (wave.length > (waves[best]?.length ?? 0) ? index : best), 0);
  return {
    waves,
    batches,
    batchIdOf,
    criticalPath: { nodeIds: [], estimatedMs: 0 },
    widest: waves.length ? { wave: widestIndex, width: waves[widestIndex]?.length ?? 0 } : { wave: -1, width: 0 },
    hazards: [],
    notes: ["Unoptimized: one batch per node"],
  };
}
