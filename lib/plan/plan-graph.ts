/**
 * The optimizer's view of a parsed plan: nodes numbered by position, edges
 * resolved to node numbers, and a topological order from Kahn's algorithm.
 * Defensive about plans that were not validated: edges to unknown nodes,
 * self-loops and repeated pairs are left out, and nodes on or after a cycle
 * get no topological position.
 */
import { edgeIdOf, type PlanDocument, type PlanEdge, type PlanNode } from "./schema";
import { buildGraphIndex, findRepeatedEdges, type GraphIndex } from "./graph-index";

/** Edge conditions as small numbers, for typed arrays. */
export const WHEN_SUCCESS = 0;
/** See {@link WHEN_SUCCESS}. */
export const WHEN_FAILURE = 1;
/** See {@link WHEN_SUCCESS}. */
export const WHEN_ALWAYS = 2;

/** A plan indexed for the optimizer's passes. */
export interface PlanGraph {
  nodes: readonly PlanNode[];
  ids: readonly string[];
  /** Node number by id (first node with that id). */
  numberOf: ReadonlyMap<string, number>;
  edges: readonly PlanEdge[];
  /** Per edge index: WHEN_SUCCESS, WHEN_FAILURE or WHEN_ALWAYS. */
  when: Uint8Array;
  /** Successor slots are sorted by topological position. */
  graph: GraphIndex;
  /** Scheduled node numbers in topological order. */
  order: Int32Array;
  /** Node number → index in `order`, or -1 when the node is on or after a cycle. */
  position: Int32Array;
}

/** The id an edge is known by, built on demand to keep big plans allocation-light. */
export function edgeIdAt(planGraph: PlanGraph, edgeIndex: number): string {
  return edgeIdOf(planGraph.edges[edgeIndex] as PlanEdge);
}

/** Indexes `plan` and orders it topologically in O(V + E log d). */
export function buildPlanGraph(plan: PlanDocument): PlanGraph {
  const nodes = plan.nodes;
  const ids = nodes.map((node) => node.id);
  const numberOf = new Map<string, number>();
  ids.forEach((id, number) => {
    if (!numberOf.has(id)) numberOf.set(id, number);
  });

  const edges = plan.edges;
  const from = new Int32Array(edges.length).fill(-1);
  const to = new Int32Array(edges.length).fill(-1);
  const when = new Uint8Array(edges.length);
  for (let index = 0; index < edges.length; index++) {
    const edge = edges[index] as PlanEdge;
    const source = numberOf.get(edge.from);
    const target = numberOf.get(edge.to);
    if (source === undefined || target === undefined || source === target) continue;
    from[index] = source;
    to[index] = target;
    when[index] = edge.when === "failure" ? WHEN_FAILURE : edge.when === "always" ? WHEN_ALWAYS : WHEN_SUCCESS;
  }
  const firstOf = findRepeatedEdges(nodes.length, from, to);
  for (let index = 0; index < edges.length; index++) {
    if (firstOf[index] !== -1) from[index] = -1;
  }

  const graph = buildGraphIndex(nodes.length, from, to);
  const { order, position } = topologicalOrder(graph);
  sortSuccessorsByPosition(graph, position);
  return { nodes, ids, numberOf, edges, when, graph, order, position };
}

/**
 * Kahn's algorithm, first-in first-out from nodes in document order, so the
 * order is stable for a given plan. Nodes on a cycle, and nodes after one,
 * never reach in-degree zero and stay unordered.
 */
function topologicalOrder(graph: GraphIndex): { order: Int32Array; position: Int32Array } {
  const { nodeCount, successorStart, successors, predecessorStart } = graph;
  const remaining = new Int32Array(nodeCount);
  const queue = new Int32Array(nodeCount);
  let tail = 0;
  for (let node = 0; node < nodeCount; node++) {
    remaining[node] = (predecessorStart[node + 1] as number) - (predecessorStart[node] as number);
    if (remaining[node] === 0) queue[tail++] = node;
  }
  for (let head = 0; head < tail; head++) {
    const node = queue[head] as number;
    const end = successorStart[node + 1] as number;
    for (let slot = successorStart[node] as number; slot < end; slot++) {
      const next = successors[slot] as number;
      if (--remaining[next]! === 0) queue[tail++] = next;
    }
  }
  const position = new Int32Array(nodeCount).fill(-1);
  for (let index = 0; index < tail; index++) position[queue[index] as number] = index;
  return { order: queue.slice(0, tail), position };
}

/** Sorts each node's successor slots by the successors' positions (unscheduled last). */
function sortSuccessorsByPosition(graph: GraphIndex, position: Int32Array): void {
  const { nodeCount, successorStart, successors, successorEdges } = graph;
  const rank = (node: number) => {
    const at = position[node] as number;
    return at < 0 ? Number.MAX_SAFE_INTEGER : at;
  };
  for (let node = 0; node < nodeCount; node++) {
    const start = successorStart[node] as number;
    const end = successorStart[node + 1] as number;
    if (end - start < 2) continue;
    if (end - start > 32) {
      // A hub (one node fanning out to thousands) needs a real sort.
      const slots = Array.from({ length: end - start }, (_, offset) => start + offset);
      slots.sort((a, b) => rank(successors[a] as number) - rank(successors[b] as number));
      const sortedTargets = slots.map((slot) => successors[slot] as number);
      const sortedEdges = slots.map((slot) => successorEdges[slot] as number);
      successors.set(sortedTargets, start);
      successorEdges.set(sortedEdges, start);
      continue;
    }
    // Insertion sort: out-degrees are small in practice and this allocates nothing.
    for (let slot = start + 1; slot < end; slot++) {
      const target = successors[slot] as number;
      const edge = successorEdges[slot] as number;
      const key = rank(target);
      let hole = slot;
      while (hole > start && rank(successors[hole - 1] as number) > key) {
        successors[hole] = successors[hole - 1] as number;
        successorEdges[hole] = successorEdges[hole - 1] as number;
        hole -= 1;
      }
      successors[hole] = target;
      successorEdges[hole] = edge;
    }
  }
}
