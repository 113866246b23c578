/**
 * The critical path: the chain of dependent nodes with the largest total
 * estimated duration, i.e. the least time the plan can take with unlimited
 * parallelism. One pass over the topological order.
 */
import type { CriticalPath } from "./execution-plan";
import type { PlanGraph } from "./plan-graph";
import { estimateDuration, type DurationEstimates } from "./duration-estimates";

/** The longest weighted path; ties go to the path found first in topological order. */
export function findCriticalPath(planGraph: PlanGraph, estimates: DurationEstimates = {}): CriticalPath {
  const { nodes, graph, order } = planGraph;
  const { predecessorStart, predecessors } = graph;
  const finish = new Float64Array(nodes.length);
  const previous = new Int32Array(nodes.length).fill(-1);
  let best = -1;
  for (const node of order) {
    let start = 0;
    const end = predecessorStart[node + 1] as number;
    for (let slot = predecessorStart[node] as number; slot < end; slot++) {
      const before = predecessors[slot] as number;
      // Always link the first dependency, so a chain of zero-estimate nodes is still a chain.
      if (previous[node] === -1 || (finish[before] as number) > start) {
        start = finish[before] as number;
        previous[node] = before;
      }
    }
    const current = nodes[node];
    if (current === undefined) continue;
    finish[node] = start + estimateDuration(current.id, current.type, estimates);
    if (best === -1 || (finish[node] as number) > (finish[best] as number)) best = node;
  }
  if (best === -1) return { nodeIds: [], estimatedMs: 0 };
  const path: string[] = [];
  for (let node = best; node !== -1; node = previous[node] as number) path.push((nodes[node] as { id: string }).id);
  return { nodeIds: path.reverse(), estimatedMs: finish[best] as number };
}
