"use client";

import { memo } from "react";
import { Handle, Position, type NodeProps, type NodeTypes } from "@xyflow/react";
import { OPERATION_SUMMARY } from "@/lib/plan/operation-summary";
import { OPERATION_TYPES, type OperationType } from "@/lib/plan/schema";
import { useEditorSelector } from "./editor-context";
import type { OperationFlowNode } from "./editor-model";
import { OPERATION_KINDS } from "./operation-kinds";

const NO_PARAMS: Record<string, unknown> = {};

/**
 * One operation on the canvas, whatever its type: icon, label, problems
 * badge, the one-line summary from the table the CLI also prints, and the
 * optimizer overlay's marks. Configuration is read from the editor store by
 * id (see EditorGraph.specs), so typing re-renders this node only.
 */
const OperationNode = memo(function OperationNode({ id, selected, type }: NodeProps<OperationFlowNode>) {
  const spec = useEditorSelector((state) => state.graph.specs.get(id));
  const problems = useEditorSelector((state) => state.validation.byNode.get(id));
  const overlay = useEditorSelector((state) => (state.overlay?.state === "ready" ? state.overlay.byNode.get(id) : undefined));
  const operation = (spec?.type ?? type) as OperationType;
  const label = spec?.label || id;
  const errors = problems?.filter((problem) => problem.severity === "error") ?? [];
  const warnings = problems?.filter((problem) => problem.severity === "warning") ?? [];
  const kind = OPERATION_KINDS[operation];
  const className = [
    "op-node",
    selected ? "is-selected" : "",
    errors.length ? "has-errors" : "",
    overlay?.critical ? "is-critical" : "",
    overlay?.hazards.length ? "has-hazards" : "",
  ].join(" ");
  return (
    <div
      className={className}
      data-testid="plan-node"
      data-node-id={id}
      style={overlay ? { borderLeftColor: overlay.color, boxShadow: `0 0 0 3px ${overlay.color}33` } : undefined}
    >
      <Handle type="target" position={Position.Left} className="op-handle" />
      <div className="op-head">
        <span className="op-icon" aria-hidden style={{ background: kind.color }}>
          {kind.icon}
        </span>
        <span className="op-label">{label}</span>
        {errors.length > 0 && (
          <span className="op-badge op-badge-error" data-testid="node-problems" title={errors.map((problem) => problem.message).join("\n")}>
            {errors.length}
          </span>
        )}
        {errors.length === 0 && warnings.length > 0 && (
          <span className="op-badge op-badge-warning" title={warnings.map((problem) => problem.message).join("\n")}>
            !
          </span>
        )}
      </div>
      <div className="op-summary">
        {OPERATION_SUMMARY[operation](spec?.params ?? NO_PARAMS).map((part, index) =>
          part.code ? (
            <code key={index} className="op-mono">
              {part.text || "—"}
            </code>
          ) : (
            <span key={index}>{part.text}</span>
          ),
        )}
      </div>
      {overlay && (
        <div className="op-overlay" data-testid="node-overlay">
          <span>W{overlay.wave}</span>
          {overlay.critical && <span className="op-critical">critical</span>}
          {overlay.hazards.length > 0 && (
            <span className="op-hazard" data-testid="node-hazard" title={overlay.hazards.join(", ")}>
              ⚠ {overlay.hazards.join(", ")}
            </span>
          )}
        </div>
      )}
      <Handle type="source" position={Position.Right} className="op-handle" />
    </div>
  );
});

/** Module-level so React Flow never sees a new object (which would remount every node); every type draws with the one component. */
export const nodeTypes: NodeTypes = Object.fromEntries(OPERATION_TYPES.map((type) => [type, OperationNode]));
