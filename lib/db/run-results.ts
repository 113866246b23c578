/** Per-node results and journalled changes of a team's run, for the API: another team's run reads as missing. */
import { NotFoundError } from "./errors";
import type { DbExecutor } from "./transaction";

export async function listNodeResults(client: DbExecutor, teamId: string, runId: string) {
  const run = await client.run.findFirst({ where: { id: runId, teamId }, select: { id: true } });
  if (!run) throw new NotFoundError("Run");
  return client.nodeRun.findMany({ where: { runId }, orderBy: { nodeId: "asc" } });
}

/** One journalled change of a team's run, with its bytes before and after. */
export async function getFileChange(client: DbExecutor, teamId: string, runId: string, seq: number) {
  const change = await client.fileChange.findFirst({ where: { runId, seq, run: { teamId } } });
  if (!change) throw new NotFoundError("File change");
  return change;
}
