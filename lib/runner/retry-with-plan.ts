/**
 * Retry with a revised plan: a new run (child of the failed one) of the
 * revised plan that runs again the failed, skipped, cancelled and interrupted
 * nodes, the nodes that are new or whose definition changed (by node hash),
 * and everything downstream of them; unchanged successes are reused. A
 * revision may not drop or rename a node whose file changes are still in the
 * workspace: those changes would be orphaned (undo could not name them).
 */
import { hashNodes } from "../plan/node-hash";
import type { PlanDocument } from "../plan/schema";
import type { RunnerResources } from "./resources";
import { createChildRun, RunRequestError, type PlanRevision } from "./runs";
import { executeRun, type ExecuteRunInput } from "./scheduler";
import type { StoredRun } from "./run-store";
import type { RunHandle } from "./scheduler";

/** Runs of a retry chain, newest first: the run, the run it retried, and so on. */
export async function loadRunChain(resources: RunnerResources, runId: string): Promise<StoredRun[]> {
  const chain: StoredRun[] = [];
  for (let id: string | null = runId; id !== null; ) {
    const run = await resources.store.loadRun(id);
    if (!run) {
      if (chain.length === 0) throw new RunRequestError("not-found", `Run ${runId} was not found`);
      break;
    }
    chain.push(run);
    id = run.parentRunId;
  }
  return chain;
}

/**
 * The nodes a retry of `parent` with `revised` runs again; throws a
 * RunRequestError (`invalid-plan`) when the revision drops or renames a node
 * whose changes are still in the workspace.
 */
export async function nodesToRerun(resources: RunnerResources, parent: StoredRun, revised: PlanDocument): Promise<Set<string>> {
  const kept = new Set(revised.nodes.map((node) => node.id));
  for (const run of await loadRunChain(resources, parent.id)) {
    const orphaned = new Map<string, Set<string>>();
    for (const change of await resources.store.listFileChanges(run.id)) {
      if (change.revertedAt !== null) continue;
      for (const nodeId of change.nodeIds ?? [change.nodeId]) {
        if (!kept.has(nodeId)) orphaned.set(nodeId, (orphaned.get(nodeId) ?? new Set()).add(change.path));
      }
    }
    const [nodeId, paths] = [...orphaned][0] ?? [];
    if (nodeId && paths) {
      throw new RunRequestError(
        "invalid-plan",
        `The revised plan drops or renames node "${nodeId}", which changed ${[...paths].join(", ")} in run ${run.id}; keep the node under its id, or undo run ${run.id} first`,
      );
    }
  }
  const before = hashNodes(parent.plan);
  const after = hashNodes(revised);
  const states = new Map(parent.nodes.map((node) => [node.nodeId, node.status]));
  const rerun = new Set(
    revised.nodes
      .filter((node) => states.get(node.id) !== "succeeded" || before.get(node.id) !== after.get(node.id))
      .map((node) => node.id),
  );
  const out = new Map<string, string[]>();
  for (const edge of revised.edges) out.set(edge.from, [...(out.get(edge.from) ?? []), edge.to]);
  const stack = [...rerun];
  while (stack.length) {
    for (const next of out.get(stack.pop() as string) ?? []) {
      if (!rerun.has(next)) {
        rerun.add(next);
        stack.push(next);
      }
    }
  }
  return rerun;
}

/**
 * A new queued run of `revision` (already stored as a version of the run's
 * plan) that reruns what {@link nodesToRerun} says and reuses the rest.
 */
export async function createRetryWithRevisedPlan(
  resources: RunnerResources,
  runId: string,
  revision: PlanRevision,
): Promise<ExecuteRunInput> {
  const [parent] = await loadRunChain(resources, runId);
  if (!parent) throw new RunRequestError("not-found", `Run ${runId} was not found`);
  const rerun = await nodesToRerun(resources, parent, revision.plan);
  return createChildRun(resources, parent, (nodeId) => rerun.has(nodeId), revision);
}

/**
 * Starts {@link createRetryWithRevisedPlan}'s run here.
 *
 * @example
 * const handle = await retryWithRevisedPlan(resources, failedRunId, { plan: fixed, planVersionId });
 */
export async function retryWithRevisedPlan(resources: RunnerResources, runId: string, revision: PlanRevision): Promise<RunHandle> {
  return executeRun(resources, await createRetryWithRevisedPlan(resources, runId, revision));
}
