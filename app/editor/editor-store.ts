/**
 * The editor's state outside React: the graph, undo/redo history, the
 * latest validation and the optimizer overlay. Components subscribe to
 * slices (`useEditorSelector`), so typing in one node's form re-renders that
 * node, not two thousand of them.
 */
import { applyEdgeChanges, applyNodeChanges, type Connection, type EdgeChange, type NodeChange, type XYPosition } from "@xyflow/react";
import { layoutPlan } from "@/lib/library/layout-plan";
import type { HazardFix } from "@/lib/plan/execution-plan";
import type { EdgeCondition, OperationType, PlanDocument } from "@/lib/plan/schema";
import type { PlanValidation } from "@/lib/plan/validate-plan";
import {
  defaultParams,
  documentFromGraph,
  edgeFlowId,
  freeId,
  ID_STEM,
  makeEdge,
  type DependencyFlowEdge,
  type EditorGraph,
  type OperationFlowNode,
  type OperationSpec,
  type PlanMeta,
} from "./editor-model";
import { EMPTY_VALIDATION, indexValidation, overlayOf, validationViewOf, type OverlayView, type ValidationView } from "./plan-views";

export interface EditorState {
  graph: EditorGraph;
  past: EditorGraph[];
  future: EditorGraph[];
  /** Bumped on every change to the plan's content (not selection); compared with `savedRevision` for "unsaved". */
  revision: number;
  savedRevision: number;
  /** The version this editor started from; the next save must be based on it. */
  baseVersion: number;
  validation: ValidationView;
  overlayOn: boolean;
  overlay: OverlayView | null;
}

const HISTORY_LIMIT = 200;
const COALESCE_MS = 1000;
/** Validation waits for a pause in typing: longer on large plans, where sending the plan to the worker costs a few ms. */
const VALIDATE_DELAY_MS = 120;
const VALIDATE_DELAY_LARGE_MS = 400;
const DEFER_VALIDATION_ABOVE = 300;

/** What validation.worker.ts answers. */
interface ValidationAnswer {
  id: number;
  result: PlanValidation;
  shaped: PlanDocument | null;
}

interface Clipboard {
  nodes: OperationFlowNode[];
  edges: DependencyFlowEdge[];
  specs: Map<string, OperationSpec>;
}

export class EditorStore {
  private state: EditorState;
  private readonly listeners = new Set<() => void>();
  private lastCheckpoint: { key: string; at: number } | null = null;
  private validateTimer: ReturnType<typeof setTimeout> | null = null;
  private worker: Worker | null = null;
  private validationRequest = 0;
  private clipboard: Clipboard | null = null;
  private pasteCount = 0;

  constructor(graph: EditorGraph, baseVersion: number) {
    // A large plan is shown first and validated right after (the editor schedules it once mounted).
    const deferValidation = graph.nodes.length > DEFER_VALIDATION_ABOVE;
    const initial = deferValidation ? { view: EMPTY_VALIDATION, plan: null } : validationViewOf(documentFromGraph(graph));
    this.state = {
      graph,
      past: [],
      future: [],
      revision: 0,
      savedRevision: 0,
      baseVersion,
      validation: initial.view,
      overlayOn: false,
      overlay: null,
    };
    this.latestPlan = initial.plan;
  }

  private latestPlan: PlanDocument | null;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): EditorState => this.state;

  private set(patch: Partial<EditorState>) {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }

  /** Records the current graph for undo. Calls with the same `key` within a second make one undo step (typing). */
  checkpoint(key?: string) {
    const now = Date.now();
    if (key && this.lastCheckpoint?.key === key && now - this.lastCheckpoint.at < COALESCE_MS) {
      this.lastCheckpoint.at = now;
      return;
    }
    this.lastCheckpoint = key ? { key, at: now } : null;
    const past = [...this.state.past, this.state.graph].slice(-HISTORY_LIMIT);
    this.state = { ...this.state, past, future: [] };
  }

  private commit(graph: EditorGraph, options: { validate?: boolean } = {}) {
    this.set({ graph, revision: this.state.revision + 1 });
    if (options.validate !== false) this.scheduleValidation();
  }

  /** Validates (and refreshes the overlay) shortly after the last change, not on every keystroke. */
  scheduleValidation() {
    if (this.validateTimer) clearTimeout(this.validateTimer);
    this.validateTimer = setTimeout(
      () => {
        this.validateTimer = null;
        this.validateInBackground();
      },
      this.state.graph.nodes.length > DEFER_VALIDATION_ABOVE ? VALIDATE_DELAY_LARGE_MS : VALIDATE_DELAY_MS,
    );
  }

  /** Validates in a worker when the browser has them; only the newest request's answer is applied. */
  private validateInBackground() {
    const worker = this.validationWorker();
    if (!worker) return this.validateNow();
    this.validationRequest += 1;
    worker.postMessage({ id: this.validationRequest, document: documentFromGraph(this.state.graph) });
  }

  private validationWorker(): Worker | null {
    if (this.worker || typeof Worker === "undefined") return this.worker;
    try {
      this.worker = new Worker(new URL("./validation.worker.ts", import.meta.url), { type: "module" });
    } catch {
      return null;
    }
    this.worker.onmessage = (event: MessageEvent<ValidationAnswer>) => {
      if (event.data.id !== this.validationRequest) return; // a newer edit is being checked
      this.applyValidation(indexValidation(event.data.result), event.data.shaped);
    };
    return this.worker;
  }

  /** Validates on this thread, now: after a fix or a restore, and before saving. */
  validateNow() {
    this.validationRequest += 1; // answers still on their way are older than this
    const { view, plan } = validationViewOf(documentFromGraph(this.state.graph));
    this.applyValidation(view, plan);
  }

  private applyValidation(view: ValidationView, plan: PlanDocument | null) {
    this.latestPlan = plan;
    this.set({ validation: view, overlay: this.state.overlayOn ? overlayOf(plan) : null });
  }

  dispose() {
    if (this.validateTimer) clearTimeout(this.validateTimer);
    this.worker?.terminate();
    this.worker = null;
  }

  // ---- React Flow change handlers -------------------------------------------------

  onNodesChange = (changes: NodeChange<OperationFlowNode>[]) => {
    const removes = changes.some((change) => change.type === "remove");
    if (removes) this.checkpoint("delete");
    const nodes = applyNodeChanges(changes, this.state.graph.nodes);
    const movedDone = changes.some((change) => change.type === "position" && change.dragging === false);
    const contentChanged = removes || movedDone || changes.some((change) => change.type === "add" || change.type === "replace");
    const graph = { ...this.state.graph, nodes };
    if (removes) {
      const alive = new Set(nodes.map((node) => node.id));
      graph.edges = graph.edges.filter((edge) => alive.has(edge.source) && alive.has(edge.target));
    }
    if (contentChanged) this.commit(graph, { validate: removes });
    else this.set({ graph });
  };

  onEdgesChange = (changes: EdgeChange<DependencyFlowEdge>[]) => {
    const removes = changes.some((change) => change.type === "remove");
    if (removes) this.checkpoint("delete");
    const edges = applyEdgeChanges(changes, this.state.graph.edges);
    if (removes) this.commit({ ...this.state.graph, edges });
    else this.set({ graph: { ...this.state.graph, edges } });
  };

  onConnect = (connection: Connection) => {
    const { source, target } = connection;
    if (!source || !target || source === target) return;
    const id = edgeFlowId(source, target);
    if (this.state.graph.edges.some((edge) => edge.id === id)) return;
    this.checkpoint();
    this.commit({ ...this.state.graph, edges: [...this.state.graph.edges, makeEdge(source, target, "success")] });
  };

  onNodeDragStart = () => this.checkpoint();

  // ---- Editing commands -----------------------------------------------------------

  addNode(type: OperationType, position: XYPosition): string {
    const taken = new Set(this.state.graph.nodes.map((node) => node.id));
    const id = freeId(ID_STEM[type], taken);
    this.checkpoint();
    const spec: OperationSpec = { type, params: defaultParams(type) };
    const node: OperationFlowNode = { id, type, position, ariaLabel: `${type} ${id}`, data: { kind: type, spec }, selected: true };
    const nodes = this.state.graph.nodes.map((other) => (other.selected ? { ...other, selected: false } : other));
    const edges = this.state.graph.edges.map((edge) => (edge.selected ? { ...edge, selected: false } : edge));
    const specs = new Map(this.state.graph.specs).set(id, spec);
    this.commit({ ...this.state.graph, nodes: [...nodes, node], edges, specs });
    return id;
  }

  updateSpec(id: string, update: (spec: OperationSpec) => OperationSpec, coalesceKey: string) {
    const current = this.state.graph.specs.get(id);
    if (!current) return;
    this.checkpoint(`${id}:${coalesceKey}`);
    const specs = new Map(this.state.graph.specs).set(id, update(current));
    this.commit({ ...this.state.graph, specs });
  }

  /** Renames a node and every edge touching it. Refuses an id in use. */
  renameNode(oldId: string, newId: string): boolean {
    if (oldId === newId) return true;
    if (!newId || this.state.graph.nodes.some((node) => node.id === newId)) return false;
    this.checkpoint(`${oldId}:rename`);
    const nodes = this.state.graph.nodes.map((node) =>
      node.id === oldId ? { ...node, id: newId, ariaLabel: `${node.type} ${newId}` } : node,
    );
    const edges = this.state.graph.edges.map((edge) => {
      if (edge.source !== oldId && edge.target !== oldId) return edge;
      const source = edge.source === oldId ? newId : edge.source;
      const target = edge.target === oldId ? newId : edge.target;
      return { ...edge, id: edgeFlowId(source, target, edge.data?.explicitId), source, target };
    });
    const specs = new Map(this.state.graph.specs);
    const spec = specs.get(oldId);
    specs.delete(oldId);
    if (spec) specs.set(newId, spec);
    this.commit({ ...this.state.graph, nodes, edges, specs });
    return true;
  }

  setEdgeCondition(edgeId: string, when: EdgeCondition) {
    this.checkpoint();
    const edges = this.state.graph.edges.map((edge) => (edge.id === edgeId ? { ...edge, data: { ...edge.data, when } } : edge));
    this.commit({ ...this.state.graph, edges });
  }

  updateMeta(update: (meta: PlanMeta) => PlanMeta, coalesceKey: string) {
    this.checkpoint(`plan:${coalesceKey}`);
    this.commit({ ...this.state.graph, meta: update(this.state.graph.meta) });
  }

  deleteSelection() {
    const { nodes, edges } = this.state.graph;
    const removed = new Set(nodes.filter((node) => node.selected).map((node) => node.id));
    const keptEdges = edges.filter((edge) => !edge.selected && !removed.has(edge.source) && !removed.has(edge.target));
    if (removed.size === 0 && keptEdges.length === edges.length) return;
    this.checkpoint();
    this.commit({ ...this.state.graph, nodes: nodes.filter((node) => !removed.has(node.id)), edges: keptEdges });
  }

  selectOnly(nodeIds: readonly string[]) {
    const wanted = new Set(nodeIds);
    const nodes = this.state.graph.nodes.map((node) =>
      node.selected === wanted.has(node.id) ? node : { ...node, selected: wanted.has(node.id) },
    );
    const edges = this.state.graph.edges.map((edge) => (edge.selected ? { ...edge, selected: false } : edge));
    this.set({ graph: { ...this.state.graph, nodes, edges } });
  }

  selectEdge(edgeId: string) {
    const nodes = this.state.graph.nodes.map((node) => (node.selected ? { ...node, selected: false } : node));
    const edges = this.state.graph.edges.map((edge) =>
      Boolean(edge.selected) === (edge.id === edgeId) ? edge : { ...edge, selected: edge.id === edgeId },
    );
    this.set({ graph: { ...this.state.graph, nodes, edges } });
  }

  copySelection(): number {
    const nodes = this.state.graph.nodes.filter((node) => node.selected);
    const ids = new Set(nodes.map((node) => node.id));
    const edges = this.state.graph.edges.filter((edge) => ids.has(edge.source) && ids.has(edge.target));
    const specs = new Map(nodes.map((node) => [node.id, this.state.graph.specs.get(node.id) ?? node.data.spec]));
    this.clipboard = { nodes, edges, specs };
    this.pasteCount = 0;
    return nodes.length;
  }

  /** Pastes the copied nodes (with the edges between them) under fresh ids, offset so they are visible. */
  paste(): number {
    if (!this.clipboard || this.clipboard.nodes.length === 0) return 0;
    this.pasteCount += 1;
    const offset = 40 * this.pasteCount;
    const taken = new Set(this.state.graph.nodes.map((node) => node.id));
    const renamed = new Map<string, string>();
    const specs = new Map(this.state.graph.specs);
    const clipboard = this.clipboard;
    const pasted = this.clipboard.nodes.map((node): OperationFlowNode => {
      const id = freeId(`${node.id}-copy`.slice(0, 58), taken);
      taken.add(id);
      renamed.set(node.id, id);
      const spec = structuredClone(clipboard.specs.get(node.id) ?? node.data.spec);
      specs.set(id, spec);
      return {
        ...node,
        id,
        position: { x: node.position.x + offset, y: node.position.y + offset },
        selected: true,
        data: { kind: node.data.kind, spec },
      };
    });
    const pastedEdges = this.clipboard.edges.map((edge) =>
      makeEdge(renamed.get(edge.source) as string, renamed.get(edge.target) as string, edge.data?.when ?? "success"),
    );
    this.checkpoint();
    const nodes = this.state.graph.nodes.map((node) => (node.selected ? { ...node, selected: false } : node));
    this.commit({ ...this.state.graph, nodes: [...nodes, ...pasted], edges: [...this.state.graph.edges, ...pastedEdges], specs });
    return pasted.length;
  }

  undo() {
    const previous = this.state.past.at(-1);
    if (!previous) return;
    this.lastCheckpoint = null;
    this.set({ past: this.state.past.slice(0, -1), future: [this.state.graph, ...this.state.future] });
    this.commit(previous);
  }

  redo() {
    const next = this.state.future[0];
    if (!next) return;
    this.lastCheckpoint = null;
    this.set({ past: [...this.state.past, this.state.graph], future: this.state.future.slice(1) });
    this.commit(next);
  }

  autoLayout() {
    const { nodes, edges } = this.state.graph;
    const positions = layoutPlan({
      nodes: nodes.map((node) => ({ id: node.id, width: node.measured?.width, height: node.measured?.height })),
      edges: edges.map((edge) => ({ from: edge.source, to: edge.target })),
    });
    this.checkpoint();
    this.commit(
      { ...this.state.graph, nodes: nodes.map((node) => ({ ...node, position: positions.get(node.id) ?? node.position })) },
      { validate: false },
    );
  }

  /** Applies an optimizer fix as one undo step; a fix already applied changes nothing and records no step. */
  applyFix(fix: HazardFix) {
    const graph = this.state.graph;
    if (fix.kind === "add-edge") {
      if (graph.edges.some((edge) => edge.source === fix.from && edge.target === fix.to)) return;
      this.checkpoint();
      this.commit({ ...graph, edges: [...graph.edges, makeEdge(fix.from, fix.to, "success")] });
    } else {
      if (!graph.edges.some((edge) => edge.id === fix.edgeId)) return;
      this.checkpoint();
      this.commit({ ...graph, edges: graph.edges.filter((edge) => edge.id !== fix.edgeId) });
    }
    this.validateNow();
  }

  setOverlay(on: boolean) {
    this.set({ overlayOn: on, overlay: on ? overlayOf(this.latestPlan) : null });
  }

  markSaved(version: number, atRevision: number) {
    this.set({ baseVersion: version, savedRevision: atRevision });
  }

  /** Replaces the graph with another version's (restore), as one undoable step. */
  replaceGraph(graph: EditorGraph, version: number) {
    this.checkpoint();
    this.set({ graph, baseVersion: version, revision: this.state.revision + 1, savedRevision: this.state.revision + 1 });
    this.validateNow();
  }
}
