/**
 * A stable, layout-independent hash of a plan: two plans that run the same
 * way hash the same, whatever the node positions, key order, or order of the
 * node and edge arrays. Used to tell versions apart and to spot a save that
 * changed only the layout.
 */
import type { PlanDocument, PlanEdge, PlanNode } from "./schema";
import { canonicalJson, type JsonLike } from "./canonical-json";
import { fnv1a64 } from "./fnv1a64";

/**
 * The canonical text {@link hashPlan} hashes: the plan without `$schema` (a
 * raw document may still carry one) and node positions, nodes sorted by id, edges by their canonical text, keys
 * sorted. Everything else counts, including labels, the name and the order of
 * edits inside a node (which changes the result).
 */
export function canonicalPlanText(plan: PlanDocument): string {
  const nodes = plan.nodes.map(withoutPosition).sort((a, b) => compare(a.id, b.id));
  const edges = plan.edges
    .map((edge: PlanEdge) => ({ text: canonicalJson(edge as unknown as JsonLike), edge }))
    .sort((a, b) => compare(a.text, b.text))
    .map(({ edge }) => edge);
  const { $schema: _schema, ...rest } = plan as PlanDocument & { $schema?: unknown };
  return canonicalJson({ ...rest, nodes, edges } as unknown as JsonLike);
}

/**
 * The plan's hash: 16 hex digits of 64-bit FNV-1a over {@link canonicalPlanText}.
 * Hash the parsed plan (`validatePlan(...).plan`), so written-out defaults and
 * left-out defaults hash the same.
 *
 * @example
 * hashPlan(plan) === hashPlan({ ...plan, nodes: [...plan.nodes].reverse() }); // true
 */
export function hashPlan(plan: PlanDocument): string {
  return fnv1a64(canonicalPlanText(plan));
}

function withoutPosition(node: PlanNode): Omit<PlanNode, "position"> {
  const { position: _position, ...rest } = node;
  return rest;
}

/** Code-unit order, so the result does not depend on the locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
