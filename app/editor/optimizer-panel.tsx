"use client";

import { useEditorSelector, useEditorStore } from "./editor-context";

/** Explains the optimizer's execution plan: waves, batches, critical path, and hazards with their fixes. */
export function OptimizerPanel({ onFocusNodes, readOnly = false }: { onFocusNodes: (ids: string[]) => void; readOnly?: boolean }) {
  const store = useEditorStore();
  const overlay = useEditorSelector((state) => state.overlay);
  if (!overlay) return <p className="muted">Turn the overlay on to see waves, batches, the critical path and hazards.</p>;
  if (overlay.state === "unavailable")
    return (
      <p className="muted" data-testid="optimizer-unavailable">
        {overlay.reason}
      </p>
    );
  const { execution, colorOf } = overlay;
  return (
    <div className="optimizer" data-testid="optimizer-panel">
      <p>
        <strong>{execution.waves.length}</strong> waves, <strong>{execution.batches.length}</strong> batches; widest: wave{" "}
        {execution.widest.wave} ({execution.widest.width} node{execution.widest.width === 1 ? "" : "s"}).
      </p>
      <div className="panel-title">Critical path (~{Math.round(execution.criticalPath.estimatedMs / 100) / 10} s)</div>
      <p className="mono small">{execution.criticalPath.nodeIds.join(" → ") || "—"}</p>

      <div className="panel-title">Hazards ({execution.hazards.length})</div>
      {execution.hazards.length === 0 && <p className="muted">None.</p>}
      <ul className="hazard-list">
        {execution.hazards.map((hazard, index) => (
          <li key={`${hazard.code}-${index}`} className={`hazard hazard-${hazard.severity}`} data-testid="hazard">
            <div>
              <strong>{hazard.code}</strong> <span className="muted">{hazard.severity}</span>
            </div>
            <div>{hazard.message}</div>
            <div className="hazard-actions">
              <button type="button" className="button button-small" onClick={() => onFocusNodes(hazard.nodeIds)}>
                Show nodes
              </button>
              {hazard.fix && !readOnly && (
                <button type="button" className="button button-small button-primary" onClick={() => store.applyFix(hazard.fix!)}>
                  {hazard.fix.kind === "add-edge" ? `Fix: add ${hazard.fix.from} → ${hazard.fix.to}` : `Fix: remove ${hazard.fix.edgeId}`}
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>

      <div className="panel-title">Batches</div>
      <ul className="batch-list">
        {execution.batches.map((batch) => (
          <li key={batch.id}>
            <span className="batch-swatch" style={{ background: colorOf.get(batch.id) }} />
            <span className="mono small">
              {batch.id}
              {batch.atomic ? " (atomic)" : ""}
            </span>{" "}
            <span className="muted small">{batch.nodeIds.join(", ")}</span>
          </li>
        ))}
      </ul>
      {execution.notes.map((note) => (
        <p key={note} className="muted small">
          {note}
        </p>
      ))}
    </div>
  );
}
