import { notFound } from "next/navigation";
import { NotFoundError } from "@/lib/db/errors";
import { listNodeResults } from "@/lib/db/run-results";
import { toRunSettings } from "@/lib/db/run-store";
import { getRunForTeam, getRunPlanGraph } from "@/lib/db/runs";
import { describeRunPlacement } from "@/lib/cluster/cluster-status";
import { getAppContext } from "@/lib/server/app-context";
import { resolveCaller } from "@/lib/server/caller";
import { roleAllows } from "@/lib/server/permissions";
import { RunView } from "./run-view";

export const dynamic = "force-dynamic";
export const metadata = { title: "Run" };

export default async function RunPage({ params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  const caller = await resolveCaller();
  const { db, cluster } = await getAppContext();
  try {
    const run = await getRunForTeam(db.client, caller.teamId, runId);
    const document = await getRunPlanGraph(db.client, caller.teamId, runId);
    const placement = cluster ? await describeRunPlacement(db.client, run) : null;
    const reused = run.parentRunId ? (await listNodeResults(db.client, caller.teamId, runId)).filter((node) => node.reused) : [];
    return (
      <RunView
        runId={run.id}
        planId={run.planId}
        planName={run.plan.name}
        versionNumber={run.planVersion.number}
        startedBy={run.startedBy.name}
        dryRun={run.dryRun}
        uncontained={toRunSettings(run.settings).sandboxed === false}
        directory={run.directory}
        placement={placement}
        parentRunId={run.parentRunId}
        document={document}
        reused={reused.map((node) => ({ nodeId: node.nodeId, status: node.status, attempt: node.attempt, result: node.result ?? undefined }))}
        permissions={{ repair: roleAllows(caller.role, "run:repair") }}
      />
    );
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}
