/**
 * What changed between two versions of a plan, for the editor's version
 * history and for reviewing a save: nodes and edges added, removed and
 * changed (with which fields), settings and plan fields changed, and nodes
 * that only moved on the canvas (kept apart, since moving changes nothing
 * about a run).
 */
import { edgeIdOf, type PlanDocument, type PlanEdge, type PlanNode } from "./schema";
import type { JsonLike } from "./canonical-json";
import { canonicalJson } from "./canonical-json";

/** One node or edge present in both versions but different. */
export interface ChangedItem {
  id: string;
  /** Dotted paths of the fields that differ, e.g. `params.path`, `params.edits[1].replace`, `type`. */
  fields: string[];
}

/** Added, removed and changed items of one kind, ids sorted. */
export interface ItemDiff {
  added: string[];
  removed: string[];
  changed: ChangedItem[];
}

/** The difference between two plan versions. */
export interface PlanDiff {
  nodes: ItemDiff;
  /** Edges are matched by their id (see `edgeIdOf`). */
  edges: ItemDiff;
  /** Nodes whose only difference is their position. */
  moved: string[];
  /** Changed settings, e.g. `concurrency`. */
  settings: string[];
  /** Changed plan fields other than nodes, edges and settings, e.g. `name`. */
  plan: string[];
  /** True when nothing but node positions differs. */
  layoutOnly: boolean;
}

/**
 * Compares two versions. Pass parsed plans, so a default written out in one
 * version and left out in the other does not count as a change.
 *
 * @example
 * const diff = diffPlans(previous, current);
 * diff.nodes.changed; // [{ id: "build", fields: ["params.command"] }]
 */
export function diffPlans(before: PlanDocument, after: PlanDocument): PlanDiff {
  const nodes = diffItems(before.nodes, after.nodes, (node) => node.id, ["position"]);
  const positionBefore = new Map(before.nodes.map((node: PlanNode) => [node.id, node.position]));
  const moved = after.nodes
    .filter((node) => positionBefore.has(node.id) && !sameValue(positionBefore.get(node.id), node.position))
    .map((node) => node.id)
    .sort(compare);
  const edges = diffItems(before.edges, after.edges, (edge: PlanEdge) => edgeIdOf(edge), []);
  const settings = changedFields(before.settings as unknown as JsonLike, after.settings as unknown as JsonLike, "");
  const plan = (["name", "description", "formatVersion"] as const).filter((key) => !sameValue(before[key], after[key]));
  const layoutOnly =
    nodes.added.length + nodes.removed.length + nodes.changed.length === 0 &&
    edges.added.length + edges.removed.length + edges.changed.length === 0 &&
    settings.length === 0 &&
    plan.length === 0;
  return { nodes, edges, moved, settings, plan, layoutOnly };
}

function diffItems<T>(before: readonly T[], after: readonly T[], idOf: (item: T) => string, ignored: readonly string[]): ItemDiff {
  const old = new Map(before.map((item) => [idOf(item), item]));
  const current = new Map(after.map((item) => [idOf(item), item]));
  const added = [...current.keys()].filter((id) => !old.has(id)).sort(compare);
  const removed = [...old.keys()].filter((id) => !current.has(id)).sort(compare);
  const changed: ChangedItem[] = [];
  for (const [id, item] of current) {
    const previous = old.get(id);
    if (previous === undefined) continue;
    const fields = changedFields(previous as unknown as JsonLike, item as unknown as JsonLike, "").filter(
      (field) => !ignored.some((prefix) => field === prefix || field.startsWith(`${prefix}.`)),
    );
    if (fields.length > 0) changed.push({ id, fields });
  }
  changed.sort((a, b) => compare(a.id, b.id));
  return { added, removed, changed };
}

/**
 * Leaf paths where two values differ. Objects are compared key by key and
 * arrays of equal length item by item; arrays whose length changed are
 * reported as a whole (an edit inserted in the middle shifts every index).
 */
function changedFields(before: JsonLike, after: JsonLike, path: string): string[] {
  if (sameValue(before, after)) return [];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(compare);
    return keys.flatMap((key) => changedFields(before[key], after[key], path === "" ? key : `${path}.${key}`));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return (before as readonly JsonLike[]).flatMap((item, index) =>
      changedFields(item, (after as readonly JsonLike[])[index], `${path}[${index}]`),
    );
  }
  return [path === "" ? "(value)" : path];
}

function isObject(value: JsonLike): value is { readonly [key: string]: JsonLike } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function sameValue(a: unknown, b: unknown): boolean {
  return canonicalJson(a as JsonLike) === canonicalJson(b as JsonLike);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
