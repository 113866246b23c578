import { notFound } from "next/navigation";
import { NotFoundError } from "@/lib/db/errors";
import { getPlanVersion } from "@/lib/db/plan-versions";
import { getPlan } from "@/lib/db/plans";
import { getAppContext } from "@/lib/server/app-context";
import { resolveCaller } from "@/lib/server/caller";
import { PlanEditor } from "../../editor/plan-editor";
import { formatWhen } from "../../format";

export const dynamic = "force-dynamic";

async function loadPlan(planId: string) {
  const caller = await resolveCaller();
  const { db } = await getAppContext();
  try {
    const plan = await getPlan(db.client, caller.teamId, planId);
    const version = await getPlanVersion(db.client, caller.teamId, planId);
    return { plan, version };
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: { params: Promise<{ planId: string }> }) {
  const { planId } = await params;
  const caller = await resolveCaller();
  const { db } = await getAppContext();
  const plan = await getPlan(db.client, caller.teamId, planId).catch(() => null);
  return { title: plan?.name ?? "Plan" };
}

/** The plan editor, opened on the newest version. */
export default async function PlanPage({ params }: { params: Promise<{ planId: string }> }) {
  const { planId } = await params;
  const { version } = await loadPlan(planId);
  return (
    <PlanEditor
      planId={planId}
      version={{
        number: version.number,
        document: version.graph,
        isDraft: version.isDraft,
        authorName: version.author.name,
        createdAtText: formatWhen(version.createdAt),
      }}
    />
  );
}
