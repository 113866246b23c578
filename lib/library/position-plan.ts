/**
 * Gives a stored plan document positions when it has none (plans written by
 * hand or sent through the API), with the same layout the editor would
 * compute, so a page showing it lays it out once instead of on every render.
 */
import { layoutPlan } from "./layout-plan";

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The document with a position on every node: itself when they all have one.
 *
 * @example
 * const shown = positionPlanDocument(version.graph); // nodes[i].position is set
 */
export function positionPlanDocument(document: unknown): unknown {
  if (!isRecord(document) || !Array.isArray(document.nodes)) return document;
  const nodes = document.nodes.filter(isRecord);
  if (nodes.every((node) => isRecord(node.position))) return document;
  const edges = (Array.isArray(document.edges) ? document.edges.filter(isRecord) : []).map((edge) => ({
    from: String(edge.from ?? ""),
    to: String(edge.to ?? ""),
  }));
  const positions = layoutPlan({ nodes: nodes.map((node) => ({ id: String(node.id ?? "") })), edges });
  return {
    ...document,
    nodes: nodes.map((node) => (isRecord(node.position) ? node : { ...node, position: positions.get(String(node.id ?? "")) })),
  };
}
