"use client";

import type { ComponentProps } from "react";
import { ReactFlowProvider } from "@xyflow/react";
import { NodeDetailPanel, type NodeActions } from "./node-detail-panel";
import { RunGraph } from "./run-graph";
import { RunLegend } from "./run-legend";
import { RunViewStoreContext, type RunViewStore } from "./run-view-store";

type GraphProps = ComponentProps<typeof RunGraph>;

/** The run's graph with its legend, and the selected node's details beside it. */
export function RunBody(
  props: Pick<GraphProps, "graph" | "batchOf" | "critical" | "attemptsBefore" | "explanations" | "selectedId" | "onSelect"> & {
    store: RunViewStore;
    runId: string;
    now: number;
    /** Per reused node, the earlier run it ran in. */
    reusedFrom: ReadonlyMap<string, string | undefined>;
    labelOf: (nodeId: string) => string;
    actionsOf: (nodeId: string) => NodeActions;
  },
) {
  const { graph, explanations, selectedId, labelOf } = props;
  const selected = selectedId ? graph.nodes.find((node) => node.id === selectedId) : undefined;
  return (
    <div className="run-body">
      <RunViewStoreContext.Provider value={props.store}>
        <section className="run-canvas" aria-label="Run graph">
          <ReactFlowProvider>
            <RunGraph
              graph={graph}
              batchOf={props.batchOf}
              critical={props.critical}
              attemptsBefore={props.attemptsBefore}
              explanations={explanations}
              selectedId={selectedId}
              onSelect={props.onSelect}
            />
          </ReactFlowProvider>
          <RunLegend />
        </section>
        {selected && (
          <NodeDetailPanel
            key={selected.id}
            runId={props.runId}
            nodeId={selected.id}
            label={labelOf(selected.id)}
            type={selected.data.spec.type}
            now={props.now}
            attemptsBefore={props.attemptsBefore[selected.id] ?? 0}
            reusedFromRunId={props.reusedFrom.get(selected.id)}
            skip={explanations.skips.get(selected.id)}
            rolledBackBy={explanations.rollbacks.get(selected.id)}
            labelOf={labelOf}
            onSelectNode={props.onSelect}
            onClose={() => props.onSelect(null)}
            actions={props.actionsOf(selected.id)}
          />
        )}
      </RunViewStoreContext.Provider>
    </div>
  );
}
