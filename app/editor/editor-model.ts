/**
 * The editor's view of a plan: React Flow nodes and edges, the plan nodes'
 * configuration ("specs") kept beside them by node id, and the conversions to
 * and from the plan document. A node's id is its React Flow id; its position
 * lives on the React Flow node and is written back on save. Specs live outside
 * React Flow's nodes so that typing in a form changes one map entry, not the
 * 2,000-element array React Flow would re-process on every keystroke.
 */
import { MarkerType, type Edge, type EdgeMarker, type Node } from "@xyflow/react";
import { layoutPlan } from "@/lib/library/layout-plan";
import { PLAN_FORMAT_VERSION, type EdgeCondition, type OperationType } from "@/lib/plan/schema";

/** A node's configuration as drawn: the plan node without id and position; params may be incomplete. */
export interface OperationSpec {
  type: OperationType;
  label?: string;
  retries?: number;
  timeoutMs?: number;
  checkpoint?: boolean;
  params: Record<string, unknown>;
}

/**
 * Serialisable and constant for a node's life. `spec` is the configuration the
 * node was loaded or created with, for read-only views of a plan (the run
 * view); the editor's live configuration is {@link EditorGraph.specs}, which
 * typing updates without touching React Flow's nodes.
 */
export type OperationData = { kind: OperationType; spec: OperationSpec };
export type OperationFlowNode = Node<OperationData, OperationType>;

export type DependencyData = { when: EdgeCondition; explicitId?: string };
export type DependencyFlowEdge = Edge<DependencyData, "dependency">;

/** Plan-level fields: everything in the document except nodes and edges. */
export interface PlanMeta {
  $schema?: string;
  formatVersion: number;
  name: string;
  description: string;
  settings: Record<string, unknown>;
}

export interface EditorGraph {
  meta: PlanMeta;
  nodes: OperationFlowNode[];
  edges: DependencyFlowEdge[];
  /** Node id → configuration; replaced (never mutated) on every change. */
  specs: ReadonlyMap<string, OperationSpec>;
}

const OPERATION_TYPE_SET = new Set<string>(["file.write", "file.edit", "file.delete", "file.move", "file.read", "search", "shell"]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The params a new node starts with: every field a person fills in, present and empty. */
export function defaultParams(type: OperationType): Record<string, unknown> {
  switch (type) {
    case "file.write":
      return { path: "", content: "", ifExists: "overwrite" };
    case "file.edit":
      return { path: "", edits: [{ find: "", replace: "" }] };
    case "file.delete":
      return { path: "", missingOk: false };
    case "file.move":
      return { from: "", to: "", overwrite: false };
    case "file.read":
      return { paths: [], maxBytes: 1024 * 1024 };
    case "search":
      return { pattern: "", regex: false, glob: "**/*", caseSensitive: true, maxMatches: 1000 };
    case "shell":
      return { command: "", cwd: ".", env: {}, background: false, keepRunning: false };
  }
}

/** Short id stems per kind, for generated ids like `write-3`. */
export const ID_STEM: Record<OperationType, string> = {
  "file.write": "write",
  "file.edit": "edit",
  "file.delete": "delete",
  "file.move": "move",
  "file.read": "read",
  search: "search",
  shell: "shell",
};

/** The first `stem-N` not in `taken`. */
export function freeId(stem: string, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n += 1) {
    const id = `${stem}-${n}`;
    if (!taken.has(id)) return id;
  }
}

export function edgeFlowId(from: string, to: string, explicitId?: string): string {
  return explicitId ?? `${from}->${to}`;
}

/** One arrowhead object for every edge: it points at the node that waits. */
const ARROWHEAD: EdgeMarker = { type: MarkerType.ArrowClosed, width: 16, height: 16 };

export function makeEdge(from: string, to: string, when: EdgeCondition, explicitId?: string): DependencyFlowEdge {
  return {
    id: edgeFlowId(from, to, explicitId),
    source: from,
    target: to,
    type: "dependency",
    markerEnd: ARROWHEAD,
    data: explicitId ? { when, explicitId } : { when },
  };
}

/**
 * Reads a stored document (valid or a draft) into the editor. Nodes without
 * positions are laid out, so imported plans open readable.
 */
export function graphFromDocument(document: unknown): EditorGraph {
  const doc = isRecord(document) ? document : {};
  const rawNodes = Array.isArray(doc.nodes) ? doc.nodes.filter(isRecord) : [];
  const rawEdges = Array.isArray(doc.edges) ? doc.edges.filter(isRecord) : [];
  const meta: PlanMeta = {
    ...(typeof doc.$schema === "string" ? { $schema: doc.$schema } : {}),
    formatVersion: typeof doc.formatVersion === "number" ? doc.formatVersion : PLAN_FORMAT_VERSION,
    name: typeof doc.name === "string" ? doc.name : "",
    description: typeof doc.description === "string" ? doc.description : "",
    settings: isRecord(doc.settings) ? doc.settings : {},
  };
  const edges = rawEdges.map((edge) =>
    makeEdge(
      String(edge.from ?? ""),
      String(edge.to ?? ""),
      edge.when === "failure" || edge.when === "always" ? edge.when : "success",
      typeof edge.id === "string" ? edge.id : undefined,
    ),
  );
  const needsLayout = rawNodes.some((node) => !isRecord(node.position));
  const laidOut = needsLayout
    ? layoutPlan({
        nodes: rawNodes.map((node) => ({ id: String(node.id ?? "") })),
        edges: edges.map((edge) => ({ from: edge.source, to: edge.target })),
      })
    : null;
  const specs = new Map<string, OperationSpec>();
  const nodes = rawNodes.map((node): OperationFlowNode => {
    const id = String(node.id ?? "");
    const type = (OPERATION_TYPE_SET.has(String(node.type)) ? node.type : "shell") as OperationType;
    const spec: OperationSpec = { type, params: isRecord(node.params) ? node.params : {} };
    if (typeof node.label === "string") spec.label = node.label;
    if (typeof node.retries === "number") spec.retries = node.retries;
    if (typeof node.timeoutMs === "number") spec.timeoutMs = node.timeoutMs;
    if (typeof node.checkpoint === "boolean") spec.checkpoint = node.checkpoint;
    const stored = isRecord(node.position) ? { x: Number(node.position.x) || 0, y: Number(node.position.y) || 0 } : null;
    specs.set(id, spec);
    return {
      id,
      type,
      position: laidOut?.get(id) ?? stored ?? { x: 0, y: 0 },
      ariaLabel: `${type} ${spec.label || id}`,
      data: { kind: type, spec },
    };
  });
  return { meta, nodes, edges, specs };
}

/** The plan document the editor shows, in the schema's key order. */
export function documentFromGraph(graph: EditorGraph): Record<string, unknown> {
  const { meta } = graph;
  return {
    ...(meta.$schema ? { $schema: meta.$schema } : {}),
    formatVersion: meta.formatVersion,
    name: meta.name,
    description: meta.description,
    settings: meta.settings,
    nodes: graph.nodes.map((node) => {
      const { type, label, retries, timeoutMs, checkpoint, params } = graph.specs.get(node.id) ?? node.data.spec;
      return {
        id: node.id,
        ...(label !== undefined ? { label } : {}),
        position: { x: Math.round(node.position.x), y: Math.round(node.position.y) },
        ...(retries !== undefined ? { retries } : {}),
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
        ...(checkpoint !== undefined ? { checkpoint } : {}),
        type,
        params,
      };
    }),
    edges: graph.edges.map((edge) => ({
      ...(edge.data?.explicitId ? { id: edge.data.explicitId } : {}),
      from: edge.source,
      to: edge.target,
      when: edge.data?.when ?? "success",
    })),
  };
}
