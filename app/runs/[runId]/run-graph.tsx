"use client";

import { memo, useMemo } from "react";
import {
  Background,
  Controls,
  Handle,
  MiniMap,
  Position,
  ReactFlow,
  useStore,
  type Edge,
  type MiniMapNodeProps,
  type Node,
  type NodeProps,
  type NodeTypes,
} from "@xyflow/react";
import type { EditorGraph } from "@/app/editor/editor-model";
import { OPERATION_KINDS } from "@/app/editor/operation-kinds";
import { useNodeSelection } from "./run-view-store";
import { STATUS_COLORS } from "./status-colors";

type RunNodeData = {
  label: string;
  kind: keyof typeof OPERATION_KINDS;
  batchColor: string;
  critical: boolean;
};
type RunFlowNode = Node<RunNodeData, "run">;

/** Reads its live status from the store itself, so React Flow's node list stays the same all run long. */
const RunNode = memo(function RunNode({ id, data, selected }: NodeProps<RunFlowNode>) {
  const status = useNodeSelection(id, (view) => view.status);
  const note = useNodeSelection(id, (view) => (view.reused ? " (reused)" : view.attempt > 1 ? ` ×${view.attempt}` : ""));
  const kind = OPERATION_KINDS[data.kind];
  const colors = STATUS_COLORS[status];
  return (
    <div
      className={`run-node status-${status}${selected ? " is-selected" : ""}${data.critical ? " is-critical" : ""}`}
      style={{ borderColor: colors.border, background: colors.background, boxShadow: `inset 4px 0 0 ${data.batchColor}` }}
      data-testid="run-node"
      data-node-id={id}
      data-status={status}
      title={data.label}
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
        {status}
        {note}
      </span>
      <Handle type="source" position={Position.Right} className="run-handle" />
    </div>
  );
});

const nodeTypes = { run: RunNode } satisfies NodeTypes;

/**
 * A run node's box (run-view.css), given to React Flow up front: the minimap
 * sizes nodes from the node objects, and with a node list that never changes
 * React Flow never writes the measured size back into them.
 */
const NODE_SIZE = { initialWidth: 200, initialHeight: 48 };

/**
 * A node on the minimap in its live status colour. The minimap redraws a node
 * only when React Flow's node changes, which it never does during a run, so
 * a `nodeColor` function would keep every node at its first colour.
 */
const MiniMapRunNode = memo(function MiniMapRunNode({ id, x, y, width, height, borderRadius, shapeRendering }: MiniMapNodeProps) {
  const status = useNodeSelection(id, (view) => view.status);
  return <rect x={x} y={y} width={width} height={height} rx={borderRadius} ry={borderRadius} fill={STATUS_COLORS[status].border} shapeRendering={shapeRendering} />;
});

/**
 * Below this zoom a node's text is a few pixels high and its pulse a pixel
 * wide, so a node is drawn as a box in its status colour (run-view.css): with
 * thousands of nodes on screen, painting their text and animations costs
 * whole frames on every status change.
 */
const DETAIL_FROM_ZOOM = 0.5;

/** A stable, distinct hue per batch, so a batch's nodes read as one group. */
function batchColor(batchId: string | undefined): string {
  if (!batchId) return "transparent";
  let hash = 0;
  for (const char of batchId) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return `hsl(${Math.abs(hash) % 360} 70% 55%)`;
}

/** The plan's graph; nodes show their live status through the store, not through props. */
export const RunGraph = memo(function RunGraph(props: {
  graph: EditorGraph;
  batchOf: Readonly<Record<string, string>>;
  critical: ReadonlySet<string>;
  selectedId: string | null;
  onSelect(nodeId: string | null): void;
}) {
  const flowNodes = useMemo(
    (): RunFlowNode[] =>
      props.graph.nodes.map((node) => ({
        id: node.id,
        type: "run",
        position: node.position,
        ...NODE_SIZE,
        selected: props.selectedId === node.id,
        data: {
          label: node.data.spec.label || node.id,
          kind: node.data.spec.type,
          batchColor: batchColor(props.batchOf[node.id]),
          critical: props.critical.has(node.id),
        },
      })),
    [props.graph, props.batchOf, props.critical, props.selectedId],
  );

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

  const detailed = useStore((flow) => flow.transform[2] >= DETAIL_FROM_ZOOM);
  const { onSelect } = props;
  return (
    <ReactFlow
      className={detailed ? "is-detailed" : undefined}
      nodes={flowNodes}
      edges={edges}
      nodeTypes={nodeTypes}
      nodesDraggable={false}
      nodesConnectable={false}
      elementsSelectable
      onNodeClick={(_, node) => onSelect(node.id)}
      onPaneClick={() => onSelect(null)}
      onlyRenderVisibleElements
      fitView
      minZoom={0.05}
      proOptions={{ hideAttribution: true }}
    >
      <Background gap={20} />
      <MiniMap pannable zoomable nodeComponent={MiniMapRunNode} />
      <Controls showInteractive={false} />
    </ReactFlow>
  );
});
