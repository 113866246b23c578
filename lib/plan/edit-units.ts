/**
 * Decides which `file.edit` nodes merge into one multi-edit: an edit joins
 * the unit of the edit before it when it edits the same file and waits for
 * nothing but that unit, through `success` edges only.
 *
 * Why that rule: every member except the first then has all its
 * dependencies inside the unit, so treating the unit as one node cannot
 * create a cycle and cannot start anything earlier than the plan allows; the
 * only cost is that nodes after an early member wait for the whole unit,
 * which for in-memory edits of one file is negligible. `failure`/`always`
 * edges are kept apart because merging would change when they fire.
 */
import type { FileEditNode } from "./schema";
import type * as z from "zod";
import { WHEN_SUCCESS, type PlanGraph } from "./plan-graph";
import { normalizeWorkspacePath } from "./workspace-path";

type EditNode = z.infer<typeof FileEditNode>;

/**
 * Unit root of every node (the first edit of its chain; a node not merged is
 * its own root). All nodes are their own roots when batching is off.
 */
export function groupEditUnits(planGraph: PlanGraph, batching: boolean): Int32Array {
  const { nodes, graph, order, when } = planGraph;
  const unitOf = new Int32Array(nodes.length);
  for (let node = 0; node < nodes.length; node++) unitOf[node] = node;
  if (!batching) return unitOf;

  const editPath: (string | null)[] = nodes.map((node) =>
    node.type === "file.edit" && !node.checkpoint ? normalizeWorkspacePath((node as EditNode).params.path) : null,
  );
  const { predecessorStart, predecessors, predecessorEdges } = graph;
  for (const node of order) {
    const path = editPath[node];
    if (path == null) continue;
    const start = predecessorStart[node] as number;
    const end = predecessorStart[node + 1] as number;
    if (end === start) continue;
    const root = unitOf[predecessors[start] as number] as number;
    if (editPath[root] !== path) continue;
    let joins = true;
    for (let slot = start; slot < end && joins; slot++) {
      joins = unitOf[predecessors[slot] as number] === root && when[predecessorEdges[slot] as number] === WHEN_SUCCESS;
    }
    if (joins) unitOf[node] = root;
  }
  return unitOf;
}
