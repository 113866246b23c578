/**
 * Edges implied by others (the edges a transitive reduction would drop).
 *
 * An edge a → b is implied when another path from a to b made of `success`
 * edges exists and the edge itself is `success` or `always`: b then already
 * waits for a and already needs a to succeed, so removing the edge changes
 * neither order nor conditions. A `failure` edge is never implied (it is the
 * only thing that makes b run when a fails), and a path through `failure` or
 * `always` edges does not imply anything, because it does not carry the same
 * condition.
 *
 * Detection uses bitsets over the topological order (see reachability.ts):
 * processing a node's successors in topological order, an edge to b is
 * implied exactly when b is already reachable through an earlier successor.
 */
import type { PlanGraph } from "./plan-graph";
import { WHEN_FAILURE, WHEN_SUCCESS } from "./plan-graph";
import { BitsetScratch, computeReachability, reachabilityCost } from "./reachability";

/** Size bounds for {@link findImpliedEdges}. */
export interface ImpliedEdgeBounds {
  /** Skip plans with more nodes than this (the check is O(V × E / 32)). */
  impliedEdgeMaxNodes: number;
  maxReachabilityCost: number;
  maxRowWords: number;
}

/** Edge indexes (into `plan.edges`) of implied edges, in edge order; null when skipped for size. */
export function findImpliedEdges(planGraph: PlanGraph, bounds: ImpliedEdgeBounds, scratch = new BitsetScratch()): number[] | null {
  const { graph, order, position, when, edges } = planGraph;
  if (order.length > bounds.impliedEdgeMaxNodes) return null;
  if (reachabilityCost(graph.nodeCount, edges.length, order.length) > bounds.maxReachabilityCost) return null;
  const follows = new Uint8Array(edges.length);
  for (let edge = 0; edge < edges.length; edge++) follows[edge] = when[edge] === WHEN_SUCCESS ? 1 : 0;
  const implied = new Uint8Array(edges.length);
  const { successors, successorEdges } = graph;

  computeReachability({
    graph,
    order,
    position,
    targets: order,
    follows,
    maxRowWords: bounds.maxRowWords,
    scratch,
    beforeMerge: (node, slot, chunk) => {
      const edge = successorEdges[slot] as number;
      if (when[edge] === WHEN_FAILURE) return;
      const bit = chunk.bitOf[successors[slot] as number] as number;
      if (bit < 0) return;
      const word = chunk.rows[node * chunk.words + (bit >>> 5)] as number;
      if (((word >>> (bit & 31)) & 1) === 1) implied[edge] = 1;
    },
  });

  const result: number[] = [];
  for (let edge = 0; edge < edges.length; edge++) if (implied[edge] === 1) result.push(edge);
  return result;
}
