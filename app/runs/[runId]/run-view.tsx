"use client";

import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { runFileChanges, type ReusedNode } from "@/lib/run-view/run-view-state";
import { isTerminalRunStatus } from "@/lib/run-events/status";
import { runApi } from "./run-api";
import { RunBody } from "./run-body";
import { InterruptedBatchesNotice } from "./interrupted-batches-notice";
import { RunHeader, type LineageRun } from "./run-header";
import { RunRepairButtons } from "./run-repair-buttons";
import { RunSummary } from "./run-summary";
import { RunTimeline } from "./run-timeline";
import { UndoChangesDialog } from "./undo-changes-dialog";
import { useFailureExplanations } from "./use-failure-explanations";
import { useRunAction } from "./use-run-action";
import { useRunEvents } from "./use-run-events";
import { useRunPlan } from "./use-run-plan";
import { useRunSnapshot } from "./use-run-snapshot";
import "@xyflow/react/dist/style.css";
import "../../_components/ui.css";
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
  const { graph, nodeIds, labels, execution, critical, batchOf } = useRunPlan(props.document);
  const reusedFrom = useMemo(() => new Map(props.reused.map((node) => [node.nodeId, node.ranInRunId])), [props.reused]);
  const { store, stream } = useRunEvents(props.runId, nodeIds, props.reused);
  const { state, now } = useRunSnapshot(store);
  const explanations = useFailureExplanations(graph, batchOf, state.nodes);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const { busy, problem, setProblem, act } = useRunAction();
  const [undoOpen, setUndoOpen] = useState(false);
  const finished = isTerminalRunStatus(state.status);
  const failedOrSkipped = Object.values(state.nodes).some((node) => FINISHED_WITH_RETRIES.has(node.status));
  const fileChanges = runFileChanges(state);
  const elapsed = state.startedAt ? (state.finishedAt ?? now) - state.startedAt : 0;
  const labelOf = (nodeId: string) => labels.get(nodeId) ?? nodeId;
  const openRun = ({ runId }: { runId: string }) => router.push(`/runs/${runId}`);

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
        <RunRepairButtons
          runId={props.runId}
          planId={props.planId}
          versionNumber={props.versionNumber}
          status={state.status}
          canRepair={props.permissions.repair}
          busy={busy}
          hasNodesToRetry={failedOrSkipped}
          canUndo={fileChanges.length > 0 && !props.dryRun}
          act={act}
          openRun={openRun}
          onUndo={() => setUndoOpen(true)}
        />
      </RunHeader>

      <RunSummary state={state} execution={execution} elapsedMs={elapsed} stream={stream} />
      {state.interruptedBatches.length > 0 && <InterruptedBatchesNotice batches={state.interruptedBatches} status={state.status} />}
      {state.error && <div className="node-error">{state.error}</div>}
      {problem && (
        <div className="node-error" role="alert">
          {problem}
        </div>
      )}

      <RunBody
        store={store}
        runId={props.runId}
        graph={graph}
        batchOf={batchOf}
        critical={critical}
        attemptsBefore={props.attemptsBefore}
        explanations={explanations}
        selectedId={selectedId}
        onSelect={setSelectedId}
        now={now}
        reusedFrom={reusedFrom}
        labelOf={labelOf}
        actionsOf={(nodeId) => ({
          busy,
          cancel: props.permissions.repair ? () => act(() => runApi.cancelNode(props.runId, nodeId)) : undefined,
          retry: props.permissions.repair && finished ? () => act(() => runApi.retryNode(props.runId, nodeId), openRun) : undefined,
        })}
      />

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
