"use client";

import Link from "next/link";
import type { RunStatus } from "@/lib/run-events/run-events";
import { isTerminalRunStatus } from "@/lib/run-events/status";
import { runApi } from "./run-api";

/** The run header's actions: cancel, resume, retry failed nodes, undo file changes, and the way back to the plan version. */
export function RunRepairButtons(props: {
  runId: string;
  planId: string;
  versionNumber: number;
  status: RunStatus;
  canRepair: boolean;
  busy: boolean;
  /** Some node ended failed, skipped, cancelled or interrupted. */
  hasNodesToRetry: boolean;
  canUndo: boolean;
  act: <T>(work: () => Promise<T>, then?: (result: T) => void) => Promise<void>;
  openRun: (run: { runId: string }) => void;
  onUndo: () => void;
}) {
  const { runId, act, openRun } = props;
  const finished = isTerminalRunStatus(props.status);
  const disabled = !props.canRepair || props.busy;
  return (
    <>
      {!finished && (
        <button className="button" disabled={disabled} onClick={() => act(() => runApi.cancelRun(runId))}>
          Cancel run
        </button>
      )}
      {props.status === "interrupted" && (
        <button className="button button-primary" disabled={disabled} onClick={() => act(() => runApi.resume(runId), openRun)}>
          Resume
        </button>
      )}
      {finished && props.hasNodesToRetry && (
        <button className="button button-primary" disabled={disabled} onClick={() => act(() => runApi.retryFailed(runId), openRun)}>
          Retry failed
        </button>
      )}
      {finished && props.canUndo && (
        <button className="button" disabled={disabled} onClick={props.onUndo}>
          Undo file changes
        </button>
      )}
      <Link className="button" href={`/plans/${props.planId}?version=${props.versionNumber}`}>
        Open plan version
      </Link>
    </>
  );
}
