import { notFound } from "next/navigation";
import { NotFoundError } from "@/lib/db/errors";
import { listNodeResults } from "@/lib/db/run-results";
import { toRunSettings } from "@/lib/db/run-store";
import { getRunForTeam, getRunPlanGraph } from "@/lib/db/runs";
import { describeRunPlacement } from "@/lib/cluster/cluster-status";
import { attemptsBefore } from "@/lib/run-view/run-lineage";
import { getAppContext } from "@/lib/server/app-context";
import { positionedPlanVersion } from "@/lib/server/plan-layout-cache";
import { resolveCaller } from "@/lib/server/caller";
import { roleAllows } from "@/lib/server/permissions";
import { formatWhen } from "../../_components/format";
import { RunView } from "./run-view";

export const dynamic = "force-dynamic";
export const metadata = { title: "Run" };

/** More retries of one run than anyone makes by hand; the walk up the lineage stops here. */
const MAX_LINEAGE = 50;

type Client = Awaited<ReturnType<typeof getAppContext>>["db"]["client"];

/** The runs this run retries, oldest first, each with its node records. */
async function loadAncestors(client: Client, teamId: string, parentRunId: string | null) {
  const ancestors = [];
  for (let id = parentRunId; id && ancestors.length < MAX_LINEAGE; ) {
    const run = await getRunForTeam(client, teamId, id);
    const nodes = await listNodeResults(client, teamId, id);
    ancestors.unshift({ run, nodes });
    id = run.parentRunId;
  }
  return ancestors;
}

export default async function RunPage({ params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  const caller = await resolveCaller();
  const { db, cluster } = await getAppContext();
  try {
    const run = await getRunForTeam(db.client, caller.teamId, runId);
    const document = positionedPlanVersion(run.planVersionId, await getRunPlanGraph(db.client, caller.teamId, runId));
    const placement = cluster ? await describeRunPlacement(db.client, run) : null;
    const reused = run.parentRunId ? (await listNodeResults(db.client, caller.teamId, runId)).filter((node) => node.reused) : [];
    const ancestors = await loadAncestors(db.client, caller.teamId, run.parentRunId);
    // A reused node's result comes from the newest earlier run that actually ran it.
    const ranIn = (nodeId: string) =>
      ancestors.findLast((ancestor) => ancestor.nodes.some((node) => node.nodeId === nodeId && !node.reused))?.run.id;
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
        lineage={ancestors.map(({ run: earlier }) => ({
          id: earlier.id,
          status: earlier.status,
          startedText: formatWhen(earlier.createdAt),
        }))}
        attemptsBefore={Object.fromEntries(attemptsBefore(ancestors.map((ancestor) => ancestor.nodes)))}
        document={document}
        reused={reused.map((node) => ({
          nodeId: node.nodeId,
          status: node.status,
          attempt: node.attempt,
          result: node.result ?? undefined,
          ranInRunId: ranIn(node.nodeId),
        }))}
        permissions={{ repair: roleAllows(caller.role, "run:repair") }}
      />
    );
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}
