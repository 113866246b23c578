"use client";

import Link from "next/link";
import { UncontainedNotice } from "@/app/_components/uncontained-notice";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { ReactFlowProvider } from "@xyflow/react";
import { graphFromDocument } from "@/app/editor/editor-model";
import { optimizePlan } from "@/lib/plan/optimize-plan";
import { PlanDocument } from "@/lib/plan/schema";
import { runFileChanges, type ReusedNode } from "@/lib/run-view/run-view-state";
import { isTerminalNodeStatus, isTerminalRunStatus } from "@/lib/runner/status";
import { formatDuration } from "../../format";
import { NodeDetailPanel } from "./node-detail-panel";
import { runApi } from "./run-api";
import { RunGraph } from "./run-graph";
import { RunViewStoreContext } from "./run-view-store";
import { RunTimeline } from "./run-timeline";
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
  parentRunId: string | null;
  document: unknown;
  /** Nodes carried over from the parent run (retries): their state comes from the database, not events. */
  reused: readonly ReusedNode[];
  permissions: { repair: boolean };
}

const FINISHED_WITH_RETRIES = new Set(["failed", "skipped", "cancelled", "interrupted"]);

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
  const { store, stream } = useRunEvents(props.runId, nodeIds, props.reused);
  const { state, now } = useRunSnapshot(store);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [undoOpen, setUndoOpen] = useState(false);
  const finished = isTerminalRunStatus(state.status);

  const statuses = Object.values(state.nodes);
  const total = statuses.length;
  const count = (status: string) => statuses.filter((node) => node.status === status).length;
  const done = statuses.filter((node) => isTerminalNodeStatus(node.status)).length;
  const failedOrSkipped = statuses.some((node) => FINISHED_WITH_RETRIES.has(node.status));
  const fileChanges = runFileChanges(state);
  const elapsed = state.startedAt ? (state.finishedAt ?? now) - state.startedAt : 0;

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
      <header className="run-head">
        <div className="run-title">
          <h1>
            <Link href={`/plans/${props.planId}`}>{props.planName}</Link> <span className="muted">v{props.versionNumber}</span>
          </h1>
          <div className="muted">
            Started by {props.startedBy} · <code>{props.directory}</code>
            {props.placement && <span data-testid="run-placement"> · {props.placement}</span>}
            {props.dryRun && <span className="tag">dry run</span>}
            {props.parentRunId && (
              <>
                {" "}
                · retry of <Link href={`/runs/${props.parentRunId}`}>an earlier run</Link>
              </>
            )}
          </div>
          {props.uncontained && <UncontainedNotice subject="run" />}
        </div>
        <div className="run-actions">
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
        </div>
      </header>

      <section className="run-summary" aria-label="Progress">
        <span className={`status status-${state.status}`} data-testid="run-status">
          {state.status}
        </span>
        <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={total} aria-valuenow={done}>
          {(["succeeded", "failed", "skipped", "cancelled", "interrupted", "running"] as const).map((status) => {
            const share = total ? (count(status) / total) * 100 : 0;
            return share > 0 ? <span key={status} className={`progress-${status}`} style={{ width: `${share}%` }} /> : null;
          })}
        </div>
        <span className="run-counts" data-testid="run-counts">
          {done}/{total} done · {count("succeeded")} ✓ · {count("failed")} ✗ · {count("skipped")} skipped · {count("running")} running
        </span>
        <span className="muted">{formatDuration(elapsed)}</span>
        <span className={`stream stream-${stream}`} title="Live connection">
          {stream === "live" ? "● live" : stream === "closed" ? "finished" : stream}
        </span>
      </section>
      {state.error && <div className="node-error">{state.error}</div>}
      {problem && (
        <div className="node-error" role="alert">
          {problem}
        </div>
      )}

      {execution && execution.batches.length > 0 && (
        <details className="batches">
          <summary>{execution.batches.length} batches</summary>
          <ul>
            {execution.batches.map((batch) => {
              const finishedInBatch = batch.nodeIds.filter((id) => {
                const node = state.nodes[id];
                return node ? isTerminalNodeStatus(node.status) : false;
              }).length;
              return (
                <li key={batch.id} data-testid="batch-progress">
                  <code>{batch.id}</code> {batch.kind} · {finishedInBatch}/{batch.nodeIds.length}
                  {batch.atomic ? " · atomic" : ""}
                </li>
              );
            })}
          </ul>
        </details>
      )}

      <div className="run-body">
        <RunViewStoreContext.Provider value={store}>
          <div className="run-canvas">
            <ReactFlowProvider>
              <RunGraph graph={graph} batchOf={batchOf} critical={critical} selectedId={selectedId} onSelect={setSelectedId} />
            </ReactFlowProvider>
          </div>
          {selected && (
            <NodeDetailPanel
              key={selected.id}
              runId={props.runId}
              nodeId={selected.id}
              label={labels.get(selected.id) ?? selected.id}
              type={selected.data.spec.type}
              now={now}
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

      <section className="run-timeline-section" aria-label="Timeline">
        <h2 className="section-title">Timeline</h2>
        <RunTimeline nodes={state.nodes} labels={labels} critical={critical} runStartedAt={state.startedAt} now={now} selectedId={selectedId} onSelect={setSelectedId} />
      </section>

      {undoOpen && (
        <div className="dialog-backdrop" role="dialog" aria-modal="true" aria-label="Undo file changes">
          <div className="dialog card">
            <h2>Undo this run&apos;s file changes?</h2>
            <p className="muted">These files go back to how they were before the run. Files changed since are refused.</p>
            <ul className="undo-list">
              {fileChanges.map((change, index) => (
                <li key={index}>
                  <code>{change.path}</code> <span className="tag">{change.operation}</span>
                </li>
              ))}
            </ul>
            <div className="dialog-actions">
              <button className="button" onClick={() => setUndoOpen(false)}>
                Keep them
              </button>
              <button
                className="button button-primary"
                disabled={busy}
                onClick={() =>
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
              >
                Undo changes
              </button>
            </div>
          </div>
        </div>
      )}
    </div>
  );
}

