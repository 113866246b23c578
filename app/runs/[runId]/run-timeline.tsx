"use client";

import { useMemo, useState } from "react";
import type { NodeView } from "@/lib/run-view/run-view-state";
import { formatDuration } from "../../_components/format";
import { STATUS_COLORS } from "./status-colors";

const ROW_HEIGHT = 18;
const LABEL_WIDTH = 180;
const VISIBLE_ROWS = 12;

interface TimelineRow {
  nodeId: string;
  label: string;
  critical: boolean;
  view: NodeView;
  start: number;
}

/** A node that settled without running (skipped, or cancelled before it started) is a mark on the timeline at that moment. */
function settledWithoutRunning(view: NodeView): boolean {
  return view.spans.length === 0 && !view.reused && view.settledAt !== undefined;
}

/**
 * A Gantt chart of node executions: one row per node that ran, one bar per
 * attempt (failed attempts in red, numbered across the retry lineage), a
 * mark where a node was skipped, critical-path rows marked, so waiting and
 * idle gaps show as white space. Only the rows in view are drawn; each row
 * is a button that selects its node.
 */
export function RunTimeline(props: {
  nodes: Readonly<Record<string, NodeView>>;
  labels: ReadonlyMap<string, string>;
  critical: ReadonlySet<string>;
  attemptsBefore: Readonly<Record<string, number>>;
  runStartedAt: number | undefined;
  now: number;
  selectedId: string | null;
  onSelect(nodeId: string): void;
}) {
  const [scrollTop, setScrollTop] = useState(0);
  const rows = useMemo((): TimelineRow[] => {
    const list: TimelineRow[] = [];
    for (const [nodeId, view] of Object.entries(props.nodes)) {
      const start = view.spans[0]?.startedAt ?? (settledWithoutRunning(view) ? view.settledAt : undefined);
      if (start === undefined) continue;
      list.push({ nodeId, view, start, label: props.labels.get(nodeId) ?? nodeId, critical: props.critical.has(nodeId) });
    }
    return list.sort((a, b) => a.start - b.start || a.nodeId.localeCompare(b.nodeId));
  }, [props.nodes, props.labels, props.critical]);

  if (rows.length === 0) {
    return <div className="timeline-empty">The timeline fills in as operations start.</div>;
  }
  const origin = props.runStartedAt ?? rows[0]?.start ?? props.now;
  let end = origin + 1;
  for (const row of rows) {
    end = Math.max(end, row.start);
    for (const span of row.view.spans) end = Math.max(end, span.finishedAt ?? props.now);
  }
  const total = end - origin;
  const width = 1000;
  const x = (time: number) => LABEL_WIDTH + ((time - origin) / total) * (width - LABEL_WIDTH - 8);
  const firstRow = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - 2);
  const shown = rows.slice(firstRow, firstRow + VISIBLE_ROWS + 4);

  return (
    <div className="timeline" data-testid="run-timeline">
      <div className="timeline-axis">
        <span>0</span>
        <span>{formatDuration(total / 2)}</span>
        <span>{formatDuration(total)}</span>
      </div>
      <div
        className="timeline-scroll"
        style={{ height: Math.min(rows.length, VISIBLE_ROWS) * ROW_HEIGHT + 4 }}
        onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
      >
        <svg
          width="100%"
          height={rows.length * ROW_HEIGHT}
          viewBox={`0 0 ${width} ${rows.length * ROW_HEIGHT}`}
          preserveAspectRatio="none"
          aria-label="Timeline of node executions"
        >
          {shown.map((row, index) => (
            <TimelineRowMarks
              key={row.nodeId}
              row={row}
              y={(firstRow + index) * ROW_HEIGHT}
              width={width}
              x={x}
              now={props.now}
              selected={row.nodeId === props.selectedId}
              attemptsBefore={props.attemptsBefore[row.nodeId] ?? 0}
              onSelect={props.onSelect}
            />
          ))}
        </svg>
      </div>
    </div>
  );
}

/** One node's row: its label, a mark where it settled without running, and a bar per attempt. */
function TimelineRowMarks(props: {
  row: TimelineRow;
  y: number;
  width: number;
  x: (time: number) => number;
  now: number;
  selected: boolean;
  /** Attempts the node made in earlier runs of the retry lineage. */
  attemptsBefore: number;
  onSelect(nodeId: string): void;
}) {
  const { row, y, width, x } = props;
  return (
    <g
      className={`timeline-row${props.selected ? " is-selected" : ""}`}
      role="button"
      tabIndex={0}
      onClick={() => props.onSelect(row.nodeId)}
      onKeyDown={(event) => {
        if (event.key !== "Enter" && event.key !== " ") return;
        event.preventDefault();
        props.onSelect(row.nodeId);
      }}
      data-testid="timeline-row"
      data-node-id={row.nodeId}
      data-status={row.view.status}
    >
      <rect x={0} y={y} width={width} height={ROW_HEIGHT} className="timeline-row-bg" />
      <text x={6} y={y + 13} className={row.critical ? "timeline-label is-critical" : "timeline-label"}>
        {row.critical ? "◆ " : ""}
        {row.label.length > 26 ? `${row.label.slice(0, 25)}…` : row.label}
      </text>
      {settledWithoutRunning(row.view) && (
        <g className="timeline-skip">
          <rect
            x={x(row.start) - 4}
            y={y + 4}
            width={8}
            height={ROW_HEIGHT - 8}
            fill="none"
            stroke={STATUS_COLORS[row.view.status].border}
            strokeDasharray="2 2"
          />
          <text
            x={x(row.start) > width * 0.8 ? x(row.start) - 8 : x(row.start) + 8}
            textAnchor={x(row.start) > width * 0.8 ? "end" : "start"}
            y={y + 13}
            className="timeline-skip-label"
          >
            {row.view.status}
          </text>
        </g>
      )}
      {row.view.spans.map((span) => {
        const left = x(span.startedAt);
        const right = x(span.finishedAt ?? props.now);
        return (
          <rect
            key={span.attempt}
            x={left}
            y={y + 3}
            width={Math.max(2, right - left)}
            height={ROW_HEIGHT - 6}
            rx={2}
            fill={STATUS_COLORS[span.status].border}
            className={span.finishedAt === null ? "timeline-bar is-running" : "timeline-bar"}
          >
            <title>{`${row.label} · attempt ${span.attempt + props.attemptsBefore} · ${span.status} · ${formatDuration((span.finishedAt ?? props.now) - span.startedAt)}${span.error ? ` · ${span.error.message}` : ""}`}</title>
          </rect>
        );
      })}
    </g>
  );
}
