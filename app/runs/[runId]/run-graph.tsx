"use client";

import { memo, useEffect, useMemo, useRef } from "react";
import {
  Background,
  Controls,
  Handle,
  MarkerType,
  MiniMap,
  Position,
  ReactFlow,
  useReactFlow,
  useStore,
  type Edge,
  type FitViewOptions,
  type MiniMapNodeProps,
  type Node,
  type NodeChange,
  type NodeProps,
  type NodeTypes,
} from "@xyflow/react";
import type { EditorGraph } from "@/app/editor/editor-model";
import { OPERATION_KINDS } from "@/app/editor/operation-kinds";
import { useNodeSelection } from "./run-view-store";
import { STATUS_COLORS } from "./status-colors";
import type { FailureExplanations } from "./use-failure-explanations";

type RunNodeData = {
  label: string;
  kind: keyof typeof OPERATION_KINDS;
  batchColor: string;
  critical: boolean;
  /** Attempts this node made in earlier runs of the lineage: a retry's attempt 1 continues from them. */
  attemptsBefore: number;
  /** For a skipped or rolled-back node: the label of the node that caused it. */
  causeLabel?: string;
  /** On the highlighted chain from the selected skipped node to its failed root. */
  inCauseChain: boolean;
};
type RunFlowNode = Node<RunNodeData, "run">;

/** Reads its live status from the store itself, so React Flow's node list stays the same all run long. */
const RunNode = memo(function RunNode({ id, data, selected }: NodeProps<RunFlowNode>) {
  const status = useNodeSelection(id, (view) => view.status);
  const note = useNodeSelection(id, (view) => {
    if (view.reused) return " (reused)";
    const attempt = view.attempt + (view.attempt > 0 ? data.attemptsBefore : 0);
    return attempt > 1 ? ` · attempt ${attempt}` : "";
  });
  const kind = OPERATION_KINDS[data.kind];
  const colors = STATUS_COLORS[status];
  return (
    <div
      className={`run-node status-${status}${selected ? " is-selected" : ""}${data.critical ? " is-critical" : ""}${data.inCauseChain ? " in-cause-chain" : ""}`}
      style={{ borderColor: colors.border, background: colors.background, boxShadow: `inset 4px 0 0 ${data.batchColor}` }}
      data-testid="run-node"
      data-node-id={id}
      data-status={status}
      title={data.causeLabel ? `${data.label} — ${status} because of “${data.causeLabel}”` : data.label}
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
        {data.causeLabel && (status === "skipped" || status === "failed") && (
          <span className="run-node-cause" data-testid="run-node-cause">
            {" "}
            ← {data.causeLabel}
          </span>
        )}
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
  return (
    <rect
      x={x}
      y={y}
      width={width}
      height={height}
      rx={borderRadius}
      ry={borderRadius}
      fill={STATUS_COLORS[status].border}
      shapeRendering={shapeRendering}
    />
  );
});

/**
 * Below this zoom a node's text is a few pixels high and its pulse a pixel
 * wide, so a node is drawn as a box in its status colour (run-view.css): with
 * thousands of nodes on screen, painting their text and animations costs
 * whole frames on every status change.
 */
const DETAIL_FROM_ZOOM = 0.5;

/** A plan this small fits the canvas whole, so a minimap would only cover some of its nodes. */
const MINIMAP_FROM_NODES = 40;

/** Fitted, never blown up past life size; the bottom margin keeps the minimap (when there is one) off the nodes. */
function fitOptions(withMiniMap: boolean): FitViewOptions {
  return { maxZoom: 1, minZoom: 0.05, padding: withMiniMap ? { top: "24px", left: "24px", right: "24px", bottom: "170px" } : 0.15 };
}

/** A stable, distinct hue per batch, so a batch's nodes read as one group. */
function batchColor(batchId: string | undefined): string {
  if (!batchId) return "transparent";
  let hash = 0;
  for (const char of batchId) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return `hsl(${Math.abs(hash) % 360} 70% 55%)`;
}

/** Re-fits the graph when the canvas changes size (the node panel opening or closing), keeping the selected node in view. */
function useRefitOnResize(container: React.RefObject<HTMLDivElement | null>, selectedId: string | null, withMiniMap: boolean) {
  const flow = useReactFlow();
  const selected = useRef(selectedId);
  selected.current = selectedId;
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    let last = element.clientWidth;
    const observer = new ResizeObserver(() => {
      if (Math.abs(element.clientWidth - last) < 4) return;
      last = element.clientWidth;
      const options = fitOptions(withMiniMap);
      // A large graph stays at its zoom and brings the selected node in view; a small one is fitted whole again.
      if (withMiniMap && selected.current)
        void flow.fitView({ ...options, nodes: [{ id: selected.current }], maxZoom: Math.max(flow.getZoom(), 0.5), duration: 200 });
      else void flow.fitView({ ...options, duration: 200 });
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [container, flow, withMiniMap]);
}

/** The plan's graph; nodes show their live status through the store, not through props. */
export const RunGraph = memo(function RunGraph(props: {
  graph: EditorGraph;
  batchOf: Readonly<Record<string, string>>;
  critical: ReadonlySet<string>;
  attemptsBefore: Readonly<Record<string, number>>;
  explanations: FailureExplanations;
  selectedId: string | null;
  onSelect(nodeId: string | null): void;
}) {
  const container = useRef<HTMLDivElement>(null);
  const { explanations, selectedId } = props;
  const labelOf = useMemo(() => new Map(props.graph.nodes.map((node) => [node.id, node.data.spec.label || node.id])), [props.graph]);
  // The chain from the selected skipped (or rolled-back) node back to its root cause.
  const chain = useMemo(() => {
    if (!selectedId) return [];
    const skip = explanations.skips.get(selectedId);
    if (skip) return skip.chain;
    const rollback = explanations.rollbacks.get(selectedId);
    return rollback ? [selectedId, rollback] : [];
  }, [explanations, selectedId]);

  const flowNodes = useMemo((): RunFlowNode[] => {
    const inChain = new Set(chain);
    return props.graph.nodes.map((node) => {
      const label = labelOf.get(node.id) ?? node.id;
      const causeId = explanations.skips.get(node.id)?.causeId ?? explanations.rollbacks.get(node.id);
      return {
        id: node.id,
        type: "run",
        position: node.position,
        ...NODE_SIZE,
        selected: selectedId === node.id,
        ariaLabel: `${OPERATION_KINDS[node.data.spec.type].title}: ${label}`,
        data: {
          label,
          kind: node.data.spec.type,
          batchColor: batchColor(props.batchOf[node.id]),
          critical: props.critical.has(node.id),
          attemptsBefore: props.attemptsBefore[node.id] ?? 0,
          causeLabel: causeId ? (labelOf.get(causeId) ?? causeId) : undefined,
          inCauseChain: inChain.has(node.id),
        },
      };
    });
  }, [props.graph, props.batchOf, props.critical, props.attemptsBefore, labelOf, explanations, selectedId, chain]);

  const edges = useMemo((): Edge[] => {
    const causeEdges = new Set<string>();
    for (let index = 1; index < chain.length; index += 1) causeEdges.add(`${chain[index]}->${chain[index - 1]}`);
    return props.graph.edges.map((edge) => {
      const when = edge.data?.when ?? "success";
      const cause = causeEdges.has(`${edge.source}->${edge.target}`);
      return {
        id: edge.id,
        source: edge.source,
        target: edge.target,
        label: when !== "success" ? when : undefined,
        className: `run-edge when-${when}${cause ? " is-cause" : ""}`,
        animated: cause,
        markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
        ariaLabel: `${labelOf.get(edge.target) ?? edge.target} waits for ${labelOf.get(edge.source) ?? edge.source}${when === "success" ? "" : ` (${when})`}`,
      };
    });
  }, [props.graph, labelOf, chain]);

  const withMiniMap = props.graph.nodes.length > MINIMAP_FROM_NODES;
  useRefitOnResize(container, selectedId, withMiniMap);
  const detailed = useStore((flow) => flow.transform[2] >= DETAIL_FROM_ZOOM);
  const { onSelect } = props;
  // Keyboard selection (Enter on a focused node) arrives as a select change, not a click.
  const onNodesChange = (changes: NodeChange<RunFlowNode>[]) => {
    const picked = changes.find((change) => change.type === "select" && change.selected);
    if (picked && "id" in picked) onSelect(picked.id);
  };
  return (
    <div ref={container} className="run-graph">
      <ReactFlow
        className={detailed ? "is-detailed" : undefined}
        nodes={flowNodes}
        edges={edges}
        nodeTypes={nodeTypes}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable
        onNodesChange={onNodesChange}
        onNodeClick={(_, node) => onSelect(node.id)}
        onPaneClick={() => onSelect(null)}
        onlyRenderVisibleElements
        fitView
        fitViewOptions={fitOptions(withMiniMap)}
        minZoom={0.05}
        proOptions={{ hideAttribution: true }}
        ariaLabelConfig={{ "node.a11yDescription.default": "Press Enter to open this operation's details." }}
      >
        <Background gap={20} />
        {withMiniMap && <MiniMap pannable zoomable nodeComponent={MiniMapRunNode} ariaLabel="Mini map of the run" />}
        <Controls showInteractive={false} fitViewOptions={fitOptions(withMiniMap)} />
      </ReactFlow>
    </div>
  );
});
