"use client";

import { memo } from "react";
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps, type EdgeTypes } from "@xyflow/react";
import type { EdgeCondition } from "@/lib/plan/schema";
import { useEditorSelector, useEditorStore } from "./editor-context";
import type { DependencyFlowEdge } from "./editor-model";

const NEXT_CONDITION: Record<EdgeCondition, EdgeCondition> = { success: "failure", failure: "always", always: "success" };

/**
 * A dependency with its condition shown on it: the line's style always (solid
 * grey, dashed red, dotted purple), and a label on failure and always edges
 * and on the selected edge. Clicking a label selects its edge; clicking the
 * selected edge's label switches success → failure → always. Plain success edges carry no label: large plans render hundreds of
 * them at once, and a label each costs more than the line.
 */
const DependencyEdge = memo(function DependencyEdge(props: EdgeProps<DependencyFlowEdge>) {
  const store = useEditorStore();
  const when = props.data?.when ?? "success";
  const critical = useEditorSelector(
    (state) => state.overlay?.state === "ready" && state.overlay.criticalEdges.has(`${props.source}->${props.target}`),
  );
  const problems = useEditorSelector((state) => state.validation.byEdge.get(props.id));
  const [path, labelX, labelY] = getBezierPath(props);
  const className = [
    "dep-edge",
    `dep-${when}`,
    critical ? "is-critical" : "",
    problems?.length ? "has-errors" : "",
    props.selected ? "is-selected" : "",
  ].join(" ");
  return (
    <>
      <BaseEdge id={props.id} path={path} markerEnd={props.markerEnd} className={className} interactionWidth={16} />
      {(when !== "success" || props.selected || Boolean(problems?.length)) && (
        <EdgeLabelRenderer>
          <button
            type="button"
            className={`dep-label dep-label-${when}${problems?.length ? " has-errors" : ""}`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            title={
              problems?.map((problem) => problem.message).join("\n") ??
              (props.selected ? `${when} — click to switch: success → failure → always` : `${when} — click to select`)
            }
            aria-label={props.selected ? `Condition ${when}; click to switch` : `Condition ${when}; click to select`}
            data-testid="edge-condition"
            data-edge-id={props.id}
            onClick={(event) => {
              event.stopPropagation();
              if (props.selected) store.setEdgeCondition(props.id, NEXT_CONDITION[when]);
              else store.selectEdge(props.id);
            }}
          >
            {when}
          </button>
        </EdgeLabelRenderer>
      )}
    </>
  );
});

export const edgeTypes = { dependency: DependencyEdge } satisfies EdgeTypes;
