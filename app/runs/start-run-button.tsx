"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { unwrap } from "@/app/_components/use-action-mutation";
import { MAX_RUN_CONCURRENCY, MIN_RUN_CONCURRENCY } from "@/lib/plan/run-concurrency";
import { startRun } from "./actions/start-run";

export interface RunTarget {
  id: string;
  name: string;
}

/**
 * Starts a run of a plan version: in a registered workspace of the team or a
 * fresh scratch directory, as a dry run or for real, with a concurrency.
 * Opens the live run view when the server has accepted it.
 */
export function StartRunButton(props: {
  planId: string;
  versionNumber?: number;
  workspaces: readonly RunTarget[];
  defaultConcurrency?: number;
  disabled?: boolean;
  disabledReason?: string;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [workspaceId, setWorkspaceId] = useState<string>(props.workspaces[0]?.id ?? "");
  const [dryRun, setDryRun] = useState(false);
  const [concurrency, setConcurrency] = useState(props.defaultConcurrency ?? 8);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function submit() {
    setBusy(true);
    setProblem(null);
    try {
      const { runId } = await unwrap(
        startRun({ planId: props.planId, versionNumber: props.versionNumber, workspaceId: workspaceId || undefined, dryRun, concurrency }),
      );
      router.push(`/runs/${runId}`);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
      setBusy(false);
    }
  }

  return (
    <>
      <button
        className="button button-primary"
        disabled={props.disabled}
        title={props.disabled ? props.disabledReason : undefined}
        onClick={() => setOpen(true)}
      >
        ▶ Run
      </button>
      {open && (
        <div className="dialog-backdrop" role="dialog" aria-modal="true" aria-label="Start a run">
          <form
            className="dialog card start-run"
            onSubmit={(event) => {
              event.preventDefault();
              void submit();
            }}
          >
            <h2>Start a run</h2>
            <label>
              Where
              <select value={workspaceId} onChange={(event) => setWorkspaceId(event.target.value)} name="workspace">
                {props.workspaces.map((workspace) => (
                  <option key={workspace.id} value={workspace.id}>
                    Workspace: {workspace.name}
                  </option>
                ))}
                <option value="">A fresh scratch directory</option>
              </select>
            </label>
            <label>
              Concurrency
              <input
                type="number"
                min={MIN_RUN_CONCURRENCY}
                max={MAX_RUN_CONCURRENCY}
                value={concurrency}
                onChange={(event) => setConcurrency(Number(event.target.value) || MIN_RUN_CONCURRENCY)}
                name="concurrency"
              />
            </label>
            <label className="checkbox">
              <input type="checkbox" checked={dryRun} onChange={(event) => setDryRun(event.target.checked)} name="dryRun" /> Dry run: show
              every file change as a diff, write nothing, run no command
            </label>
            {problem && (
              <div className="node-error" role="alert">
                {problem}
              </div>
            )}
            <div className="dialog-actions">
              <button type="button" className="button" onClick={() => setOpen(false)}>
                Cancel
              </button>
              <button type="submit" className="button button-primary" disabled={busy}>
                {busy ? "Starting…" : "Start run"}
              </button>
            </div>
          </form>
        </div>
      )}
    </>
  );
}
