/**
 * Graph rules: unique ids, edges between existing distinct nodes, no cycles.
 * Works on the lenient plan view, so it reports graph problems even while
 * some nodes still have shape problems.
 */
import { edgeIdOf } from "./schema";
import type { PlanProblem } from "./plan-problem";
import type { EdgeView, NodeView } from "./plan-view";
import { buildGraphIndex, findRepeatedEdges } from "./graph-index";
import { findCycles } from "./find-cycles";

/** Cycles beyond this many are summarised in one problem rather than listed. */
const MAX_CYCLES_REPORTED = 100;

/** Appends id, edge and cycle problems to `out`. */
export function checkGraph(nodes: readonly NodeView[], edges: readonly EdgeView[], out: PlanProblem[]): void {
  // Node number (position in `nodes`) of the first node with each id.
  const numberOf = new Map<string, number>();
  for (let number = 0; number < nodes.length; number++) {
    const node = nodes[number] as NodeView;
    if (node.id === undefined) continue;
    const first = numberOf.get(node.id);
    if (first !== undefined) {
      out.push({
        nodeId: node.id,
        path: ["nodes", node.index, "id"],
        code: "duplicate-node-id",
        message: `Node id "${node.id}" is already used by nodes[${(nodes[first] as NodeView).index}]; give each node its own id`,
        severity: "error",
      });
      continue;
    }
    numberOf.set(node.id, number);
  }

  const from = new Int32Array(edges.length).fill(-1);
  const to = new Int32Array(edges.length).fill(-1);
  // Explicit edge ids, to catch two edges sharing one. Unnamed edges are known
  // as "from->to", so they can only clash with an explicit id or a repeated pair.
  const edgeIndexOfId = new Map<string, number>();
  for (const edge of edges) {
    if (edge.id === undefined) continue;
    const sameId = edgeIndexOfId.get(edge.id);
    if (sameId === undefined) edgeIndexOfId.set(edge.id, edge.index);
    else
      reportEdge(
        out,
        edge,
        ["id"],
        "duplicate-edge-id",
        `Edge id "${edge.id}" is already used by edges[${sameId}]; give each edge its own id`,
      );
  }
  // Repeated pairs between unknown nodes are rare, so a string map is fine for them.
  const unknownPairs = new Map<string, number>();

  for (let number = 0; number < edges.length; number++) {
    const edge = edges[number] as EdgeView;
    const { from: fromId, to: toId } = edge;
    if (fromId === undefined || toId === undefined) continue;
    const source = numberOf.get(fromId);
    const target = numberOf.get(toId);
    if (source === undefined) {
      reportEdge(out, edge, ["from"], "missing-node", `Edge "${labelOf(edge)}" starts at "${fromId}", but no node has that id`);
    }
    if (target === undefined) {
      reportEdge(out, edge, ["to"], "missing-node", `Edge "${labelOf(edge)}" ends at "${toId}", but no node has that id`);
    }
    if (fromId === toId) {
      reportEdge(
        out,
        edge,
        [],
        "self-loop",
        `Edge "${labelOf(edge)}" joins "${fromId}" to itself; a node cannot wait for itself — remove the edge`,
      );
      continue;
    }
    if (source !== undefined && target !== undefined) {
      from[number] = source;
      to[number] = target;
    } else {
      const key = `${fromId}\u0000${toId}`;
      const first = unknownPairs.get(key);
      if (first === undefined) unknownPairs.set(key, edge.index);
      else reportRepeatedPair(out, edge, first);
    }
    if (edge.id === undefined && edgeIndexOfId.size > 0) {
      const clash = edgeIndexOfId.get(labelOf(edge));
      if (clash !== undefined) {
        reportEdge(
          out,
          edge,
          [],
          "duplicate-edge-id",
          `This edge is known as "${labelOf(edge)}", which edges[${clash}] uses as its id; give that edge another id`,
        );
      }
    }
  }

  const firstOf = findRepeatedEdges(nodes.length, from, to);
  for (let number = 0; number < edges.length; number++) {
    const first = firstOf[number] as number;
    if (first !== -1) reportRepeatedPair(out, edges[number] as EdgeView, (edges[first] as EdgeView).index);
  }

  const graph = buildGraphIndex(nodes.length, from, to);
  const { cycles, closingEdges, truncated } = findCycles(graph, MAX_CYCLES_REPORTED);
  cycles.forEach((cycle, at) => {
    const ids = cycle.map((number) => (nodes[number] as NodeView).id as string);
    const closing = edges[closingEdges[at] as number] as EdgeView;
    const loop = [...ids, ids[0]].map((id) => `"${id}"`).join(" → ");
    out.push({
      nodeId: ids[0],
      nodeIds: ids,
      edgeId: labelOf(closing),
      path: ["edges", closing.index],
      code: "cycle",
      message: `These nodes wait for each other in a loop, so none of them can start: ${loop}. Remove or reverse one of these edges`,
      severity: "error",
    });
  });
  if (truncated) {
    out.push({
      path: ["edges"],
      code: "cycle",
      message: `More than ${MAX_CYCLES_REPORTED} separate loops were found; fix the ones listed and validate again`,
      severity: "error",
    });
  }
}

function reportRepeatedPair(out: PlanProblem[], edge: EdgeView, firstIndex: number): void {
  reportEdge(
    out,
    edge,
    [],
    "duplicate-edge",
    `"${edge.from}" → "${edge.to}" is already joined by edges[${firstIndex}]; keep one edge (use when: "always" to run after either outcome)`,
  );
}

// Module level rather than a closure per edge: closures in a 100k-edge loop cost real time.
function reportEdge(out: PlanProblem[], edge: EdgeView, path: PlanProblem["path"], code: PlanProblem["code"], message: string): void {
  out.push({ edgeId: labelOf(edge), path: ["edges", edge.index, ...path], code, message, severity: "error" });
}

/** The edge's id as `edgeIdOf` gives it, for an edge known to have string endpoints. */
function labelOf(edge: EdgeView): string {
  return edgeIdOf({ id: edge.id, from: edge.from ?? "", to: edge.to ?? "" });
}
