"use client";

import { useRef, type KeyboardEvent } from "react";
import { HistoryPanel } from "./history-panel";
import { Inspector } from "./inspector";
import { OptimizerPanel } from "./optimizer-panel";

export type SideTab = "inspector" | "optimizer" | "history";
const TABS: readonly { id: SideTab; title: string }[] = [
  { id: "inspector", title: "Inspector" },
  { id: "optimizer", title: "Optimizer" },
  { id: "history", title: "History" },
];

/** The editor's right-hand panel: the inspector, the optimizer's explanation, and version history, as ARIA tabs (arrow keys move between them). */
export function SidePanel(props: {
  planId: string;
  tab: SideTab;
  onTab(tab: SideTab): void;
  currentVersion: number;
  readOnly: boolean;
  restoring: boolean;
  onRestore(number: number): void;
  onFocusNodes(ids: string[]): void;
}) {
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKeyDown = (event: KeyboardEvent, index: number) => {
    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    const next = (index + step + TABS.length) % TABS.length;
    props.onTab(TABS[next]!.id);
    tabs.current[next]?.focus();
  };
  return (
    <aside className="side-panel" aria-label="Plan details">
      <div className="tabs" role="tablist" aria-label="Side panel">
        {TABS.map(({ id, title }, index) => (
          <button
            key={id}
            ref={(element) => {
              tabs.current[index] = element;
            }}
            type="button"
            role="tab"
            id={`side-tab-${id}`}
            aria-controls="side-tabpanel"
            aria-selected={props.tab === id}
            tabIndex={props.tab === id ? 0 : -1}
            className="tab"
            onClick={() => props.onTab(id)}
            onKeyDown={(event) => onKeyDown(event, index)}
          >
            {title}
          </button>
        ))}
      </div>
      <div className="side-body" role="tabpanel" id="side-tabpanel" aria-labelledby={`side-tab-${props.tab}`}>
        {props.tab === "inspector" && <Inspector readOnly={props.readOnly} />}
        {props.tab === "optimizer" && <OptimizerPanel onFocusNodes={props.onFocusNodes} readOnly={props.readOnly} />}
        {props.tab === "history" && (
          <HistoryPanel
            planId={props.planId}
            currentVersion={props.currentVersion}
            onRestore={props.onRestore}
            restoring={props.restoring}
            readOnly={props.readOnly}
          />
        )}
      </div>
    </aside>
  );
}
