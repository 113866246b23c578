"use client";

import { memo } from "react";
import { ViewportPortal } from "@xyflow/react";
import { useEditorSelector } from "./editor-context";
import { LAYOUT_NODE_SIZE } from "@/lib/library/layout-plan";

const PAD = 12;

/**
 * Draws each multi-node batch as a coloured box behind its nodes, and labels
 * each wave, in flow coordinates (so they pan and zoom with the graph).
 */
export const BatchGroups = memo(function BatchGroups() {
  const overlay = useEditorSelector((state) => state.overlay);
  const nodes = useEditorSelector((state) => state.graph.nodes);
  if (overlay?.state !== "ready") return null;
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const boxOf = (ids: readonly string[]) => {
    let left = Infinity;
    let top = Infinity;
    let right = -Infinity;
    let bottom = -Infinity;
    for (const id of ids) {
      const node = byId.get(id);
      if (!node) continue;
      const width = node.measured?.width ?? LAYOUT_NODE_SIZE.width;
      const height = node.measured?.height ?? LAYOUT_NODE_SIZE.height;
      left = Math.min(left, node.position.x);
      top = Math.min(top, node.position.y);
      right = Math.max(right, node.position.x + width);
      bottom = Math.max(bottom, node.position.y + height);
    }
    return Number.isFinite(left)
      ? { left: left - PAD, top: top - PAD - 14, width: right - left + 2 * PAD, height: bottom - top + 2 * PAD + 14 }
      : null;
  };
  return (
    <ViewportPortal>
      {overlay.execution.batches
        .filter((batch) => batch.nodeIds.length > 1)
        .map((batch) => {
          const box = boxOf(batch.nodeIds);
          const color = overlay.colorOf.get(batch.id) ?? "#adb5bd";
          return box ? (
            <div
              key={batch.id}
              className="batch-group"
              data-testid="batch-group"
              style={{ ...box, position: "absolute", borderColor: color, background: `${color}14` }}
            >
              <span style={{ color }}>{batch.id}</span>
            </div>
          ) : null;
        })}
      {overlay.execution.waves.map((wave, index) => {
        const box = boxOf(wave);
        return box ? (
          <div key={`wave-${index}`} className="wave-label" style={{ position: "absolute", left: box.left, top: box.top - 26 }}>
            Wave {index}
          </div>
        ) : null;
      })}
    </ViewportPortal>
  );
});
