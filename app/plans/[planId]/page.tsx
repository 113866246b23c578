import Link from "next/link";
import { notFound } from "next/navigation";
import { NotFoundError } from "@/lib/db/errors";
import { getPlanVersion } from "@/lib/db/plan-versions";
import { getPlan } from "@/lib/db/plans";
import { listWorkspaces } from "@/lib/db/workspaces";
import { getAppContext } from "@/lib/server/app-context";
import { resolveCaller } from "@/lib/server/caller";
import { PlanSettings } from "@/lib/plan/schema";
import { roleAllows } from "@/lib/server/permissions";
import { StartRunButton } from "../../runs/start-run-button";
import { PlanEditor } from "../../editor/plan-editor";
import { formatWhen } from "../../_components/format";

export const dynamic = "force-dynamic";

async function loadPlan(planId: string) {
  const caller = await resolveCaller();
  const { db } = await getAppContext();
  try {
    const plan = await getPlan(db.client, caller.teamId, planId);
    const version = await getPlanVersion(db.client, caller.teamId, planId);
    const workspaces = await listWorkspaces(db.client, caller.teamId);
    return { plan, version, workspaces, canRun: roleAllows(caller.role, "run:start"), canEdit: roleAllows(caller.role, "plan:edit") };
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

/** The concurrency a saved version asks for; the run dialog starts from it, as the CLI does. */
function planConcurrency(document: unknown): number {
  const settings = typeof document === "object" && document !== null && "settings" in document ? document.settings : undefined;
  const parsed = PlanSettings.safeParse(settings ?? {});
  return parsed.success ? parsed.data.concurrency : PlanSettings.parse({}).concurrency;
}

/** The plan editor, opened on the newest version; read-only for roles that may not edit. */
export default async function PlanPage({ params }: { params: Promise<{ planId: string }> }) {
  const { planId } = await params;
  const { version, workspaces, canRun, canEdit } = await loadPlan(planId);
  return (
    <>
      <div className="plan-run-bar">
        <span className="muted">Runs execute the saved version v{version.number}.</span>
        <Link href={`/runs?plan=${planId}`}>Runs of this plan</Link>
        <StartRunButton
          planId={planId}
          versionNumber={version.number}
          workspaces={workspaces.map((workspace) => ({ id: workspace.id, name: workspace.name }))}
          defaultConcurrency={planConcurrency(version.graph)}
          disabled={!canRun || version.isDraft}
          disabledReason={!canRun ? "Your role may not start runs" : "This version is a draft with problems; fix them and save to run"}
        />
      </div>
      <PlanEditor
        planId={planId}
        readOnly={!canEdit}
        version={{
          number: version.number,
          document: version.graph,
          isDraft: version.isDraft,
          authorName: version.author.name,
          createdAtText: formatWhen(version.createdAt),
        }}
      />
    </>
  );
}
