import { notFound } from "next/navigation";
import { NotFoundError } from "@/lib/db/errors";
import { getPlanVersion } from "@/lib/db/plan-versions";
import { getPlan } from "@/lib/db/plans";
import { PlanDocument } from "@/lib/plan/schema";
import { getAppContext } from "@/lib/server/app-context";
import { formatWhen } from "../../format";

export const dynamic = "force-dynamic";

async function loadPlan(planId: string) {
  const { db, defaults } = await getAppContext();
  try {
    const plan = await getPlan(db.client, defaults.team.id, planId);
    const version = await getPlanVersion(db.client, defaults.team.id, planId);
    return { plan, version, document: PlanDocument.parse(version.graph) };
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}

export default async function PlanPage({ params }: { params: Promise<{ planId: string }> }) {
  const { planId } = await params;
  const { plan, version, document } = await loadPlan(planId);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{plan.name}</h1>
          <p>
            v{version.number} by {version.author.name}, {formatWhen(version.createdAt)}
          </p>
        </div>
      </div>
      {plan.description && <p>{plan.description}</p>}
      <h2 className="section-title">
        {document.nodes.length} operations, {document.edges.length} dependencies
      </h2>
      <div className="card">
        <ul className="node-list">
          {document.nodes.map((node) => (
            <li key={node.id} data-testid="plan-node">
              <span className="node-type">{node.type}</span>
              <span>
                <strong>{node.label ?? node.id}</strong>{" "}
                <span className="muted">
                  {document.edges.filter((edge) => edge.to === node.id).map((edge) => edge.from).join(", ") || "no dependencies"}
                </span>
              </span>
            </li>
          ))}
        </ul>
      </div>
    </>
  );
}
