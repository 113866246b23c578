"use client";

import type { ExecutionPlan } from "@/lib/plan/execution-plan";
import type { RunViewState } from "@/lib/run-view/run-view-state";
import { isTerminalNodeStatus } from "@/lib/run-events/status";
import { formatDuration } from "../../_components/format";

const BAR_STATUSES = ["succeeded", "failed", "skipped", "cancelled", "interrupted", "running"] as const;

/** The run's status, a progress bar by node status, counts (reused nodes counted once, within the successes), and per-batch progress. */
export function RunSummary(props: { state: RunViewState; execution: ExecutionPlan | null; elapsedMs: number; stream: string }) {
  const statuses = Object.values(props.state.nodes);
  const total = statuses.length;
  const count = (status: string) => statuses.filter((node) => node.status === status).length;
  const done = statuses.filter((node) => isTerminalNodeStatus(node.status)).length;
  const reused = statuses.filter((node) => node.reused).length;
  return (
    <>
      <section className="run-summary" aria-label="Progress">
        <span className={`status status-${props.state.status}`} data-testid="run-status">
          {props.state.status}
        </span>
        <div
          className="progress"
          role="progressbar"
          aria-label="Operations finished"
          aria-valuemin={0}
          aria-valuemax={total}
          aria-valuenow={done}
        >
          {BAR_STATUSES.map((status) => {
            const share = total ? (count(status) / total) * 100 : 0;
            return share > 0 ? <span key={status} className={`progress-${status}`} style={{ width: `${share}%` }} /> : null;
          })}
        </div>
        <span className="run-counts" data-testid="run-counts">
          {done}/{total} done · {count("succeeded")} ✓{reused ? ` (${reused} reused)` : ""} · {count("failed")} ✗ · {count("skipped")}{" "}
          skipped · {count("running")} running
        </span>
        <span className="muted">{formatDuration(props.elapsedMs)}</span>
        <span className={`stream stream-${props.stream}`} title="Live connection">
          {props.stream === "live" ? "● live" : props.stream === "closed" ? "finished" : props.stream}
        </span>
      </section>
      {props.execution && props.execution.batches.length > 0 && (
        <details className="batches">
          <summary>{props.execution.batches.length} batches</summary>
          <ul>
            {props.execution.batches.map((batch) => {
              const finishedInBatch = batch.nodeIds.filter((id) => {
                const node = props.state.nodes[id];
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
    </>
  );
}
