import Link from "next/link";
import { listPlans } from "@/lib/db/plans";
import { getAppContext } from "@/lib/server/app-context";
import { EmptyState } from "../empty-state";
import { StatusBadge } from "../status-badge";
import { formatWhen } from "../format";

export const dynamic = "force-dynamic";
export const metadata = { title: "Library" };

export default async function LibraryPage() {
  const { db, defaults } = await getAppContext();
  const plans = await listPlans(db.client, { teamId: defaults.team.id });
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Library</h1>
          <p>{defaults.team.name}&apos;s plans</p>
        </div>
      </div>
      {plans.length === 0 ? (
        <EmptyState icon="🗂️" title="No plans yet">
          <p>
            A plan is a graph of file operations and commands. Run one from the command line with{" "}
            <code>npx batchboard run plan.json --workspace DIR</code> and it appears here.
          </p>
        </EmptyState>
      ) : (
        <div className="card">
          <table className="table">
            <thead>
              <tr>
                <th>Plan</th>
                <th>Tags</th>
                <th>Owner</th>
                <th>Version</th>
                <th>Last run</th>
              </tr>
            </thead>
            <tbody>
              {plans.map((plan) => (
                <tr key={plan.id} data-testid="plan-row">
                  <td>
                    <Link href={`/plans/${plan.id}`} className="plan-name">
                      {plan.name}
                    </Link>
                    <div className="plan-desc">{plan.description}</div>
                  </td>
                  <td>
                    {plan.tags.map((tag) => (
                      <span key={tag} className="tag">
                        {tag}
                      </span>
                    ))}
                  </td>
                  <td>{plan.ownerName}</td>
                  <td>v{plan.latestVersion}</td>
                  <td>
                    {plan.lastRun ? (
                      <>
                        <StatusBadge status={plan.lastRun.status} />{" "}
                        <span className="muted">{formatWhen(plan.lastRun.createdAt)}</span>
                      </>
                    ) : (
                      <span className="muted">Never run</span>
                    )}
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
