/**
 * Nodes that can never run because their incoming conditions contradict
 * each other.
 *
 * Model (the runner's semantics): a node runs only when every incoming edge's
 * condition holds — `success`: the source succeeded; `failure`: the source
 * failed; `always`: the source finished, whatever the outcome. So if a node
 * runs, every source of a `success`/`failure` edge into it ran, and so on
 * upwards. A node reached from some node `u` both through a path starting
 * with `u`'s `success` edge and through one starting with its `failure`
 * edge, using only `success`/`failure` edges, would need `u` to both
 * succeed and fail: it never runs.
 *
 * No operation type is treated as unable to fail: writes can hit a full
 * disk, edits a changed file, commands a timeout, and any node can be
 * cancelled. So a `failure` edge alone never makes a node unreachable; only
 * contradictions do. This keeps the rule sound: every node it reports truly
 * can never run.
 *
 * Detection: one forward pass in topological order carrying, per node, two
 * bitsets over the nodes that have a `failure` edge ("requires u succeeded",
 * "requires u failed"); a node whose two sets intersect never runs. Cost
 * O((V + E) × U / 32) for U such nodes, in column chunks of bounded memory.
 */
import type { Hazard } from "./execution-plan";
import type { PlanGraph } from "./plan-graph";
import { WHEN_ALWAYS, WHEN_FAILURE, WHEN_SUCCESS } from "./plan-graph";

/** Size bounds for {@link findNeverRunningNodes}. */
export interface NeverRunsBounds {
  /** Skip when the pass would exceed this many word operations. */
  maxReachabilityCost: number;
  /** Most 32-bit words of bitset memory per chunk. */
  maxRowWords: number;
}

/** Hazards for contradictory conditions; null when skipped for size. */
export function findNeverRunningNodes(planGraph: PlanGraph, bounds: NeverRunsBounds): Hazard[] | null {
  const { graph, order, position, when, ids, nodes, edges } = planGraph;
  const { successorStart, successorEdges, predecessorStart, predecessors, predecessorEdges } = graph;

  // Columns: the scheduled nodes with both a success and a failure edge out, in
  // topological order — only they can be required to both succeed and fail.
  const columnOf = new Int32Array(nodes.length).fill(-1);
  const columns: number[] = [];
  // columnsBefore[p]: how many columns sit before topological position p. A
  // node can only require nodes before it, so its row is zero past that count.
  const columnsBefore = new Int32Array(order.length + 1);
  order.forEach((node, index) => {
    columnsBefore[index] = columns.length;
    let success = false;
    let failure = false;
    const end = successorStart[node + 1] as number;
    for (let slot = successorStart[node] as number; slot < end; slot++) {
      const condition = when[successorEdges[slot] as number];
      success ||= condition === WHEN_SUCCESS;
      failure ||= condition === WHEN_FAILURE;
    }
    if (success && failure) {
      columnOf[node] = columns.length;
      columns.push(node);
    }
  });
  columnsBefore[order.length] = columns.length;
  if (columns.length === 0) return [];
  // Rows only hold columns before the node, so on average half a row is merged.
  if (((nodes.length + edges.length) * Math.ceil(columns.length / 32)) / 2 > bounds.maxReachabilityCost) return null;

  const words = Math.max(1, Math.min(Math.ceil(columns.length / 32), Math.floor(bounds.maxRowWords / (2 * nodes.length))));
  const needsSuccess = new Int32Array(nodes.length * words);
  const needsFailure = new Int32Array(nodes.length * words);
  // Stuck node → the first contradicted column's node, -1 when the node can run.
  const contradictedBy = new Int32Array(nodes.length).fill(-1);

  for (let firstColumn = 0; firstColumn < columns.length; firstColumn += words * 32) {
    // Nodes before the chunk's first column cannot require any of its columns (their rows are never read).
    for (let index = position[columns[firstColumn] as number] as number; index < order.length; index++) {
      const node = order[index] as number;
      const base = node * words;
      // Only words holding columns up to this node can be set (and are ever read).
      const width = Math.min(words, ((columnsBefore[index + 1] as number) - firstColumn + 31) >> 5);
      needsSuccess.fill(0, base, base + width);
      needsFailure.fill(0, base, base + width);
      const end = predecessorStart[node + 1] as number;
      for (let slot = predecessorStart[node] as number; slot < end; slot++) {
        const condition = when[predecessorEdges[slot] as number] as number;
        // `always` does not require the source to have run, so it carries no requirement.
        if (condition === WHEN_ALWAYS) continue;
        const before = predecessors[slot] as number;
        const beforeBase = before * words;
        // Bits of the predecessor's row: columns before it, plus itself.
        const used = (columnsBefore[(position[before] as number) + 1] as number) - firstColumn;
        if (used <= 0) continue;
        const high = Math.min(words, (used + 31) >> 5);
        for (let word = 0; word < high; word++) {
          needsSuccess[base + word]! |= needsSuccess[beforeBase + word] as number;
          needsFailure[base + word]! |= needsFailure[beforeBase + word] as number;
        }
        const column = (columnOf[before] as number) - firstColumn;
        if (column >= 0 && column < words * 32) {
          const target = condition === WHEN_SUCCESS ? needsSuccess : needsFailure;
          target[base + (column >>> 5)]! |= 1 << (column & 31);
        }
      }
      if (contradictedBy[node] !== -1) continue;
      for (let word = 0; word < width; word++) {
        const both = (needsSuccess[base + word] as number) & (needsFailure[base + word] as number);
        if (both !== 0) {
          contradictedBy[node] = columns[firstColumn + word * 32 + (31 - Math.clz32(both & -both))] as number;
          break;
        }
      }
    }
  }

  // One hazard per contradicted node `u`, listing what never runs because of it.
  const stuckBySource = new Map<number, number[]>();
  for (const node of order) {
    const source = contradictedBy[node] as number;
    if (source === -1) continue;
    const stuck = stuckBySource.get(source);
    if (stuck === undefined) stuckBySource.set(source, [node]);
    else stuck.push(node);
  }
  return [...stuckBySource].map(([source, stuck]) => {
    const first = `"${ids[stuck[0] as number]}"`;
    const listed = stuck.length === 1 ? `${first} never runs` : `${first} and ${stuck.length - 1} node(s) after it never run`;
    return {
      code: "never-runs",
      severity: "warning",
      nodeIds: stuck.map((node) => ids[node] as string),
      message:
        `${listed}: ${first} waits both for "${ids[source]}" to succeed and for it to fail (through its "success" and ` +
        `"failure" edges), which cannot both happen. Change one of those edges to "always", or join them on one branch only`,
    };
  });
}
