import Link from "next/link";
import { RunStatus } from "@/lib/run-events/run-events";
import { listPlans } from "@/lib/db/plans";
import { listRuns } from "@/lib/db/runs";
import { groupLineages } from "@/lib/run-view/run-lineage";
import { getAppContext } from "@/lib/server/app-context";
import { resolveCaller } from "@/lib/server/caller";
import { EmptyState } from "../_components/empty-state";
import { formatDuration, formatWhen } from "../_components/format";
import { StatusBadge } from "../_components/status-badge";

export const dynamic = "force-dynamic";
export const metadata = { title: "Runs" };

export default async function RunsPage({ searchParams }: { searchParams: Promise<{ plan?: string; status?: string }> }) {
  const filters = await searchParams;
  const caller = await resolveCaller();
  const { db } = await getAppContext();
  const status = RunStatus.safeParse(filters.status);
  const [runs, plans] = await Promise.all([
    listRuns(db.client, { teamId: caller.teamId, planId: filters.plan || undefined, status: status.success ? status.data : undefined }),
    listPlans(db.client, { teamId: caller.teamId }),
  ]);
  const filtered = Boolean(filters.plan || status.success);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Runs</h1>
          <p>Every execution of the team&apos;s plans, newest first; retries are listed under the run they retry</p>
        </div>
        <form className="run-filters" method="get">
          <select name="plan" defaultValue={filters.plan ?? ""} aria-label="Plan">
            <option value="">All plans</option>
            {plans.map((plan) => (
              <option key={plan.id} value={plan.id}>
                {plan.name}
              </option>
            ))}
          </select>
          <select name="status" defaultValue={status.success ? status.data : ""} aria-label="Status">
            <option value="">Any status</option>
            {RunStatus.options.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </select>
          <button className="button" type="submit">
            Filter
          </button>
        </form>
      </div>
      {runs.length === 0 ? (
        <EmptyState icon="▶" title={filtered ? "No runs match" : "No runs yet"}>
          <p>{filtered ? "Try another plan or status." : "Runs appear here with their status, who started them and how long they took."}</p>
          <Link className="button" href={filtered ? "/runs" : "/library"}>
            {filtered ? "Show all runs" : "Open the library"}
          </Link>
        </EmptyState>
      ) : (
        <div className="card">
          <table className="table">
            <thead>
              <tr>
                <th>Status</th>
                <th>Plan</th>
                <th>Nodes</th>
                <th>Started by</th>
                <th>When</th>
                <th>Duration</th>
              </tr>
            </thead>
            <tbody>
              {groupLineages(runs).map(({ run, generation }) => (
                <tr
                  key={run.id}
                  data-testid="run-row"
                  data-generation={generation}
                  className={generation > 0 ? "run-row-retry" : undefined}
                >
                  <td>
                    {generation > 0 && (
                      <span className="retry-mark" data-testid="retry-mark">
                        ↳ retry {generation}{" "}
                      </span>
                    )}
                    <Link
                      href={`/runs/${run.id}`}
                      aria-label={`${run.plan.name}: ${run.status}${generation > 0 ? `, retry ${generation}` : ""}`}
                    >
                      <StatusBadge status={run.status} />
                    </Link>
                    {run.dryRun && <span className="tag">dry run</span>}
                  </td>
                  <td>
                    <Link href={`/runs/${run.id}`}>{run.plan.name}</Link> <span className="muted">v{run.planVersion.number}</span>
                  </td>
                  <td className="muted">
                    {run.nodeCounts.succeeded ?? 0} ✓ · {run.nodeCounts.failed ?? 0} ✗ · {run.nodeCounts.skipped ?? 0} skipped
                  </td>
                  <td>{run.startedBy.name}</td>
                  <td>{formatWhen(run.createdAt)}</td>
                  <td>{run.startedAt && run.finishedAt ? formatDuration(run.finishedAt.getTime() - run.startedAt.getTime()) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
