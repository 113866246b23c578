/**
 * A lenient view of an unparsed plan, so graph rules can run even when some
 * nodes fail the shape check: a person fixing a plan sees every problem at
 * once, not the graph problems only after the shape ones are gone.
 */

/** A JSON-like object (not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** What the graph rules need of one node; absent fields were not strings/objects. */
export interface NodeView {
  index: number;
  id: string | undefined;
  type: string | undefined;
  params: Record<string, unknown>;
}

/** What the graph rules need of one edge. */
export interface EdgeView {
  index: number;
  id: string | undefined;
  from: string | undefined;
  to: string | undefined;
  when: string | undefined;
}

const NO_PARAMS: Record<string, unknown> = Object.freeze({});

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** The nodes of a raw plan object, skipping entries that are not objects. */
export function viewNodes(plan: Record<string, unknown>): NodeView[] {
  const nodes = plan["nodes"];
  if (!Array.isArray(nodes)) return [];
  const views: NodeView[] = [];
  for (let index = 0; index < nodes.length; index++) {
    const node: unknown = nodes[index];
    if (!isRecord(node)) continue;
    const params = node["params"];
    views.push({
      index,
      id: stringOrUndefined(node["id"]),
      type: stringOrUndefined(node["type"]),
      params: isRecord(params) ? params : NO_PARAMS,
    });
  }
  return views;
}

/** The edges of a raw plan object, skipping entries that are not objects. */
export function viewEdges(plan: Record<string, unknown>): EdgeView[] {
  const edges = plan["edges"];
  if (!Array.isArray(edges)) return [];
  const views: EdgeView[] = [];
  for (let index = 0; index < edges.length; index++) {
    const edge: unknown = edges[index];
    if (!isRecord(edge)) continue;
    views.push({
      index,
      id: stringOrUndefined(edge["id"]),
      from: stringOrUndefined(edge["from"]),
      to: stringOrUndefined(edge["to"]),
      when: stringOrUndefined(edge["when"]),
    });
  }
  return views;
}

/** The value at `path` inside `root`, or undefined; never throws. */
export function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (Array.isArray(current) && typeof key === "number") current = current[key];
    else if (isRecord(current) && typeof key === "string" && Object.prototype.hasOwnProperty.call(current, key)) current = current[key];
    else return undefined;
  }
  return current;
}
