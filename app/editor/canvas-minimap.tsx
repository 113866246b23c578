"use client";

import { memo, useEffect, useMemo, useRef, type PointerEvent } from "react";
import { Panel, useReactFlow, useStore } from "@xyflow/react";
import { LAYOUT_NODE_SIZE } from "@/lib/library/layout-plan";
import { useEditorSelector } from "./editor-context";
import { OPERATION_KINDS } from "./operation-kinds";

const WIDTH = 200;
const HEIGHT = 150;

/**
 * The minimap of large plans: nodes drawn once onto a canvas (again only when
 * they change), and the view as a frame moved on top. React Flow's SVG
 * minimap repaints every node on every pan frame, which cost a fifth of the
 * frame on a 2,000-node plan. Click or drag on it to move the view there.
 */
export const CanvasMiniMap = memo(function CanvasMiniMap() {
  const nodes = useEditorSelector((state) => state.graph.nodes);
  const canvas = useRef<HTMLCanvasElement>(null);
  const flow = useReactFlow();
  const [x, y, zoom] = useStore((state) => state.transform);
  const paneWidth = useStore((state) => state.width);
  const paneHeight = useStore((state) => state.height);

  const frame = useMemo(() => {
    let left = Infinity;
    let top = Infinity;
    let right = -Infinity;
    let bottom = -Infinity;
    for (const node of nodes) {
      left = Math.min(left, node.position.x);
      top = Math.min(top, node.position.y);
      right = Math.max(right, node.position.x + (node.measured?.width ?? LAYOUT_NODE_SIZE.width));
      bottom = Math.max(bottom, node.position.y + (node.measured?.height ?? LAYOUT_NODE_SIZE.height));
    }
    if (!Number.isFinite(left)) return { left: 0, top: 0, scale: 1 };
    const scale = Math.min(WIDTH / (right - left), HEIGHT / (bottom - top));
    return { left: left - (WIDTH / scale - (right - left)) / 2, top: top - (HEIGHT / scale - (bottom - top)) / 2, scale };
  }, [nodes]);

  useEffect(() => {
    const context = canvas.current?.getContext("2d");
    if (!context) return;
    context.clearRect(0, 0, WIDTH, HEIGHT);
    for (const node of nodes) {
      context.fillStyle = node.selected ? "#3b5bdb" : OPERATION_KINDS[node.data.kind].color;
      const width = Math.max(1, (node.measured?.width ?? LAYOUT_NODE_SIZE.width) * frame.scale);
      const height = Math.max(1, (node.measured?.height ?? LAYOUT_NODE_SIZE.height) * frame.scale);
      context.fillRect((node.position.x - frame.left) * frame.scale, (node.position.y - frame.top) * frame.scale, width, height);
    }
  }, [nodes, frame]);

  const view = {
    left: (-x / zoom - frame.left) * frame.scale,
    top: (-y / zoom - frame.top) * frame.scale,
    width: (paneWidth / zoom) * frame.scale,
    height: (paneHeight / zoom) * frame.scale,
  };

  const moveTo = (event: PointerEvent<HTMLDivElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const flowX = (event.clientX - box.left) / frame.scale + frame.left;
    const flowY = (event.clientY - box.top) / frame.scale + frame.top;
    void flow.setCenter(flowX, flowY, { zoom });
  };

  return (
    <Panel position="bottom-right" className="canvas-minimap" aria-label="Mini map">
      <div
        className="canvas-minimap-body"
        style={{ width: WIDTH, height: HEIGHT }}
        onPointerDown={(event) => {
          event.currentTarget.setPointerCapture(event.pointerId);
          moveTo(event);
        }}
        onPointerMove={(event) => {
          if (event.buttons === 1) moveTo(event);
        }}
      >
        <canvas ref={canvas} width={WIDTH} height={HEIGHT} />
        <div
          className="canvas-minimap-view"
          style={{ transform: `translate(${view.left}px, ${view.top}px)`, width: view.width, height: view.height }}
        />
      </div>
    </Panel>
  );
});
