"use client";

import { useState, type DragEvent, type RefObject } from "react";
import { Background, Controls, MiniMap, ReactFlow, useStore } from "@xyflow/react";
import { OPERATION_TYPES, type OperationType } from "@/lib/plan/schema";
import { BatchGroups } from "./batch-groups";
import { CanvasMiniMap } from "./canvas-minimap";
import { edgeTypes } from "./dependency-edge";
import { useEditorSelector, useEditorStore } from "./editor-context";
import {
  DETAIL_FROM_ZOOM,
  LARGE_PLAN_NODES,
  openingView,
  useDeferredMount,
  useEdgesNearView,
  useProgressiveNodes,
} from "./large-plan-view";
import { nodeTypes } from "./operation-nodes";
import { PALETTE_MIME } from "./palette";

function isOperationType(value: string): value is OperationType {
  return (OPERATION_TYPES as readonly string[]).includes(value);
}

/**
 * The React Flow canvas of the editor: the graph, with large plans loaded
 * progressively and only the edges near the view drawn; an operation dragged
 * from the palette is handed to `onDropOperation` with where it was dropped.
 */
export function EditorCanvas({
  canvas,
  readOnly,
  onDropOperation,
}: {
  canvas: RefObject<HTMLDivElement | null>;
  readOnly: boolean;
  onDropOperation: (type: OperationType, drop: { x: number; y: number }) => void;
}) {
  const store = useEditorStore();
  const nodes = useEditorSelector((state) => state.graph.nodes);
  const edges = useEditorSelector((state) => state.graph.edges);
  // Fit only a plan that has nodes when opened: fitting an empty canvas would jump the view on the first drop.
  const [fitOnOpen] = useState(() => store.getState().graph.nodes.length > 0);
  const [fitViewOptions] = useState(() => openingView(store.getState().graph.nodes));
  const [largePlan] = useState(() => store.getState().graph.nodes.length > LARGE_PLAN_NODES);
  const { loadedNodes, loadedEdges, loading } = useProgressiveNodes(nodes, edges, largePlan ? fitViewOptions : null);
  const miniMapShown = useDeferredMount(largePlan ? 300 : 0, !loading);
  const { shownEdges, onMove: onMoveEdges } = useEdgesNearView(loadedEdges, nodes, largePlan, canvas);
  const detailed = useStore((flow) => flow.transform[2] >= DETAIL_FROM_ZOOM);

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    const type = event.dataTransfer.getData(PALETTE_MIME);
    if (!readOnly && isOperationType(type)) onDropOperation(type, { x: event.clientX, y: event.clientY });
  };

  return (
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
        ariaLabelConfig={{
          "node.a11yDescription.default":
            "Press Enter or Space to select this operation; its form opens in the inspector. Arrow keys move a selected node.",
        }}
      >
        {!largePlan && <Background gap={20} />}
        {largePlan ? miniMapShown && <CanvasMiniMap /> : <MiniMap pannable zoomable nodeStrokeWidth={3} ariaLabel="Mini map" />}
        <Controls />
        <BatchGroups />
      </ReactFlow>
      {nodes.length === 0 && (
        <div className="canvas-empty" data-testid="canvas-empty">
          <strong>An empty plan</strong>
          <span>
            Drag an operation from the palette onto the canvas (or click it), then join nodes by dragging from a node&apos;s right handle to
            another&apos;s left one.
          </span>
        </div>
      )}
    </div>
  );
}
