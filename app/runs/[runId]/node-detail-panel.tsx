"use client";

import { useState } from "react";
import { z } from "zod";
import { OPERATION_KINDS } from "@/app/editor/operation-kinds";
import type { OperationType } from "@/lib/plan/schema";
import { FileChangeDiff } from "./diff-view";
import { LogView } from "./log-view";
import { useNodeView } from "./run-view-store";
import { STATUS_COLORS } from "./status-colors";

/** The result fields the panel knows how to show; anything else is shown as JSON. */
const ProcessResult = z.object({ exitCode: z.number().nullable().optional(), signal: z.string().nullable().optional(), durationMs: z.number().optional() });
const SearchResult = z.object({
  matches: z.array(z.object({ path: z.string(), line: z.number(), column: z.number(), text: z.string() })),
  filesSearched: z.number(),
  truncated: z.boolean(),
});
const ReadResult = z.object({ files: z.array(z.object({ path: z.string() }).passthrough()), totalBytes: z.number(), truncated: z.boolean() });

type Tab = "output" | "changes" | "result";

export interface NodeActions {
  /** Offered while the node is queued or running. */
  cancel?: () => void;
  retry?: () => void;
  busy: boolean;
}

export function NodeDetailPanel(props: {
  runId: string;
  nodeId: string;
  label: string;
  type: OperationType;
  now: number;
  actions: NodeActions;
  onClose(): void;
}) {
  // Its own subscription, so its status and log follow every frame while the rest of the page updates a few times a second.
  const view = useNodeView(props.nodeId);
  const [tab, setTab] = useState<Tab>(props.type === "shell" ? "output" : view.fileChanges.length ? "changes" : "result");
  const processResult = ProcessResult.safeParse(view.result);
  const search = SearchResult.safeParse(view.result);
  const read = ReadResult.safeParse(view.result);
  const lastSpan = view.spans[view.spans.length - 1];
  const duration = view.durationMs ?? (lastSpan ? (lastSpan.finishedAt ?? props.now) - lastSpan.startedAt : undefined);
  const colors = STATUS_COLORS[view.status];
  const failedAttempts = view.spans.filter((span) => span.error);

  return (
    <aside className="node-panel" data-testid="node-panel" aria-label={`Details of ${props.label}`}>
      <header className="node-panel-head">
        <span className="run-node-icon" style={{ background: OPERATION_KINDS[props.type].color }} aria-hidden>
          {OPERATION_KINDS[props.type].icon}
        </span>
        <div>
          <h2>{props.label}</h2>
          <div className="muted">
            {OPERATION_KINDS[props.type].title} · <code>{props.nodeId}</code>
          </div>
        </div>
        <button className="icon-button" onClick={props.onClose} aria-label="Close details">
          ×
        </button>
      </header>
      <dl className="node-facts">
        <dt>Status</dt>
        <dd style={{ color: colors.text }} data-testid="node-status">
          {colors.glyph} {view.status}
          {view.reused ? " (reused from the earlier run)" : ""}
        </dd>
        <dt>Attempt</dt>
        <dd>{view.attempt || "—"}</dd>
        <dt>Duration</dt>
        <dd>{duration === undefined ? "—" : `${(duration / 1000).toFixed(2)} s`}</dd>
        {processResult.success && (processResult.data.exitCode !== undefined || processResult.data.signal) && (
          <>
            <dt>Exit</dt>
            <dd data-testid="node-exit">
              {processResult.data.signal ? `signal ${processResult.data.signal}` : `code ${processResult.data.exitCode ?? "—"}`}
            </dd>
          </>
        )}
        {view.pid !== undefined && (
          <>
            <dt>PID</dt>
            <dd>{view.pid}</dd>
          </>
        )}
      </dl>
      <div className="node-panel-actions">
        {props.actions.cancel && (view.status === "running" || view.status === "queued") && (
          <button className="button" disabled={props.actions.busy} onClick={props.actions.cancel}>
            Cancel node
          </button>
        )}
        {props.actions.retry && (
          <button className="button" disabled={props.actions.busy} onClick={props.actions.retry}>
            Retry this node
          </button>
        )}
      </div>
      {view.error && (
        <div className="node-error" role="alert" data-testid="node-error">
          <strong>{view.error.message}</strong>
          <div className="muted">
            {view.error.code}
            {view.error.editIndex !== undefined ? ` · edit #${view.error.editIndex + 1}` : ""}
          </div>
        </div>
      )}
      {failedAttempts.length > 0 && (
        <details className="node-attempts" open={failedAttempts.length > 1}>
          <summary>{failedAttempts.length} failed attempt{failedAttempts.length === 1 ? "" : "s"}</summary>
          <ol>
            {failedAttempts.map((span) => (
              <li key={span.attempt}>
                Attempt {span.attempt}: {span.error?.message}
              </li>
            ))}
          </ol>
        </details>
      )}
      <div className="tabs" role="tablist">
        {(["output", "changes", "result"] as const).map((name) => (
          <button key={name} role="tab" aria-selected={tab === name} className={tab === name ? "tab is-active" : "tab"} onClick={() => setTab(name)}>
            {name === "output" ? "Output" : name === "changes" ? `Changes (${view.fileChanges.length})` : "Result"}
          </button>
        ))}
      </div>
      <div className="tab-body">
        {tab === "output" && (
          <LogView
            chunks={view.output}
            trimmed={view.outputTrimmed}
            truncated={view.outputTruncated}
            downloadHref={`/api/v1/runs/${encodeURIComponent(props.runId)}/nodes/${encodeURIComponent(props.nodeId)}/log`}
          />
        )}
        {tab === "changes" &&
          (view.fileChanges.length === 0 ? (
            <p className="muted">No file changes.</p>
          ) : (
            view.fileChanges.map((change, index) => (
              <div key={`${change.path}-${index}`} className="file-change">
                <div className="file-change-head">
                  <code>{change.path}</code> <span className="tag">{change.operation}</span>
                  {change.dryRun && <span className="tag">dry run</span>}
                </div>
                <FileChangeDiff runId={props.runId} change={change} />
              </div>
            ))
          ))}
        {tab === "result" &&
          (search.success ? (
            <div data-testid="search-matches">
              <p className="muted">
                {search.data.matches.length} matches in {search.data.filesSearched} files{search.data.truncated ? " (capped)" : ""}
              </p>
              <table className="table matches">
                <tbody>
                  {search.data.matches.map((match, index) => (
                    <tr key={index}>
                      <td>
                        <code>
                          {match.path}:{match.line}:{match.column}
                        </code>
                      </td>
                      <td>
                        <code>{match.text}</code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : read.success ? (
            <p>
              Read {read.data.files.length} files, {read.data.totalBytes} bytes{read.data.truncated ? " (capped)" : ""}:{" "}
              {read.data.files.map((file) => file.path).join(", ")}
            </p>
          ) : view.result === undefined ? (
            <p className="muted">No result yet.</p>
          ) : (
            <pre className="result-json">{JSON.stringify(view.result, null, 2)}</pre>
          ))}
      </div>
    </aside>
  );
}
