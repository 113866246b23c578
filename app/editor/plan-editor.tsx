"use client";

import "@xyflow/react/dist/style.css";
import "../_components/ui.css";
import "./editor.css";
import { useCallback, useEffect, useRef, useState } from "react";
import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import type { OperationType } from "@/lib/plan/schema";
import { EditorCanvas } from "./editor-canvas";
import { EditorStoreContext, useEditorSelector, useEditorStore } from "./editor-context";
import { graphFromDocument, type OperationFlowNode } from "./editor-model";
import { EditorStore } from "./editor-store";
import { Palette } from "./palette";
import { SaveDialog } from "./save-dialog";
import { EditorHeader } from "./editor-toolbar";
import { freePosition, NEW_NODE_SIZE } from "./free-position";
import { FIT_VIEW_OPTIONS } from "./large-plan-view";
import { SidePanel, type SideTab } from "./side-panel";
import { StaleVersionNotice } from "./stale-version-notice";
import { useEditorShortcuts } from "./use-editor-shortcuts";
import { useLeaveGuard } from "./use-leave-guard";
import { useVersionActions } from "./use-version-actions";

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

function EditorLayout({ planId, openedDraft, readOnly }: { planId: string; openedDraft: boolean; readOnly: boolean }) {
  const store = useEditorStore();
  const flow = useReactFlow<OperationFlowNode>();
  const canvas = useRef<HTMLDivElement>(null);
  const baseVersion = useEditorSelector((state) => state.baseVersion);
  const dirty = useEditorSelector((state) => state.revision !== state.savedRevision);
  const problemCount = useEditorSelector((state) => state.validation.problems.length);
  const selectedId = useEditorSelector((state) => state.graph.nodes.find((node) => node.selected)?.id ?? null);
  const [tab, setTab] = useState<SideTab>("inspector");
  const [toast, setToast] = useState<string | null>(null);
  const versions = useVersionActions(planId, openedDraft, setToast);

  useEffect(() => {
    if (selectedId) setTab("inspector");
  }, [selectedId]);

  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(null), 2500);
    return () => clearTimeout(timer);
  }, [toast]);

  useLeaveGuard(dirty && !readOnly);
  const onCopied = useCallback((count: number) => setToast(`Copied ${count} node${count === 1 ? "" : "s"}`), []);
  useEditorShortcuts(store, { readOnly, onSave: versions.openSave, onCopied });

  /** A drop lands where it was dropped; a click lands in the free space nearest the middle of the view. */
  const addAt = (type: OperationType, drop?: { x: number; y: number }) => {
    if (drop) {
      const position = flow.screenToFlowPosition(drop);
      store.addNode(type, { x: Math.round(position.x - NEW_NODE_SIZE.width / 2), y: Math.round(position.y - NEW_NODE_SIZE.height / 2) });
    } else {
      const pane = canvas.current?.getBoundingClientRect();
      const centre = flow.screenToFlowPosition(
        pane ? { x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 } : { x: 400, y: 300 },
      );
      const taken = store.getState().graph.nodes.map((node) => ({
        ...node.position,
        width: node.measured?.width ?? NEW_NODE_SIZE.width,
        height: node.measured?.height ?? NEW_NODE_SIZE.height,
      }));
      store.addNode(type, freePosition(centre, taken));
    }
    setTab("inspector");
  };

  const focusNodes = (ids: string[]) => {
    store.selectOnly(ids);
    void flow.fitView({ nodes: ids.map((id) => ({ id })), duration: 300, maxZoom: 1.2, padding: 0.3 });
  };

  return (
    <div className="editor">
      <EditorHeader
        planId={planId}
        savedAsDraft={versions.savedAsDraft}
        readOnly={readOnly}
        onAutoLayout={() => {
          store.autoLayout();
          requestAnimationFrame(() => void flow.fitView({ ...FIT_VIEW_OPTIONS, duration: 200 }));
        }}
        onToggleOverlay={(on) => {
          store.setOverlay(on);
          if (on) setTab("optimizer");
        }}
        onSave={versions.openSave}
      />
      {readOnly && (
        <div className="notice" role="note" data-testid="read-only-notice">
          <strong>Read only.</strong> Your role may view and run this plan but not change it; ask an editor or owner of the team to make
          changes.
        </div>
      )}
      {versions.stale && <StaleVersionNotice message={versions.stale} />}
      {toast && (
        <div className="toast" role="status">
          {toast}
        </div>
      )}

      <div className={`editor-body${readOnly ? " is-read-only" : ""}`}>
        {!readOnly && <Palette onAdd={(type) => addAt(type)} />}
        <EditorCanvas canvas={canvas} readOnly={readOnly} onDropOperation={addAt} />
        <SidePanel
          planId={planId}
          tab={tab}
          onTab={setTab}
          currentVersion={baseVersion}
          readOnly={readOnly}
          restoring={versions.restorePending}
          onRestore={versions.restoreVersion}
          onFocusNodes={focusNodes}
        />
      </div>

      {versions.saving && !readOnly && (
        <SaveDialog
          problemCount={problemCount}
          pending={versions.savePending}
          error={versions.saveError}
          onSave={versions.saveVersion}
          onClose={versions.closeSave}
        />
      )}
    </div>
  );
}
