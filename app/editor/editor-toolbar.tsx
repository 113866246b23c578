"use client";

import { useEditorSelector, useEditorStore } from "./editor-context";

/** The editor's heading (name, version, counts, validity) and its toolbar. */
export function EditorHeader(props: {
  planId: string;
  savedAsDraft: boolean;
  readOnly: boolean;
  onAutoLayout(): void;
  onToggleOverlay(on: boolean): void;
  onSave(): void;
}) {
  const store = useEditorStore();
  const name = useEditorSelector((state) => state.graph.meta.name);
  const nodeCount = useEditorSelector((state) => state.graph.nodes.length);
  const edgeCount = useEditorSelector((state) => state.graph.edges.length);
  const baseVersion = useEditorSelector((state) => state.baseVersion);
  const dirty = useEditorSelector((state) => state.revision !== state.savedRevision);
  const problemCount = useEditorSelector((state) => state.validation.problems.length);
  const canUndo = useEditorSelector((state) => state.past.length > 0);
  const canRedo = useEditorSelector((state) => state.future.length > 0);
  const overlayOn = useEditorSelector((state) => state.overlayOn);
  const { readOnly } = props;
  return (
    <div className="editor-head">
      <div>
        <h1>{name || "Untitled plan"}</h1>
        <p className="editor-sub">
          <span>
            v{baseVersion}
            {props.savedAsDraft && <span className="op-pill">draft</span>}
          </span>
          <span data-testid="plan-counts">
            {nodeCount} operation{nodeCount === 1 ? "" : "s"}, {edgeCount} {edgeCount === 1 ? "dependency" : "dependencies"}
          </span>
          {problemCount > 0 ? (
            <span className="problems-count" data-testid="problem-count">
              {problemCount} problem{problemCount === 1 ? "" : "s"}
            </span>
          ) : (
            <span className="ok-count">valid</span>
          )}
          {dirty && (
            <span className="unsaved" data-testid="unsaved">
              unsaved changes
            </span>
          )}
        </p>
      </div>
      <div className="editor-toolbar" role="toolbar" aria-label="Editor">
        {!readOnly && (
          <>
            <button type="button" className="button button-small" disabled={!canUndo} onClick={() => store.undo()} title="Undo (Ctrl+Z)">
              Undo
            </button>
            <button
              type="button"
              className="button button-small"
              disabled={!canRedo}
              onClick={() => store.redo()}
              title="Redo (Ctrl+Shift+Z)"
            >
              Redo
            </button>
            <button type="button" className="button button-small" onClick={props.onAutoLayout}>
              Auto layout
            </button>
          </>
        )}
        <button
          type="button"
          className={`button button-small${overlayOn ? " is-on" : ""}`}
          aria-pressed={overlayOn}
          onClick={() => props.onToggleOverlay(!overlayOn)}
        >
          Optimizer overlay
        </button>
        <a className="button button-small" href={`/plans/${props.planId}/export?version=${baseVersion}`} download>
          Export v{baseVersion}
        </a>
        {!readOnly && (
          <button type="button" className="button button-small button-primary" onClick={props.onSave} title="Save (Ctrl+S)">
            Save…
          </button>
        )}
      </div>
    </div>
  );
}
