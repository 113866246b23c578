"use client";

import { useMemo, useRef } from "react";
import type { EditorGraph } from "@/app/editor/editor-model";
import { explainRollbacks, explainSkips, type SkipCause } from "@/lib/run-view/failure-explanation";
import type { RunViewState } from "@/lib/run-view/run-view-state";

/** Why each skipped or rolled-back node did not do its work; the node the explanation points at is its cause. */
export interface FailureExplanations {
  skips: ReadonlyMap<string, SkipCause>;
  rollbacks: ReadonlyMap<string, string>;
}

/**
 * The run's failure explanations, as one object that changes only when an
 * explanation does: the graph's nodes are rebuilt when it changes, and a live
 * run's state changes many times a second.
 */
export function useFailureExplanations(
  graph: EditorGraph,
  batchOf: Readonly<Record<string, string>>,
  nodes: RunViewState["nodes"],
): FailureExplanations {
  const edges = useMemo(
    () => graph.edges.map((edge) => ({ from: edge.source, to: edge.target, when: edge.data?.when ?? "success" })),
    [graph],
  );
  const fresh = useMemo(
    () => ({ skips: explainSkips(edges, (nodeId) => nodes[nodeId]?.status), rollbacks: explainRollbacks(nodes, batchOf) }),
    [edges, nodes, batchOf],
  );
  const signature =
    [...fresh.skips].map(([id, cause]) => `${id}<${cause.chain.join("<")}`).join("|") +
    "#" +
    [...fresh.rollbacks].map(([id, cause]) => `${id}<${cause}`).join("|");
  const kept = useRef<{ signature: string; value: FailureExplanations } | null>(null);
  if (kept.current?.signature !== signature) kept.current = { signature, value: fresh };
  return kept.current.value;
}
