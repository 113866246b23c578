/**
 * Layered left-to-right layout of a plan graph (dagre), used by the editor's
 * "Auto layout" button and for imported plans that have no positions.
 * Framework-free: takes ids and edges, returns top-left positions.
 */
import { Graph, layout } from "@dagrejs/dagre";

export interface LayoutInput {
  nodes: readonly { id: string; width?: number; height?: number }[];
  edges: readonly { from: string; to: string }[];
}

export const LAYOUT_NODE_SIZE = { width: 220, height: 64 } as const;

/**
 * Positions every node so that each edge points rightwards where the graph
 * allows it. Edges to unknown nodes are ignored (the validator reports them).
 *
 * @example
 * const positions = layoutPlan({ nodes: [{ id: "a" }, { id: "b" }], edges: [{ from: "a", to: "b" }] });
 * positions.get("b"); // { x: 300, y: 0 }
 */
export function layoutPlan(input: LayoutInput): Map<string, { x: number; y: number }> {
  return input.nodes.length <= DAGRE_MAX_NODES ? layoutWithDagre(input) : layoutByLongestPath(input);
}

/** dagre's crossing minimisation is superlinear: seconds on deep 2,000-node plans. */
const DAGRE_MAX_NODES = 400;

function layoutWithDagre(input: LayoutInput): Map<string, { x: number; y: number }> {
  const graph = new Graph<{ rankdir: string }, { width: number; height: number }, object>({ multigraph: false });
  graph.setGraph({ rankdir: "LR", nodesep: 28, ranksep: 80, marginx: 0, marginy: 0 } as { rankdir: string });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of input.nodes) {
    graph.setNode(node.id, { width: node.width ?? LAYOUT_NODE_SIZE.width, height: node.height ?? LAYOUT_NODE_SIZE.height });
  }
  for (const edge of input.edges) {
    if (edge.from !== edge.to && graph.hasNode(edge.from) && graph.hasNode(edge.to)) graph.setEdge(edge.from, edge.to);
  }
  layout(graph);
  const positions = new Map<string, { x: number; y: number }>();
  for (const node of input.nodes) {
    const placed = graph.node(node.id) as { x?: number; y?: number; width: number; height: number } | undefined;
    // dagre gives centres; React Flow wants top-left corners.
    positions.set(node.id, {
      x: Math.round((placed?.x ?? 0) - (placed?.width ?? 0) / 2),
      y: Math.round((placed?.y ?? 0) - (placed?.height ?? 0) / 2),
    });
  }
  return positions;
}

/**
 * Linear-time layering for large plans: column = longest path from a root,
 * rows ordered by the mean row of each node's parents (one sweep). Nodes on a
 * cycle go to the column after their last placed parent.
 */
function layoutByLongestPath(input: LayoutInput): Map<string, { x: number; y: number }> {
  const index = new Map(input.nodes.map((node, i) => [node.id, i]));
  const count = input.nodes.length;
  const parents: number[][] = Array.from({ length: count }, () => []);
  const children: number[][] = Array.from({ length: count }, () => []);
  const indegree = new Int32Array(count);
  for (const edge of input.edges) {
    const from = index.get(edge.from);
    const to = index.get(edge.to);
    if (from === undefined || to === undefined || from === to) continue;
    parents[to]!.push(from);
    children[from]!.push(to);
    indegree[to]! += 1;
  }
  const rank = new Int32Array(count);
  const queue: number[] = [];
  for (let i = 0; i < count; i += 1) if (indegree[i] === 0) queue.push(i);
  const seen = new Uint8Array(count);
  for (let head = 0; head < queue.length; head += 1) {
    const node = queue[head]!;
    seen[node] = 1;
    for (const child of children[node]!) {
      rank[child] = Math.max(rank[child]!, rank[node]! + 1);
      indegree[child]! -= 1;
      if (indegree[child] === 0) queue.push(child);
    }
  }
  for (let i = 0; i < count; i += 1) if (!seen[i]) queue.push(i);
  const columns: number[][] = [];
  for (const node of queue) (columns[rank[node]!] ??= []).push(node);
  const row = new Float64Array(count);
  const positions = new Map<string, { x: number; y: number }>();
  const stepX = LAYOUT_NODE_SIZE.width + 80;
  const stepY = LAYOUT_NODE_SIZE.height + 28;
  columns.forEach((column, x) => {
    const keyed = column.map((node) => {
      const placed = parents[node]!.filter((parent) => rank[parent]! < x);
      const mean = placed.length ? placed.reduce((sum, parent) => sum + row[parent]!, 0) / placed.length : node;
      return { node, mean };
    });
    keyed.sort((a, b) => a.mean - b.mean);
    keyed.forEach(({ node }, y) => {
      row[node] = y;
      positions.set(input.nodes[node]!.id, { x: x * stepX, y: y * stepY });
    });
  });
  return positions;
}
