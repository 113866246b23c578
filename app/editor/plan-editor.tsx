"use client";

import "@xyflow/react/dist/style.css";
import "../_components/ui.css";
import "./editor.css";
import { useCallback, useEffect, useRef, useState, type DragEvent } from "react";
import { useRouter } from "next/navigation";
import { Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, useReactFlow, useStore } from "@xyflow/react";
import { OPERATION_TYPES, type OperationType } from "@/lib/plan/schema";
import { queryKeys } from "@/app/_components/query-keys";
import { savePlan } from "../actions/save-plan";
import { restorePlanVersion } from "../actions/restore-plan-version";
import { getPlanVersion } from "../actions/get-plan-version";
import { unwrap, useActionMutation } from "../_components/use-action-mutation";
import { EditorStoreContext, useEditorSelector, useEditorStore } from "./editor-context";
import { documentFromGraph, graphFromDocument, type OperationFlowNode } from "./editor-model";
import { EditorStore } from "./editor-store";
import { nodeTypes } from "./operation-nodes";
import { edgeTypes } from "./dependency-edge";
import { Palette, PALETTE_MIME } from "./palette";
import { SaveDialog } from "./save-dialog";
import { BatchGroups } from "./batch-groups";
import { CanvasMiniMap } from "./canvas-minimap";
import { EditorHeader } from "./editor-toolbar";
import { freePosition, NEW_NODE_SIZE } from "./free-position";
import { DETAIL_FROM_ZOOM, FIT_VIEW_OPTIONS, LARGE_PLAN_NODES, openingView, useDeferredMount, useEdgesNearView, useProgressiveNodes } from "./large-plan-view";
import { SidePanel, type SideTab } from "./side-panel";
import { StaleVersionNotice } from "./stale-version-notice";
import { useEditorShortcuts } from "./use-editor-shortcuts";
import { useLeaveGuard } from "./use-leave-guard";

export interface PlanEditorProps {
  planId: string;
  version: { number: number; document: unknown; isDraft: boolean; authorName: string; createdAtText: string };
  /** The caller's role may read and run the plan but not change it: everything is shown, nothing is editable. */
  readOnly?: boolean;
}

/** The visual plan editor: palette, React Flow canvas, inspector / optimizer / history side panel. */
export function PlanEditor({ planId, version, readOnly = false }: PlanEditorProps) {
  const [store] = useState(() => new EditorStore(graphFromDocument(version.document), version.number));
  useEffect(() => {
    store.scheduleValidation();
    return () => store.dispose();
  }, [store]);
  return (
    <EditorStoreContext.Provider value={store}>
      <ReactFlowProvider>
        <EditorLayout planId={planId} openedDraft={version.isDraft} readOnly={readOnly} />
      </ReactFlowProvider>
    </EditorStoreContext.Provider>
  );
}

function isOperationType(value: string): value is OperationType {
  return (OPERATION_TYPES as readonly string[]).includes(value);
}

function EditorLayout({ planId, openedDraft, readOnly }: { planId: string; openedDraft: boolean; readOnly: boolean }) {
  const store = useEditorStore();
  const router = useRouter();
  const flow = useReactFlow<OperationFlowNode>();
  const canvas = useRef<HTMLDivElement>(null);
  const nodes = useEditorSelector((state) => state.graph.nodes);
  const edges = useEditorSelector((state) => state.graph.edges);
  const baseVersion = useEditorSelector((state) => state.baseVersion);
  const dirty = useEditorSelector((state) => state.revision !== state.savedRevision);
  const problemCount = useEditorSelector((state) => state.validation.problems.length);
  const selectedId = useEditorSelector((state) => state.graph.nodes.find((node) => node.selected)?.id ?? null);
  // Fit only a plan that has nodes when opened: fitting an empty canvas would jump the view on the first drop.
  const [fitOnOpen] = useState(() => store.getState().graph.nodes.length > 0);
  const [fitViewOptions] = useState(() => openingView(store.getState().graph.nodes));
  const [tab, setTab] = useState<SideTab>("inspector");
  const [largePlan] = useState(() => store.getState().graph.nodes.length > LARGE_PLAN_NODES);
  const { loadedNodes, loadedEdges, loading } = useProgressiveNodes(nodes, edges, largePlan ? fitViewOptions : null);
  const miniMapShown = useDeferredMount(largePlan ? 300 : 0, !loading);
  const { shownEdges, onMove: onMoveEdges } = useEdgesNearView(loadedEdges, nodes, largePlan, canvas);
  const detailed = useStore((flow) => flow.transform[2] >= DETAIL_FROM_ZOOM);
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

  useLeaveGuard(dirty && !readOnly);
  const openSave = useCallback(() => setSaving(true), []);
  const onCopied = useCallback((count: number) => setToast(`Copied ${count} node${count === 1 ? "" : "s"}`), []);
  useEditorShortcuts(store, { readOnly, onSave: openSave, onCopied });

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

  /** A drop lands where it was dropped; a click lands in the free space nearest the middle of the view. */
  const addAt = (type: OperationType, drop?: { x: number; y: number }) => {
    if (drop) {
      const position = flow.screenToFlowPosition(drop);
      store.addNode(type, { x: Math.round(position.x - NEW_NODE_SIZE.width / 2), y: Math.round(position.y - NEW_NODE_SIZE.height / 2) });
    } else {
      const pane = canvas.current?.getBoundingClientRect();
      const centre = flow.screenToFlowPosition(pane ? { x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 } : { x: 400, y: 300 });
      const taken = store.getState().graph.nodes.map((node) => ({
        ...node.position,
        width: node.measured?.width ?? NEW_NODE_SIZE.width,
        height: node.measured?.height ?? NEW_NODE_SIZE.height,
      }));
      store.addNode(type, freePosition(centre, taken));
    }
    setTab("inspector");
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    const type = event.dataTransfer.getData(PALETTE_MIME);
    if (!readOnly && isOperationType(type)) addAt(type, { x: event.clientX, y: event.clientY });
  };

  const focusNodes = (ids: string[]) => {
    store.selectOnly(ids);
    void flow.fitView({ nodes: ids.map((id) => ({ id })), duration: 300, maxZoom: 1.2, padding: 0.3 });
  };

  return (
    <div className="editor">
      <EditorHeader
        planId={planId}
        savedAsDraft={savedAsDraft}
        readOnly={readOnly}
        onAutoLayout={() => {
          store.autoLayout();
          requestAnimationFrame(() => void flow.fitView({ ...FIT_VIEW_OPTIONS, duration: 200 }));
        }}
        onToggleOverlay={(on) => {
          store.setOverlay(on);
          if (on) setTab("optimizer");
        }}
        onSave={openSave}
      />
      {readOnly && (
        <div className="notice" role="note" data-testid="read-only-notice">
          <strong>Read only.</strong> Your role may view and run this plan but not change it; ask an editor or owner of the team to make changes.
        </div>
      )}
      {stale && <StaleVersionNotice message={stale} />}
      {toast && (
        <div className="toast" role="status">
          {toast}
        </div>
      )}

      <div className={`editor-body${readOnly ? " is-read-only" : ""}`}>
        {!readOnly && <Palette onAdd={(type) => addAt(type)} />}
        <div
          ref={canvas}
          className={`editor-canvas${largePlan ? " is-large" : ""}`}
          data-loading={loading}
          onDrop={onDrop}
          onDragOver={(event) => {
            event.preventDefault();
            event.dataTransfer.dropEffect = "move";
          }}
        >
          <ReactFlow
            className={detailed ? "is-detailed" : undefined}
            nodes={loadedNodes}
            edges={shownEdges}
            nodeTypes={nodeTypes}
            edgeTypes={edgeTypes}
            onNodesChange={store.onNodesChange}
            onEdgesChange={store.onEdgesChange}
            onConnect={readOnly ? undefined : store.onConnect}
            onNodeDragStart={store.onNodeDragStart}
            nodesDraggable={!readOnly}
            nodesConnectable={!readOnly}
            deleteKeyCode={readOnly ? null : ["Backspace", "Delete"]}
            fitView={fitOnOpen}
            fitViewOptions={fitViewOptions}
            minZoom={0.05}
            onlyRenderVisibleElements
            onMove={onMoveEdges}
            onInit={(instance) => onMoveEdges(null, instance.getViewport())}
            ariaLabelConfig={{ "node.a11yDescription.default": "Press Enter or Space to select this operation; its form opens in the inspector. Arrow keys move a selected node." }}
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
        <SidePanel
          planId={planId}
          tab={tab}
          onTab={setTab}
          currentVersion={baseVersion}
          readOnly={readOnly}
          restoring={restore.isPending}
          onRestore={doRestore}
          onFocusNodes={focusNodes}
        />
      </div>

      {saving && !readOnly && (
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
