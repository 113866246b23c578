"use client";

import { memo, useMemo, useRef } from "react";
import { Background, Controls, Handle, MiniMap, Position, ReactFlow, type Edge, type Node, type NodeProps, type NodeTypes } from "@xyflow/react";
import type { EditorGraph } from "@/app/editor/editor-model";
import { OPERATION_KINDS } from "@/app/editor/operation-kinds";
import type { NodeStatus } from "@/lib/runner/run-events";
import type { NodeView } from "@/lib/run-view/run-view-state";
import { STATUS_COLORS } from "./status-colors";

type RunNodeData = {
  label: string;
  kind: keyof typeof OPERATION_KINDS;
  status: NodeStatus;
  batchColor: string;
  critical: boolean;
  reused: boolean;
  attempt: number;
};
type RunFlowNode = Node<RunNodeData, "run">;

const RunNode = memo(function RunNode({ id, data, selected }: NodeProps<RunFlowNode>) {
  const kind = OPERATION_KINDS[data.kind];
  const colors = STATUS_COLORS[data.status];
  return (
    <div
      className={`run-node status-${data.status}${selected ? " is-selected" : ""}${data.critical ? " is-critical" : ""}`}
      style={{ borderColor: colors.border, background: colors.background, boxShadow: `inset 4px 0 0 ${data.batchColor}` }}
      data-testid="run-node"
      data-node-id={id}
      data-status={data.status}
    >
      <Handle type="target" position={Position.Left} className="run-handle" />
      <span className="run-node-icon" style={{ background: kind.color }} aria-hidden>
        {kind.icon}
      </span>
      <span className="run-node-label">{data.label}</span>
      <span className="run-node-status" style={{ color: colors.text }}>
        <span className="run-node-glyph" aria-hidden>
          {colors.glyph}
        </span>
        {data.status}
        {data.reused ? " (reused)" : data.attempt > 1 ? ` ×${data.attempt}` : ""}
      </span>
      <Handle type="source" position={Position.Right} className="run-handle" />
    </div>
  );
});

const nodeTypes = { run: RunNode } satisfies NodeTypes;

/** A stable, distinct hue per batch, so a batch's nodes read as one group. */
function batchColor(batchId: string | undefined): string {
  if (!batchId) return "transparent";
  let hash = 0;
  for (const char of batchId) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return `hsl(${Math.abs(hash) % 360} 70% 55%)`;
}

/**
 * The plan's graph with live status. Node objects are rebuilt only when
 * their own status changes, so a frame with ten changes re-renders ten nodes,
 * not two thousand.
 */
export function RunGraph(props: {
  graph: EditorGraph;
  nodes: Readonly<Record<string, NodeView>>;
  batchOf: Readonly<Record<string, string>>;
  critical: ReadonlySet<string>;
  selectedId: string | null;
  onSelect(nodeId: string | null): void;
}) {
  const cache = useRef(new Map<string, RunFlowNode>());
  const flowNodes = useMemo(() => {
    const next = new Map<string, RunFlowNode>();
    const list = props.graph.nodes.map((node) => {
      const view = props.nodes[node.id];
      const data: RunNodeData = {
        label: node.data.spec.label || node.id,
        kind: node.data.spec.type,
        status: view?.status ?? "pending",
        batchColor: batchColor(view?.batchId ?? props.batchOf[node.id]),
        critical: props.critical.has(node.id),
        reused: view?.reused ?? false,
        attempt: view?.attempt ?? 0,
      };
      const selected = props.selectedId === node.id;
      const previous = cache.current.get(node.id);
      const same =
        previous &&
        previous.selected === selected &&
        (Object.keys(data) as (keyof RunNodeData)[]).every((key) => previous.data[key] === data[key]);
      const flowNode: RunFlowNode = same ? previous : { id: node.id, type: "run", position: node.position, data, selected };
      next.set(node.id, flowNode);
      return flowNode;
    });
    cache.current = next;
    return list;
  }, [props.graph, props.nodes, props.batchOf, props.critical, props.selectedId]);

  const edges = useMemo(
    (): Edge[] =>
      props.graph.edges.map((edge) => ({
        id: edge.id,
        source: edge.source,
        target: edge.target,
        label: edge.data?.when && edge.data.when !== "success" ? edge.data.when : undefined,
        className: `run-edge when-${edge.data?.when ?? "success"}`,
      })),
    [props.graph],
  );

  return (
    <ReactFlow
      nodes={flowNodes}
      edges={edges}
      nodeTypes={nodeTypes}
      nodesDraggable={false}
      nodesConnectable={false}
      elementsSelectable
      onNodeClick={(_, node) => props.onSelect(node.id)}
      onPaneClick={() => props.onSelect(null)}
      onlyRenderVisibleElements
      fitView
      minZoom={0.05}
      proOptions={{ hideAttribution: true }}
    >
      <Background gap={20} />
      <MiniMap pannable zoomable nodeColor={(node) => STATUS_COLORS[(node.data as RunNodeData).status].border} />
      <Controls showInteractive={false} />
    </ReactFlow>
  );
}
