"use client";

import { memo } from "react";
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps, type EdgeTypes } from "@xyflow/react";
import type { EdgeCondition } from "@/lib/plan/schema";
import { useEditorSelector, useEditorStore } from "./editor-context";
import type { DependencyFlowEdge } from "./editor-model";

const NEXT_CONDITION: Record<EdgeCondition, EdgeCondition> = { success: "failure", failure: "always", always: "success" };

/** A dependency with its condition shown on it; clicking the label switches success → failure → always. */
const DependencyEdge = memo(function DependencyEdge(props: EdgeProps<DependencyFlowEdge>) {
  const store = useEditorStore();
  const when = props.data?.when ?? "success";
  const critical = useEditorSelector((state) => state.overlay?.state === "ready" && state.overlay.criticalEdges.has(`${props.source}->${props.target}`));
  const problems = useEditorSelector((state) => state.validation.byEdge.get(props.id));
  const [path, labelX, labelY] = getBezierPath(props);
  const className = ["dep-edge", `dep-${when}`, critical ? "is-critical" : "", problems?.length ? "has-errors" : "", props.selected ? "is-selected" : ""].join(" ");
  return (
    <>
      <BaseEdge id={props.id} path={path} markerEnd={props.markerEnd} className={className} interactionWidth={16} />
      <EdgeLabelRenderer>
        <button
          type="button"
          className={`dep-label dep-label-${when}${problems?.length ? " has-errors" : ""}`}
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          title={problems?.map((problem) => problem.message).join("\n") ?? `${when} — click to switch: success → failure → always`}
          aria-label={`Condition ${when}; click to switch`}
          data-testid="edge-condition"
          data-edge-id={props.id}
          onClick={(event) => {
            event.stopPropagation();
            store.setEdgeCondition(props.id, NEXT_CONDITION[when]);
          }}
        >
          {when === "success" ? "✓" : when}
        </button>
      </EdgeLabelRenderer>
    </>
  );
});

export const edgeTypes = { dependency: DependencyEdge } satisfies EdgeTypes;
