"use client";

import { memo, type ReactNode } from "react";
import { Handle, Position, type NodeProps, type NodeTypes } from "@xyflow/react";
import type { OperationType } from "@/lib/plan/schema";
import { useEditorSelector } from "./editor-context";
import type { OperationFlowNode } from "./editor-model";
import { OPERATION_KINDS } from "./operation-kinds";

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** The problems badge and overlay marks of one node, read from the store by id. */
function NodeShell({ id, type, label, summary, selected }: { id: string; type: OperationType; label: string; summary: ReactNode; selected: boolean }) {
  const problems = useEditorSelector((state) => state.validation.byNode.get(id));
  const overlay = useEditorSelector((state) => (state.overlay?.state === "ready" ? state.overlay.byNode.get(id) : undefined));
  const errors = problems?.filter((problem) => problem.severity === "error") ?? [];
  const warnings = problems?.filter((problem) => problem.severity === "warning") ?? [];
  const kind = OPERATION_KINDS[type];
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
      <div className="op-summary">{summary}</div>
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
}

const NO_PARAMS: Record<string, unknown> = {};

/** The node's configuration, read from the editor store by id (see EditorGraph.specs). */
function useSpec(id: string) {
  const spec = useEditorSelector((state) => state.graph.specs.get(id));
  return { label: spec?.label || id, params: spec?.params ?? NO_PARAMS };
}

const Mono = ({ children }: { children: ReactNode }) => <code className="op-mono">{children || "—"}</code>;

const FileWriteNode = memo(function FileWriteNode(props: NodeProps<OperationFlowNode>) {
  const { label, params } = useSpec(props.id);
  return <NodeShell id={props.id} type="file.write" label={label} selected={props.selected} summary={<Mono>{text(params.path)}</Mono>} />;
});

const FileEditNode = memo(function FileEditNode(props: NodeProps<OperationFlowNode>) {
  const { label, params } = useSpec(props.id);
  const count = Array.isArray(params.edits) ? params.edits.length : 0;
  return (
    <NodeShell
      id={props.id}
      type="file.edit"
      label={label}
      selected={props.selected}
      summary={
        <>
          <Mono>{text(params.path)}</Mono> · {count} edit{count === 1 ? "" : "s"}
        </>
      }
    />
  );
});

const FileDeleteNode = memo(function FileDeleteNode(props: NodeProps<OperationFlowNode>) {
  const { label, params } = useSpec(props.id);
  return <NodeShell id={props.id} type="file.delete" label={label} selected={props.selected} summary={<Mono>{text(params.path)}</Mono>} />;
});

const FileMoveNode = memo(function FileMoveNode(props: NodeProps<OperationFlowNode>) {
  const { label, params } = useSpec(props.id);
  return (
    <NodeShell
      id={props.id}
      type="file.move"
      label={label}
      selected={props.selected}
      summary={
        <>
          <Mono>{text(params.from)}</Mono> → <Mono>{text(params.to)}</Mono>
        </>
      }
    />
  );
});

const FileReadNode = memo(function FileReadNode(props: NodeProps<OperationFlowNode>) {
  const { label, params } = useSpec(props.id);
  const paths = Array.isArray(params.paths) ? params.paths.map(String) : [];
  const what = text(params.glob) || paths.join(", ");
  return <NodeShell id={props.id} type="file.read" label={label} selected={props.selected} summary={<Mono>{what}</Mono>} />;
});

const SearchNode = memo(function SearchNode(props: NodeProps<OperationFlowNode>) {
  const { label, params } = useSpec(props.id);
  return (
    <NodeShell
      id={props.id}
      type="search"
      label={label}
      selected={props.selected}
      summary={
        <>
          <Mono>{params.regex ? `/${text(params.pattern)}/` : text(params.pattern)}</Mono> in <Mono>{text(params.glob)}</Mono>
        </>
      }
    />
  );
});

const ShellNode = memo(function ShellNode(props: NodeProps<OperationFlowNode>) {
  const { label, params } = useSpec(props.id);
  const firstLine = text(params.command).split("\n")[0] ?? "";
  return (
    <NodeShell
      id={props.id}
      type="shell"
      label={label}
      selected={props.selected}
      summary={
        <>
          {params.background === true && <span className="op-pill">bg</span>}
          <Mono>{firstLine}</Mono>
        </>
      }
    />
  );
});

/** Module-level so React Flow never sees a new object (which would remount every node). */
export const nodeTypes = {
  "file.write": FileWriteNode,
  "file.edit": FileEditNode,
  "file.delete": FileDeleteNode,
  "file.move": FileMoveNode,
  "file.read": FileReadNode,
  search: SearchNode,
  shell: ShellNode,
} satisfies NodeTypes;
