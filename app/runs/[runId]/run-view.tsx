"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { ReactFlowProvider } from "@xyflow/react";
import { graphFromDocument } from "@/app/editor/editor-model";
import { optimizePlan } from "@/lib/plan/optimize-plan";
import { PlanDocument } from "@/lib/plan/schema";
import { runFileChanges, type ReusedNode } from "@/lib/run-view/run-view-state";
import { isTerminalRunStatus } from "@/lib/run-events/status";
import { NodeDetailPanel } from "./node-detail-panel";
import { runApi } from "./run-api";
import { RunGraph } from "./run-graph";
import { RunHeader, type LineageRun } from "./run-header";
import { RunLegend } from "./run-legend";
import { RunSummary } from "./run-summary";
import { RunViewStoreContext } from "./run-view-store";
import { RunTimeline } from "./run-timeline";
import { UndoChangesDialog } from "./undo-changes-dialog";
import { useFailureExplanations } from "./use-failure-explanations";
import { useRunEvents } from "./use-run-events";
import { useRunSnapshot } from "./use-run-snapshot";
import "@xyflow/react/dist/style.css";
import "./run-view.css";

export interface RunViewProps {
  runId: string;
  planId: string;
  planName: string;
  versionNumber: number;
  startedBy: string;
  dryRun: boolean;
  /** The run's commands ran without the sandbox (BATCHBOARD_SANDBOX=off). */
  uncontained: boolean;
  directory: string;
  /** Cluster mode: the worker executing the run, or why it still waits for one. */
  placement?: string | null;
  /** The earlier runs this one retries, oldest first; empty for a first run. */
  lineage: readonly LineageRun[];
  /** Per node, the attempts it made in the earlier runs of the lineage. */
  attemptsBefore: Readonly<Record<string, number>>;
  document: unknown;
  /** Nodes carried over from the parent run (retries): their state comes from the database, not events. */
  reused: readonly (ReusedNode & { ranInRunId?: string })[];
  permissions: { repair: boolean };
}

const FINISHED_WITH_RETRIES = new Set(["failed", "skipped", "cancelled", "interrupted"]);

/** A run, live: header and actions, progress, the graph coloured by status with failures explained, a node's details, and the timeline. */
export function RunView(props: RunViewProps) {
  const router = useRouter();
  const graph = useMemo(() => graphFromDocument(props.document), [props.document]);
  const nodeIds = useMemo(() => graph.nodes.map((node) => node.id), [graph]);
  const labels = useMemo(() => new Map(graph.nodes.map((node) => [node.id, node.data.spec.label || node.id])), [graph]);
  const execution = useMemo(() => {
    const parsed = PlanDocument.safeParse(props.document);
    return parsed.success ? optimizePlan(parsed.data) : null;
  }, [props.document]);
  const critical = useMemo(() => new Set(execution?.criticalPath.nodeIds ?? []), [execution]);
  const batchOf = useMemo(() => execution?.batchIdOf ?? {}, [execution]);
  const reusedFrom = useMemo(() => new Map(props.reused.map((node) => [node.nodeId, node.ranInRunId])), [props.reused]);
  const { store, stream } = useRunEvents(props.runId, nodeIds, props.reused);
  const { state, now } = useRunSnapshot(store);
  const explanations = useFailureExplanations(graph, batchOf, state.nodes);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [undoOpen, setUndoOpen] = useState(false);
  const finished = isTerminalRunStatus(state.status);
  const failedOrSkipped = Object.values(state.nodes).some((node) => FINISHED_WITH_RETRIES.has(node.status));
  const fileChanges = runFileChanges(state);
  const elapsed = state.startedAt ? (state.finishedAt ?? now) - state.startedAt : 0;
  const labelOf = (nodeId: string) => labels.get(nodeId) ?? nodeId;

  async function act<T>(work: () => Promise<T>, then?: (result: T) => void) {
    setBusy(true);
    setProblem(null);
    try {
      // Not `then?.(await work())`: an optional call skips its arguments, and the work with them.
      const result = await work();
      then?.(result);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }
  const openRun = ({ runId }: { runId: string }) => router.push(`/runs/${runId}`);
  const selected = selectedId ? graph.nodes.find((node) => node.id === selectedId) : undefined;

  return (
    <div className="run-page">
      <RunHeader
        planId={props.planId}
        planName={props.planName}
        versionNumber={props.versionNumber}
        startedBy={props.startedBy}
        directory={props.directory}
        dryRun={props.dryRun}
        uncontained={props.uncontained}
        placement={props.placement}
        lineage={props.lineage}
      >
        {!finished && (
          <button className="button" disabled={!props.permissions.repair || busy} onClick={() => act(() => runApi.cancelRun(props.runId))}>
            Cancel run
          </button>
        )}
        {state.status === "interrupted" && (
          <button className="button button-primary" disabled={!props.permissions.repair || busy} onClick={() => act(() => runApi.resume(props.runId), openRun)}>
            Resume
          </button>
        )}
        {finished && failedOrSkipped && (
          <button className="button button-primary" disabled={!props.permissions.repair || busy} onClick={() => act(() => runApi.retryFailed(props.runId), openRun)}>
            Retry failed
          </button>
        )}
        {finished && fileChanges.length > 0 && !props.dryRun && (
          <button className="button" disabled={!props.permissions.repair || busy} onClick={() => setUndoOpen(true)}>
            Undo file changes
          </button>
        )}
        <Link className="button" href={`/plans/${props.planId}?version=${props.versionNumber}`}>
          Open plan version
        </Link>
      </RunHeader>

      <RunSummary state={state} execution={execution} elapsedMs={elapsed} stream={stream} />
      {state.error && <div className="node-error">{state.error}</div>}
      {problem && (
        <div className="node-error" role="alert">
          {problem}
        </div>
      )}

      <div className="run-body">
        <RunViewStoreContext.Provider value={store}>
          <section className="run-canvas" aria-label="Run graph">
            <ReactFlowProvider>
              <RunGraph
                graph={graph}
                batchOf={batchOf}
                critical={critical}
                attemptsBefore={props.attemptsBefore}
                explanations={explanations}
                selectedId={selectedId}
                onSelect={setSelectedId}
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
              now={now}
              attemptsBefore={props.attemptsBefore[selected.id] ?? 0}
              reusedFromRunId={reusedFrom.get(selected.id)}
              skip={explanations.skips.get(selected.id)}
              rolledBackBy={explanations.rollbacks.get(selected.id)}
              labelOf={labelOf}
              onSelectNode={setSelectedId}
              onClose={() => setSelectedId(null)}
              actions={{
                busy,
                cancel: props.permissions.repair ? () => act(() => runApi.cancelNode(props.runId, selected.id)) : undefined,
                retry: props.permissions.repair && finished ? () => act(() => runApi.retryNode(props.runId, selected.id), openRun) : undefined,
              }}
            />
          )}
        </RunViewStoreContext.Provider>
      </div>

      <section className="run-timeline-section" aria-labelledby="timeline-title">
        <h2 className="section-title" id="timeline-title">
          Timeline
        </h2>
        <RunTimeline
          nodes={state.nodes}
          labels={labels}
          critical={critical}
          attemptsBefore={props.attemptsBefore}
          runStartedAt={state.startedAt}
          now={now}
          selectedId={selectedId}
          onSelect={setSelectedId}
        />
      </section>

      {undoOpen && (
        <UndoChangesDialog
          changes={fileChanges}
          busy={busy}
          onKeep={() => setUndoOpen(false)}
          onUndo={() =>
            act(
              () => runApi.undo(props.runId, false),
              (result) => {
                setUndoOpen(false);
                setProblem(
                  result.conflicts.length
                    ? `Nothing was undone: ${result.conflicts.map((conflict) => conflict.path).join(", ")} changed since the run.`
                    : `Restored ${result.restored.length} file(s).`,
                );
              },
            )
          }
        />
      )}
    </div>
  );
}
