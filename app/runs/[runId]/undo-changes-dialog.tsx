"use client";

import type { FileChangeView } from "@/lib/run-view/run-view-state";

/** Confirms undoing a run's file changes, listing every file it would restore. */
export function UndoChangesDialog(props: { changes: readonly FileChangeView[]; busy: boolean; onKeep(): void; onUndo(): void }) {
  return (
    <div className="dialog-backdrop" role="dialog" aria-modal="true" aria-label="Undo file changes">
      <div className="dialog card">
        <h2>Undo this run&apos;s file changes?</h2>
        <p className="muted">These files go back to how they were before the run. Files changed since are refused.</p>
        <ul className="undo-list">
          {props.changes.map((change, index) => (
            <li key={index}>
              <code>{change.path}</code> <span className="tag">{change.operation}</span>
            </li>
          ))}
        </ul>
        <div className="dialog-actions">
          <button className="button" onClick={props.onKeep} autoFocus>
            Keep them
          </button>
          <button className="button button-primary" disabled={props.busy} onClick={props.onUndo}>
            Undo changes
          </button>
        </div>
      </div>
    </div>
  );
}
