"use client";

import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { diffPlans, type ItemDiff } from "@/lib/plan/plan-diff";
import { PlanDraft } from "@/lib/plan/schema";
import { queryKeys } from "@/app/_components/query-keys";
import { getPlanVersion } from "../actions/get-plan-version";
import { listPlanVersions } from "../actions/list-plan-versions";
import { unwrap } from "../_components/use-action-mutation";
import { formatWhen } from "../_components/format";

/** Version history with a diff between any two versions, export and restore. */
export function HistoryPanel({
  planId,
  currentVersion,
  onRestore,
  restoring,
  readOnly = false,
}: {
  planId: string;
  currentVersion: number;
  onRestore: (number: number) => void;
  restoring: boolean;
  readOnly?: boolean;
}) {
  const versions = useQuery({ queryKey: queryKeys.plans.versions(planId), queryFn: () => unwrap(listPlanVersions({ planId })) });
  const [compare, setCompare] = useState<{ from: number; to: number } | null>(null);
  const list = versions.data ?? [];
  const from = compare?.from ?? list[1]?.number ?? 0;
  const to = compare?.to ?? list[0]?.number ?? 0;
  return (
    <div className="history" data-testid="history-panel">
      <ul className="version-list">
        {list.map((version) => (
          <li key={version.id} className="version" data-testid="version-row">
            <div>
              <strong>v{version.number}</strong> {version.isDraft && <span className="op-pill">draft</span>}
              {version.number === currentVersion && <span className="muted small"> (open)</span>}{" "}
              <span className="version-message">{version.message || <em className="muted">no message</em>}</span>
            </div>
            <div className="muted small">
              {version.author.name}, {formatWhen(version.createdAt)}
            </div>
            <div className="version-actions">
              <a className="button button-small" href={`/plans/${planId}/export?version=${version.number}`} download>
                Export
              </a>
              {version.number !== currentVersion && !readOnly && (
                <button type="button" className="button button-small" disabled={restoring} onClick={() => onRestore(version.number)}>
                  Restore
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
      {list.length >= 2 && (
        <div className="diff-pickers">
          <div className="panel-title">Compare</div>
          <label>
            from{" "}
            <select
              className="input"
              aria-label="Compare from version"
              value={from}
              onChange={(event) => setCompare({ from: Number(event.target.value), to })}
            >
              {list.map((version) => (
                <option key={version.number} value={version.number}>
                  v{version.number}
                </option>
              ))}
            </select>
          </label>{" "}
          <label>
            to{" "}
            <select
              className="input"
              aria-label="Compare to version"
              value={to}
              onChange={(event) => setCompare({ from, to: Number(event.target.value) })}
            >
              {list.map((version) => (
                <option key={version.number} value={version.number}>
                  v{version.number}
                </option>
              ))}
            </select>
          </label>
          {from > 0 && to > 0 && <VersionDiff planId={planId} from={from} to={to} />}
        </div>
      )}
    </div>
  );
}

function useVersionDocument(planId: string, number: number) {
  return useQuery({
    queryKey: queryKeys.plans.version(planId, number),
    queryFn: () => unwrap(getPlanVersion({ planId, number })),
    staleTime: Infinity, // versions are immutable
  });
}

function VersionDiff({ planId, from, to }: { planId: string; from: number; to: number }) {
  const before = useVersionDocument(planId, from);
  const after = useVersionDocument(planId, to);
  if (!before.data || !after.data) return <p className="muted">Loading…</p>;
  const a = PlanDraft.safeParse(before.data.document);
  const b = PlanDraft.safeParse(after.data.document);
  if (!a.success || !b.success)
    return <p className="muted">One of these versions is a draft whose shape is broken; it cannot be compared.</p>;
  const diff = diffPlans(a.data, b.data);
  const empty =
    !diff.nodes.added.length &&
    !diff.nodes.removed.length &&
    !diff.nodes.changed.length &&
    !diff.edges.added.length &&
    !diff.edges.removed.length &&
    !diff.edges.changed.length &&
    !diff.settings.length &&
    !diff.plan.length;
  return (
    <div className="diff" data-testid="version-diff">
      {empty && (
        <p className="muted">{diff.moved.length ? `Only the layout changed (${diff.moved.length} nodes moved).` : "No differences."}</p>
      )}
      <DiffSection title="Nodes" diff={diff.nodes} />
      <DiffSection title="Edges" diff={diff.edges} />
      {diff.settings.length > 0 && <p className="diff-changed">~ settings: {diff.settings.join(", ")}</p>}
      {diff.plan.length > 0 && <p className="diff-changed">~ plan: {diff.plan.join(", ")}</p>}
      {diff.moved.length > 0 && !empty && <p className="muted small">Moved: {diff.moved.join(", ")}</p>}
    </div>
  );
}

function DiffSection({ title, diff }: { title: string; diff: ItemDiff }) {
  if (!diff.added.length && !diff.removed.length && !diff.changed.length) return null;
  return (
    <div>
      <div className="panel-title">{title}</div>
      <ul className="diff-list">
        {diff.added.map((id) => (
          <li key={`+${id}`} className="diff-added" data-testid="diff-added">
            + {id}
          </li>
        ))}
        {diff.removed.map((id) => (
          <li key={`-${id}`} className="diff-removed" data-testid="diff-removed">
            − {id}
          </li>
        ))}
        {diff.changed.map((item) => (
          <li key={`~${item.id}`} className="diff-changed" data-testid="diff-changed">
            ~ {item.id}: <span className="mono small">{item.fields.join(", ")}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
