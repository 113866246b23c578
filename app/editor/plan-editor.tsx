"use client";

import "@xyflow/react/dist/style.css";
import "../_components/ui.css";
import "./editor.css";
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from "react";
import { useRouter } from "next/navigation";
import { Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, useReactFlow, type Viewport } from "@xyflow/react";
import { OPERATION_TYPES, type OperationType } from "@/lib/plan/schema";
import { serializePlanJson } from "@/lib/library/plan-json";
import { queryKeys } from "@/lib/query-keys";
import { savePlan } from "../actions/save-plan";
import { restorePlanVersion } from "../actions/restore-plan-version";
import { getPlanVersion } from "../actions/get-plan-version";
import { unwrap, useActionMutation } from "../_components/use-action-mutation";
import { EditorStoreContext, useEditorSelector, useEditorStore } from "./editor-context";
import { documentFromGraph, graphFromDocument, type DependencyFlowEdge, type OperationFlowNode } from "./editor-model";
import { EditorStore } from "./editor-store";
import { nodeTypes } from "./operation-nodes";
import { edgeTypes } from "./dependency-edge";
import { Palette, PALETTE_MIME } from "./palette";
import { Inspector } from "./inspector";
import { OptimizerPanel } from "./optimizer-panel";
import { HistoryPanel } from "./history-panel";
import { SaveDialog } from "./save-dialog";
import { BatchGroups } from "./batch-groups";
import { CanvasMiniMap } from "./canvas-minimap";

export interface PlanEditorProps {
  planId: string;
  version: { number: number; document: unknown; isDraft: boolean; authorName: string; createdAtText: string };
}

/** The visual plan editor: palette, React Flow canvas, inspector / optimizer / history side panel. */
export function PlanEditor({ planId, version }: PlanEditorProps) {
  const [store] = useState(() => new EditorStore(graphFromDocument(version.document), version.number));
  useEffect(() => {
    store.scheduleValidation();
    return () => store.dispose();
  }, [store]);
  return (
    <EditorStoreContext.Provider value={store}>
      <ReactFlowProvider>
        <EditorLayout planId={planId} openedDraft={version.isDraft} />
      </ReactFlowProvider>
    </EditorStoreContext.Provider>
  );
}

type Tab = "inspector" | "optimizer" | "history";
const EDITABLE = "input, textarea, select, [contenteditable='true']";
/** Large plans open at a readable zoom around their centre instead of shrinking every node to a dot. */
const FIT_VIEW_OPTIONS = { minZoom: 0.5, maxZoom: 1.2, padding: 0.15 };

/**
 * Above this many nodes the canvas drops React Flow's moving dot background
 * (repainted on every pan frame) for a static one; software-rendered browsers
 * spend most of a pan frame rasterising it.
 */
const LARGE_PLAN_NODES = 300;

/** Most nodes fitted into view on open; a larger plan opens on its first columns (where it starts). */
const OPENING_VIEW_NODES = 60;

function openingView(nodes: readonly OperationFlowNode[]): typeof FIT_VIEW_OPTIONS & { nodes?: { id: string }[] } {
  if (nodes.length <= OPENING_VIEW_NODES) return FIT_VIEW_OPTIONS;
  const first = [...nodes].sort((a, b) => a.position.x - b.position.x || a.position.y - b.position.y).slice(0, OPENING_VIEW_NODES);
  return { ...FIT_VIEW_OPTIONS, nodes: first.map((node) => ({ id: node.id })) };
}

interface FlowRect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * Level of detail for large plans: React Flow is handed only the edges with
 * an end within a window around the view (half a screen of margin each side),
 * plus selected edges. Edges of a dense plan cross the view by the hundred,
 * and rasterising them was most of a pan frame; the window moves only when
 * the view nears its edge, so panning does not churn the edge list.
 */
function useEdgesNearView(edges: DependencyFlowEdge[], nodes: OperationFlowNode[], enabled: boolean) {
  const [edgeWindow, setEdgeWindow] = useState<FlowRect | null>(null);
  const current = useRef<FlowRect | null>(null);
  // The canvas size, kept by a ResizeObserver: measuring it on every pan frame would force a layout per frame.
  const paneSize = useRef<{ width: number; height: number } | null>(null);
  useEffect(() => {
    const canvas = document.querySelector(".editor-canvas");
    if (!enabled || !canvas) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) paneSize.current = { width: entry.contentRect.width, height: entry.contentRect.height };
    });
    observer.observe(canvas);
    return () => observer.disconnect();
  }, [enabled]);
  const onMove = useCallback(
    (_event: unknown, viewport: Viewport) => {
      if (!enabled) return;
      paneSize.current ??= document.querySelector(".editor-canvas")?.getBoundingClientRect() ?? null;
      const pane = paneSize.current;
      if (!pane) return;
      const view = { left: -viewport.x / viewport.zoom, top: -viewport.y / viewport.zoom, right: (pane.width - viewport.x) / viewport.zoom, bottom: (pane.height - viewport.y) / viewport.zoom };
      const width = view.right - view.left;
      const height = view.bottom - view.top;
      const held = current.current;
      const inside = held && view.left - width / 8 >= held.left && view.right + width / 8 <= held.right && view.top - height / 8 >= held.top && view.bottom + height / 8 <= held.bottom;
      const tooLoose = held && held.right - held.left > 6 * width;
      if (inside && !tooLoose) return;
      const next = { left: view.left - width / 2, top: view.top - height / 2, right: view.right + width / 2, bottom: view.bottom + height / 2 };
      current.current = next;
      setEdgeWindow(next);
    },
    [enabled],
  );
  const shownEdges = useMemo(() => {
    if (!enabled || !edgeWindow) return edges;
    const inWindow = new Set<string>();
    for (const node of nodes) {
      const { x, y } = node.position;
      if (x + 240 >= edgeWindow.left && x <= edgeWindow.right && y + 80 >= edgeWindow.top && y <= edgeWindow.bottom) inWindow.add(node.id);
    }
    return edges.filter((edge) => edge.selected || inWindow.has(edge.source) || inWindow.has(edge.target));
  }, [edges, nodes, enabled, edgeWindow]);
  return { shownEdges, onMove };
}

/** False until `delayMs` after `ready`: the minimap of a large plan draws every node, so it waits until the canvas is loaded. */
function useDeferredMount(delayMs: number, ready = true): boolean {
  const [mounted, setMounted] = useState(false);
  useEffect(() => {
    if (!ready) return;
    const timer = setTimeout(() => setMounted(true), delayMs);
    return () => clearTimeout(timer);
  }, [delayMs, ready]);
  return mounted;
}

/** Nodes handed to React Flow per step while a large plan loads in the background. */
const LOAD_CHUNK = 250;

/**
 * Opens a large plan with only the nodes around its opening view, then hands
 * React Flow the rest in chunks, nearest first. React Flow renders every node
 * it has not measured yet, whatever the view, so giving it 2,000 at once
 * means drawing and measuring all of them before the first useful frame.
 * Edges wait until both their ends are loaded. Nodes added while loading
 * (drop, paste) are never held back.
 */
function useProgressiveNodes(nodes: OperationFlowNode[], edges: DependencyFlowEdge[], opening: { nodes?: { id: string }[] } | null) {
  const pending = useRef<Set<string> | null>(null);
  const order = useRef<string[]>([]);
  const [, setLoadedChunks] = useState(0);
  if (pending.current === null) {
    pending.current = new Set();
    if (opening?.nodes) {
      const first = new Set(opening.nodes.map((node) => node.id));
      const seeds = nodes.filter((node) => first.has(node.id));
      const xs = seeds.map((node) => node.position.x);
      const ys = seeds.map((node) => node.position.y);
      const [left, right, top, bottom] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
      // Generous margins: the view fitted around the first nodes may be wider than they are (zoom is clamped).
      const [cx, cy, halfWidth, halfHeight] = [(left + right) / 2, (top + bottom) / 2, (right - left) / 2 + 2000, (bottom - top) / 2 + 1200];
      const distance = (node: OperationFlowNode) => Math.hypot(node.position.x - cx, node.position.y - cy);
      const later = nodes.filter((node) => Math.abs(node.position.x - cx) > halfWidth || Math.abs(node.position.y - cy) > halfHeight);
      later.sort((a, b) => distance(a) - distance(b));
      order.current = later.map((node) => node.id);
      pending.current = new Set(order.current);
    }
  }
  const loading = pending.current.size > 0;
  useEffect(() => {
    if (!loading) return;
    const timer = setTimeout(() => {
      const batch = order.current.splice(0, LOAD_CHUNK);
      for (const id of batch) pending.current?.delete(id);
      setLoadedChunks((count) => count + 1);
    }, 50);
    return () => clearTimeout(timer);
  });
  const held = pending.current;
  const loadedNodes = useMemo(() => (held.size ? nodes.filter((node) => !held.has(node.id) || node.selected) : nodes), [nodes, held, held.size]);
  const loadedEdges = useMemo(
    () => (held.size ? edges.filter((edge) => !held.has(edge.source) && !held.has(edge.target)) : edges),
    [edges, held, held.size],
  );
  return { loadedNodes, loadedEdges, loading };
}

function isOperationType(value: string): value is OperationType {
  return (OPERATION_TYPES as readonly string[]).includes(value);
}

function EditorLayout({ planId, openedDraft }: { planId: string; openedDraft: boolean }) {
  const store = useEditorStore();
  const router = useRouter();
  const flow = useReactFlow<OperationFlowNode>();
  const nodes = useEditorSelector((state) => state.graph.nodes);
  const edges = useEditorSelector((state) => state.graph.edges);
  const name = useEditorSelector((state) => state.graph.meta.name);
  const baseVersion = useEditorSelector((state) => state.baseVersion);
  const dirty = useEditorSelector((state) => state.revision !== state.savedRevision);
  const problemCount = useEditorSelector((state) => state.validation.problems.length);
  const canUndo = useEditorSelector((state) => state.past.length > 0);
  const canRedo = useEditorSelector((state) => state.future.length > 0);
  const overlayOn = useEditorSelector((state) => state.overlayOn);
  const selectedId = useEditorSelector((state) => state.graph.nodes.find((node) => node.selected)?.id ?? null);
  // Fit only a plan that has nodes when opened: fitting an empty canvas would jump the view on the first drop.
  const [fitOnOpen] = useState(() => store.getState().graph.nodes.length > 0);
  const [fitViewOptions] = useState(() => openingView(store.getState().graph.nodes));
  const [tab, setTab] = useState<Tab>("inspector");
  const [largePlan] = useState(() => store.getState().graph.nodes.length > LARGE_PLAN_NODES);
  const { loadedNodes, loadedEdges, loading } = useProgressiveNodes(nodes, edges, largePlan ? fitViewOptions : null);
  const miniMapShown = useDeferredMount(largePlan ? 300 : 0, !loading);
  const { shownEdges, onMove: onMoveEdges } = useEdgesNearView(loadedEdges, nodes, largePlan);
  const [saving, setSaving] = useState(false);
  const [stale, setStale] = useState<string | null>(null);
  const [savedAsDraft, setSavedAsDraft] = useState(openedDraft);
  const [toast, setToast] = useState<string | null>(null);

  const save = useActionMutation(savePlan, [queryKeys.plans.lists(), queryKeys.plans.detail(planId)]);
  const restore = useActionMutation(restorePlanVersion, [queryKeys.plans.lists(), queryKeys.plans.detail(planId)]);

  useEffect(() => {
    if (selectedId) setTab("inspector");
  }, [selectedId]);

  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(null), 2500);
    return () => clearTimeout(timer);
  }, [toast]);

  // Leaving with unsaved changes: the browser asks on reload/close; in-app links ask here.
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = "";
    };
    const onClick = (event: MouseEvent) => {
      const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
      if (!link || link.hasAttribute("download") || link.getAttribute("target") === "_blank") return;
      if (!window.confirm("This plan has unsaved changes. Leave without saving them?")) {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    document.addEventListener("click", onClick, true);
    return () => {
      window.removeEventListener("beforeunload", onBeforeUnload);
      document.removeEventListener("click", onClick, true);
    };
  }, [dirty]);

  const doSave = (message: string, asDraft: boolean) => {
    const { graph, revision } = store.getState();
    store.validateNow();
    save.mutate(
      { planId, baseVersion: store.getState().baseVersion, document: documentFromGraph(graph), message, asDraft },
      {
        onSuccess: (saved) => {
          store.markSaved(saved.number, revision);
          setSavedAsDraft(saved.isDraft);
          setSaving(false);
          setToast(`Saved v${saved.number}${saved.isDraft ? " as a draft" : ""}`);
          // Server-rendered parts of the page (the run bar) show the newest version; the editor's state is kept.
          router.refresh();
        },
        onError: (error) => {
          if (error.code === "stale") {
            setSaving(false);
            setStale(error.message);
          }
        },
      },
    );
  };

  const doRestore = (number: number) => {
    if (store.getState().revision !== store.getState().savedRevision && !window.confirm("Restoring discards your unsaved changes. Continue?")) return;
    restore.mutate(
      { planId, number, baseVersion: store.getState().baseVersion },
      {
        onSuccess: async (saved) => {
          const restored = await unwrap(getPlanVersion({ planId, number: saved.number }));
          store.replaceGraph(graphFromDocument(restored.document), saved.number);
          setSavedAsDraft(saved.isDraft);
          setToast(`Restored v${number} as v${saved.number}`);
          router.refresh();
        },
        onError: (error) => error.code === "stale" && setStale(error.message),
      },
    );
  };

  const addAt = useCallback(
    (type: OperationType, clientX?: number, clientY?: number) => {
      const pane = document.querySelector(".editor-canvas")?.getBoundingClientRect();
      const x = clientX ?? (pane ? pane.left + pane.width / 2 : 400);
      const y = clientY ?? (pane ? pane.top + pane.height / 2 : 300);
      const position = flow.screenToFlowPosition({ x, y });
      store.addNode(type, { x: Math.round(position.x - 110), y: Math.round(position.y - 32) });
      setTab("inspector");
    },
    [flow, store],
  );

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    const type = event.dataTransfer.getData(PALETTE_MIME);
    if (isOperationType(type)) addAt(type, event.clientX, event.clientY);
  };

  // Keyboard shortcuts; React Flow itself handles Delete/Backspace, selection and Shift-drag boxes.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const mod = event.ctrlKey || event.metaKey;
      if (!mod) return;
      const key = event.key.toLowerCase();
      if (key === "s") {
        event.preventDefault();
        setSaving(true);
        return;
      }
      if (event.target instanceof Element && event.target.closest(EDITABLE)) return;
      if (key === "z" && !event.shiftKey) store.undo();
      else if ((key === "z" && event.shiftKey) || key === "y") store.redo();
      else if (key === "c") {
        const count = store.copySelection();
        if (count) setToast(`Copied ${count} node${count === 1 ? "" : "s"}`);
        return;
      } else if (key === "v") store.paste();
      else if (key === "a") store.selectOnly(store.getState().graph.nodes.map((node) => node.id));
      else return;
      event.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [store]);

  const focusNodes = (ids: string[]) => {
    store.selectOnly(ids);
    void flow.fitView({ nodes: ids.map((id) => ({ id })), duration: 300, maxZoom: 1.2, padding: 0.3 });
  };

  const exportCurrent = () => {
    const blob = new Blob([serializePlanJson(documentFromGraph(store.getState().graph))], { type: "application/json" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "unsaved-changes.plan.json";
    link.setAttribute("download", link.download);
    link.click();
    URL.revokeObjectURL(link.href);
  };

  return (
    <div className="editor">
      <div className="editor-head">
        <div>
          <h1>{name || "Untitled plan"}</h1>
          <p className="editor-sub">
            <span>
              v{baseVersion}
              {savedAsDraft && <span className="op-pill">draft</span>}
            </span>
            <span data-testid="plan-counts">
              {nodes.length} operations, {edges.length} dependencies
            </span>
            {problemCount > 0 ? (
              <span className="problems-count" data-testid="problem-count">
                {problemCount} problem{problemCount === 1 ? "" : "s"}
              </span>
            ) : (
              <span className="ok-count">valid</span>
            )}
            {dirty && <span className="unsaved" data-testid="unsaved">unsaved changes</span>}
          </p>
        </div>
        <div className="editor-toolbar" role="toolbar" aria-label="Editor">
          <button type="button" className="button button-small" disabled={!canUndo} onClick={() => store.undo()} title="Undo (Ctrl+Z)">
            Undo
          </button>
          <button type="button" className="button button-small" disabled={!canRedo} onClick={() => store.redo()} title="Redo (Ctrl+Shift+Z)">
            Redo
          </button>
          <button
            type="button"
            className="button button-small"
            onClick={() => {
              store.autoLayout();
              requestAnimationFrame(() => void flow.fitView({ ...FIT_VIEW_OPTIONS, duration: 200 }));
            }}
          >
            Auto layout
          </button>
          <button
            type="button"
            className={`button button-small${overlayOn ? " is-on" : ""}`}
            aria-pressed={overlayOn}
            onClick={() => {
              store.setOverlay(!overlayOn);
              if (!overlayOn) setTab("optimizer");
            }}
          >
            Optimizer overlay
          </button>
          <a className="button button-small" href={`/plans/${planId}/export?version=${baseVersion}`} download>
            Export v{baseVersion}
          </a>
          <button type="button" className="button button-small button-primary" onClick={() => setSaving(true)} title="Save (Ctrl+S)">
            Save…
          </button>
        </div>
      </div>

      {stale && (
        <div className="notice notice-error" role="alert" data-testid="stale-warning">
          {stale}. Someone saved this plan while you were editing; your changes are not saved and nothing of theirs was overwritten.{" "}
          <button type="button" className="button button-small" onClick={exportCurrent}>
            Download my changes
          </button>{" "}
          <button
            type="button"
            className="button button-small"
            onClick={() => {
              store.markSaved(store.getState().baseVersion, store.getState().revision);
              window.location.reload();
            }}
          >
            Load the newest version
          </button>
        </div>
      )}
      {toast && (
        <div className="toast" role="status">
          {toast}
        </div>
      )}

      <div className="editor-body">
        <Palette onAdd={(type) => addAt(type)} />
        <div className={`editor-canvas${largePlan ? " is-large" : ""}`} data-loading={loading} onDrop={onDrop} onDragOver={(event) => {
          event.preventDefault();
          event.dataTransfer.dropEffect = "move";
        }}>
          <ReactFlow
            nodes={loadedNodes}
            edges={shownEdges}
            nodeTypes={nodeTypes}
            edgeTypes={edgeTypes}
            onNodesChange={store.onNodesChange}
            onEdgesChange={store.onEdgesChange}
            onConnect={store.onConnect}
            onNodeDragStart={store.onNodeDragStart}
            deleteKeyCode={["Backspace", "Delete"]}
            fitView={fitOnOpen}
            fitViewOptions={fitViewOptions}
            minZoom={0.05}
            onlyRenderVisibleElements
            onMove={onMoveEdges}
            onInit={(instance) => onMoveEdges(null, instance.getViewport())}
          >
            {!largePlan && <Background gap={20} />}
            {largePlan ? miniMapShown && <CanvasMiniMap /> : <MiniMap pannable zoomable nodeStrokeWidth={3} ariaLabel="Mini map" />}
            <Controls />
            <BatchGroups />
          </ReactFlow>
          {nodes.length === 0 && (
            <div className="canvas-empty" data-testid="canvas-empty">
              <strong>An empty plan</strong>
              <span>Drag an operation from the palette onto the canvas (or click it), then join nodes by dragging from a node&apos;s right handle to another&apos;s left one.</span>
            </div>
          )}
        </div>
        <aside className="side-panel">
          <div className="tabs" role="tablist">
            {(["inspector", "optimizer", "history"] as const).map((name) => (
              <button key={name} type="button" role="tab" aria-selected={tab === name} className="tab" onClick={() => setTab(name)}>
                {name === "inspector" ? "Inspector" : name === "optimizer" ? "Optimizer" : "History"}
              </button>
            ))}
          </div>
          <div className="side-body">
            {tab === "inspector" && <Inspector />}
            {tab === "optimizer" && <OptimizerPanel onFocusNodes={focusNodes} />}
            {tab === "history" && <HistoryPanel planId={planId} currentVersion={baseVersion} onRestore={doRestore} restoring={restore.isPending} />}
          </div>
        </aside>
      </div>

      {saving && (
        <SaveDialog
          problemCount={problemCount}
          pending={save.isPending}
          error={save.error && save.error.code !== "stale" ? save.error.message : null}
          onSave={doSave}
          onClose={() => setSaving(false)}
        />
      )}
    </div>
  );
}
