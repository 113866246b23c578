/**
 * A hash per node of what makes it run the way it does: its definition
 * (without the canvas position) and the edges into it. A retry with a revised
 * plan runs again exactly the nodes whose hash changed.
 */
import { canonicalJson, type JsonLike } from "./canonical-json";
import { fnv1a64 } from "./fnv1a64";
import type { PlanDocument } from "./schema";

/**
 * @example
 * const before = hashNodes(plan);
 * const after = hashNodes(revised);
 * const changed = revised.nodes.filter((node) => before.get(node.id) !== after.get(node.id));
 */
export function hashNodes(plan: PlanDocument): Map<string, string> {
  const incoming = new Map<string, string[]>();
  for (const edge of plan.edges) incoming.set(edge.to, [...(incoming.get(edge.to) ?? []), `${edge.from}:${edge.when}`]);
  return new Map(
    plan.nodes.map((node) => {
      const { position: _position, ...definition } = node;
      const edges = (incoming.get(node.id) ?? []).sort();
      return [node.id, fnv1a64(canonicalJson({ definition, edges } as unknown as JsonLike))];
    }),
  );
}
