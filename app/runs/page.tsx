import Link from "next/link";
import { listRuns } from "@/lib/db/runs";
import { getAppContext } from "@/lib/server/app-context";
import { EmptyState } from "../empty-state";
import { formatDuration, formatWhen } from "../format";
import { StatusBadge } from "../status-badge";

export const dynamic = "force-dynamic";
export const metadata = { title: "Runs" };

export default async function RunsPage() {
  const { db, defaults } = await getAppContext();
  const runs = await listRuns(db.client, { teamId: defaults.team.id });
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Runs</h1>
          <p>Every execution of {defaults.team.name}&apos;s plans, newest first</p>
        </div>
      </div>
      {runs.length === 0 ? (
        <EmptyState icon="▶️" title="No runs yet">
          <p>Runs appear here with their status, who started them and how long they took.</p>
          <Link className="button" href="/library">
            Open the library
          </Link>
        </EmptyState>
      ) : (
        <div className="card">
          <table className="table">
            <thead>
              <tr>
                <th>Status</th>
                <th>Plan</th>
                <th>Started by</th>
                <th>When</th>
                <th>Duration</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr key={run.id} data-testid="run-row">
                  <td>
                    <StatusBadge status={run.status} />
                  </td>
                  <td>
                    <Link href={`/plans/${run.planId}`}>{run.plan.name}</Link>{" "}
                    <span className="muted">v{run.planVersion.number}</span>
                  </td>
                  <td>{run.startedBy.name}</td>
                  <td>{formatWhen(run.createdAt)}</td>
                  <td>
                    {run.startedAt && run.finishedAt
                      ? formatDuration(run.finishedAt.getTime() - run.startedAt.getTime())
                      : "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
