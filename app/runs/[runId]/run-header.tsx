"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { UncontainedNotice } from "@/app/_components/uncontained-notice";

/** An earlier run of this run's lineage (the run it retried, that run's parent…), oldest first. */
export interface LineageRun {
  id: string;
  status: string;
  startedText: string;
}

/** The run's title, who started it where, its place in a retry lineage, and the run-wide actions. */
export function RunHeader(props: {
  planId: string;
  planName: string;
  versionNumber: number;
  startedBy: string;
  directory: string;
  dryRun: boolean;
  uncontained: boolean;
  /** Cluster mode: the worker executing the run, or why it still waits for one. */
  placement?: string | null;
  lineage: readonly LineageRun[];
  children: ReactNode;
}) {
  return (
    <header className="run-head">
      <div className="run-title">
        <h1>
          <Link href={`/plans/${props.planId}`}>{props.planName}</Link> <span className="muted">v{props.versionNumber}</span>
        </h1>
        <div className="muted">
          Started by {props.startedBy} · <code>{props.directory}</code>
          {props.placement && <span data-testid="run-placement"> · {props.placement}</span>}
          {props.dryRun && <span className="tag">dry run</span>}
        </div>
        {props.uncontained && <UncontainedNotice subject="run" />}
        {props.lineage.length > 0 && (
          <nav className="run-lineage" aria-label="Retry lineage" data-testid="run-lineage">
            Attempt {props.lineage.length + 1} of this plan run:{" "}
            {props.lineage.map((run, index) => (
              <span key={run.id}>
                <Link href={`/runs/${run.id}`} title={`Started ${run.startedText}`}>
                  {index === 0 ? "first run" : `retry ${index}`}
                </Link>{" "}
                <span className={`status status-${run.status}`}>{run.status}</span> →{" "}
              </span>
            ))}
            <strong>{props.lineage.length === 0 ? "first run" : `retry ${props.lineage.length}`} (this run)</strong>
          </nav>
        )}
      </div>
      <div className="run-actions">{props.children}</div>
    </header>
  );
}
