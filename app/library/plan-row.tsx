"use client";

import Link from "next/link";
import type { PlanSummary } from "@/lib/db/plans";
import { StatusBadge } from "../_components/status-badge";
import { formatWhen } from "../_components/format";

/** One plan of the library with its row actions: export, duplicate, archive or restore. */
export function PlanRow(props: {
  plan: PlanSummary;
  busy: boolean;
  onTag(tag: string): void;
  onDuplicate(): void;
  onArchive(): void;
  onRestore(): void;
}) {
  const { plan } = props;
  return (
    <tr data-testid="plan-row">
      <td>
        <Link href={`/plans/${plan.id}`} className="plan-name">
          {plan.name}
        </Link>
        <div className="plan-desc">{plan.description}</div>
      </td>
      <td>
        {plan.tags.map((name) => (
          <button key={name} type="button" className="tag tag-button" onClick={() => props.onTag(name)} title={`Show plans tagged ${name}`}>
            {name}
          </button>
        ))}
      </td>
      <td>{plan.ownerName}</td>
      <td>
        v{plan.latestVersion}
        <div className="muted small">{formatWhen(plan.updatedAt)}</div>
      </td>
      <td>
        {plan.lastRun ? (
          <>
            <StatusBadge status={plan.lastRun.status} />
            <div className="muted small">{formatWhen(plan.lastRun.createdAt)}</div>
          </>
        ) : (
          <span className="muted">Never run</span>
        )}
      </td>
      <td className="row-actions">
        <a className="button button-small" href={`/plans/${plan.id}/export`} download>
          Export
        </a>
        <button type="button" className="button button-small" disabled={props.busy} onClick={props.onDuplicate}>
          Duplicate
        </button>
        {plan.archived ? (
          <button type="button" className="button button-small" onClick={props.onRestore}>
            Restore
          </button>
        ) : (
          <button type="button" className="button button-small" onClick={props.onArchive}>
            Archive
          </button>
        )}
      </td>
    </tr>
  );
}
