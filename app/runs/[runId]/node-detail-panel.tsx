"use client";

import { useRef, useState, type KeyboardEvent } from "react";
import { OPERATION_KINDS } from "@/app/editor/operation-kinds";
import type { SkipCause } from "@/lib/run-view/failure-explanation";
import type { OperationType } from "@/lib/plan/schema";
import { FileChangeDiff } from "./diff-view";
import { LogView } from "./log-view";
import { NodeFacts } from "./node-facts";
import { NodeFailure } from "./node-failure";
import { NodeResult } from "./node-result";
import { useNodeView } from "./run-view-store";

type Tab = "output" | "changes" | "result";
const TABS: readonly Tab[] = ["output", "changes", "result"];

export interface NodeActions {
  /** Offered while the node is queued or running. */
  cancel?: () => void;
  retry?: () => void;
  busy: boolean;
}

/** One node of the run: its facts, why it failed or was skipped, its actions, and its output, changes and result as tabs. */
export function NodeDetailPanel(props: {
  runId: string;
  nodeId: string;
  label: string;
  type: OperationType;
  now: number;
  attemptsBefore: number;
  reusedFromRunId?: string;
  skip?: SkipCause;
  rolledBackBy?: string;
  labelOf(nodeId: string): string;
  onSelectNode(nodeId: string): void;
  actions: NodeActions;
  onClose(): void;
}) {
  // Its own subscription, so its status and log follow every frame while the rest of the page updates a few times a second.
  const view = useNodeView(props.nodeId);
  const [tab, setTab] = useState<Tab>(props.type === "shell" ? "output" : view.fileChanges.length ? "changes" : "result");
  const tabButtons = useRef<(HTMLButtonElement | null)[]>([]);
  const kind = OPERATION_KINDS[props.type];
  const onTabKey = (event: KeyboardEvent, index: number) => {
    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    const next = (index + step + TABS.length) % TABS.length;
    setTab(TABS[next]!);
    tabButtons.current[next]?.focus();
  };

  return (
    <aside className="node-panel" data-testid="node-panel" aria-label={`Details of ${props.label}`}>
      <header className="node-panel-head">
        <span className="run-node-icon" style={{ background: kind.color }} aria-hidden>
          {kind.icon}
        </span>
        <div>
          <h2>{props.label}</h2>
          <div className="muted">
            {kind.title} · <code>{props.nodeId}</code>
          </div>
        </div>
        <button className="icon-button" onClick={props.onClose} aria-label="Close details">
          ×
        </button>
      </header>
      <NodeFacts view={view} attemptsBefore={props.attemptsBefore} reusedFromRunId={props.reusedFromRunId} now={props.now} />
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
      <NodeFailure
        view={view}
        skip={props.skip}
        rolledBackBy={props.rolledBackBy}
        attemptsBefore={props.attemptsBefore}
        labelOf={props.labelOf}
        onSelectNode={props.onSelectNode}
      />
      <div className="tabs" role="tablist" aria-label="Node details">
        {TABS.map((name, index) => (
          <button
            key={name}
            ref={(element) => {
              tabButtons.current[index] = element;
            }}
            role="tab"
            id={`node-tab-${name}`}
            aria-controls="node-tabpanel"
            aria-selected={tab === name}
            tabIndex={tab === name ? 0 : -1}
            className={tab === name ? "tab is-active" : "tab"}
            onClick={() => setTab(name)}
            onKeyDown={(event) => onTabKey(event, index)}
          >
            {name === "output" ? "Output" : name === "changes" ? `Changes (${view.fileChanges.length})` : "Result"}
          </button>
        ))}
      </div>
      <div className="tab-body" role="tabpanel" id="node-tabpanel" aria-labelledby={`node-tab-${tab}`}>
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
        {tab === "result" && <NodeResult result={view.result} />}
      </div>
    </aside>
  );
}
