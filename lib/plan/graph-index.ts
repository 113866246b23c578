/**
 * Compact adjacency for plan graphs: nodes are numbered by array position and
 * neighbours stored in flat typed arrays (compressed sparse rows), so the
 * validator and the optimizer stay fast and allocation-light at 100k nodes.
 */

/** A directed graph over nodes `0..nodeCount-1`. */
export interface GraphIndex {
  nodeCount: number;
  /** Successors of node `n` are `successors[successorStart[n] .. successorStart[n+1])`. */
  successorStart: Int32Array;
  successors: Int32Array;
  /** The caller's edge index for each successor slot. */
  successorEdges: Int32Array;
  predecessorStart: Int32Array;
  predecessors: Int32Array;
  predecessorEdges: Int32Array;
}

/**
 * Builds the index from edges given as node numbers. Edges whose `from` or
 * `to` is negative are left out (callers use -1 for "unknown node").
 */
export function buildGraphIndex(nodeCount: number, from: ArrayLike<number>, to: ArrayLike<number>): GraphIndex {
  const outDegree = new Int32Array(nodeCount + 1);
  const inDegree = new Int32Array(nodeCount + 1);
  let kept = 0;
  for (let edge = 0; edge < from.length; edge++) {
    const source = from[edge] as number;
    const target = to[edge] as number;
    if (source < 0 || target < 0) continue;
    outDegree[source + 1]! += 1;
    inDegree[target + 1]! += 1;
    kept += 1;
  }
  for (let node = 0; node < nodeCount; node++) {
    outDegree[node + 1]! += outDegree[node] as number;
    inDegree[node + 1]! += inDegree[node] as number;
  }
  const successors = new Int32Array(kept);
  const successorEdges = new Int32Array(kept);
  const predecessors = new Int32Array(kept);
  const predecessorEdges = new Int32Array(kept);
  const nextOut = outDegree.slice(0, nodeCount);
  const nextIn = inDegree.slice(0, nodeCount);
  for (let edge = 0; edge < from.length; edge++) {
    const source = from[edge] as number;
    const target = to[edge] as number;
    if (source < 0 || target < 0) continue;
    const outSlot = nextOut[source]!++;
    successors[outSlot] = target;
    successorEdges[outSlot] = edge;
    const inSlot = nextIn[target]!++;
    predecessors[inSlot] = source;
    predecessorEdges[inSlot] = edge;
  }
  return {
    nodeCount,
    successorStart: outDegree,
    successors,
    successorEdges,
    predecessorStart: inDegree,
    predecessors,
    predecessorEdges,
  };
}

/**
 * For every edge that repeats an earlier edge's `from`/`to` pair, the index of
 * the first edge with that pair; -1 for all other edges (including edges with
 * a negative end). O(V + E) with typed arrays:
 * hashing pairs instead is slow once `from × nodeCount + to` leaves the small-integer range.
 */
export function findRepeatedEdges(nodeCount: number, from: ArrayLike<number>, to: ArrayLike<number>): Int32Array {
  const firstOf = new Int32Array(from.length).fill(-1);
  const start = new Int32Array(nodeCount + 1);
  for (let edge = 0; edge < from.length; edge++) {
    const source = from[edge] as number;
    if (source >= 0 && (to[edge] as number) >= 0) start[source + 1]! += 1;
  }
  for (let node = 0; node < nodeCount; node++) start[node + 1]! += start[node] as number;
  const bySource = new Int32Array(start[nodeCount] as number);
  const next = start.slice(0, nodeCount);
  for (let edge = 0; edge < from.length; edge++) {
    const source = from[edge] as number;
    if (source >= 0 && (to[edge] as number) >= 0) bySource[next[source]!++] = edge;
  }
  // seenFrom[target] === source + 1 means source → target was already seen, first as edge seenEdge[target].
  const seenFrom = new Int32Array(nodeCount);
  const seenEdge = new Int32Array(nodeCount);
  for (let source = 0; source < nodeCount; source++) {
    const end = start[source + 1] as number;
    for (let slot = start[source] as number; slot < end; slot++) {
      const edge = bySource[slot] as number;
      const target = to[edge] as number;
      if (seenFrom[target] === source + 1) firstOf[edge] = seenEdge[target] as number;
      else {
        seenFrom[target] = source + 1;
        seenEdge[target] = edge;
      }
    }
  }
  return firstOf;
}
