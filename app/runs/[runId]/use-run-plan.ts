"use client";

import { useMemo } from "react";
import { graphFromDocument } from "@/app/editor/editor-model";
import { optimizePlan } from "@/lib/plan/optimize-plan";
import { PlanDocument } from "@/lib/plan/schema";

/** What the run view draws from the run's plan document: the graph, labels, and the optimizer's batches and critical path. */
export function useRunPlan(document: unknown) {
  const graph = useMemo(() => graphFromDocument(document), [document]);
  const nodeIds = useMemo(() => graph.nodes.map((node) => node.id), [graph]);
  const labels = useMemo(() => new Map(graph.nodes.map((node) => [node.id, node.data.spec.label || node.id])), [graph]);
  const execution = useMemo(() => {
    const parsed = PlanDocument.safeParse(document);
    return parsed.success ? optimizePlan(parsed.data) : null;
  }, [document]);
  const critical = useMemo(() => new Set(execution?.criticalPath.nodeIds ?? []), [execution]);
  const batchOf = useMemo(() => execution?.batchIdOf ?? {}, [execution]);
  return { graph, nodeIds, labels, execution, critical, batchOf };
}
