/**
 * Rolling back the atomic batches a crash cut short. A batch's changes
 * reach some files and not others while it runs, and reach the journal only
 * once all of them applied, so after a crash the workspace is half-changed
 * and the store knows nothing of it; resuming would apply the changes again
 * on top of the half that is there. Recovery restores every file the batch
 * touched to its bytes before the batch, from the change log, so the batch
 * is all-or-nothing across the crash and a resume runs it from scratch.
 */
import { readChangeLog, type ChangeIntent } from "./change-log";
import { restoreFiles, type FileRestore } from "./restore-files";
import type { NodeStatus, RunEvent } from "../run-events/run-events";
import type { NodeRunState, RunStore } from "./run-store";
import { isTerminalNodeStatus } from "../run-events/status";
import type { Workspace } from "./workspace";

type BatchStartedEvent = Extract<RunEvent, { type: "batch.status" }>;

/**
 * The batches the runner started (only atomic batches announce a start) and
 * had not finished reporting: some node they ran has no final status.
 */
export function findInterruptedBatches(events: readonly RunEvent[], statusOf: (nodeId: string) => NodeStatus): BatchStartedEvent[] {
  const started = new Map<string, BatchStartedEvent>();
  for (const event of events) if (event.type === "batch.status" && event.status === "started") started.set(event.batchId, event);
  return [...started.values()].filter((batch) => batch.nodeIds.some((nodeId) => !isTerminalNodeStatus(statusOf(nodeId))));
}

/** What {@link rollBackBatches} did. */
export interface BatchRollback {
  /** Workspace-relative paths put back as they were before the batches. */
  restoredPaths: string[];
  /** The batches' nodes that had a status other than pending (a merged edit announces none before it ends), pending again. */
  pendingNodes: NodeRunState[];
}

/**
 * Restores every file the batches' nodes changed (as the change log of
 * `runId` recorded them) to its bytes, mode and existence before their
 * first change, removing directories they created once empty again; marks
 * any stored change of those nodes reverted, so undo does not restore it a
 * second time; and puts the nodes back to pending.
 */
export async function rollBackBatches(
  store: RunStore,
  logDirectory: string,
  workspace: Workspace,
  runId: string,
  batches: readonly BatchStartedEvent[],
  nodes: ReadonlyMap<string, NodeRunState>,
  at: Date,
): Promise<BatchRollback> {
  const nodeIds = new Set(batches.flatMap((batch) => batch.nodeIds));
  const byPath = new Map<string, ChangeIntent[]>();
  for (const intent of readChangeLog(logDirectory, runId)) {
    if (nodeIds.has(intent.nodeId)) byPath.set(intent.path, [...(byPath.get(intent.path) ?? []), intent]);
  }
  const restores: FileRestore[] = [];
  for (const [path, intents] of byPath) {
    const first = intents[0] as ChangeIntent;
    restores.push({
      absolute: await workspace.resolve(path),
      original: first.before,
      // A file the batch deleted, then wrote again, keeps the mode it had before the delete.
      mode: intents.find((intent) => intent.beforeMode != null)?.beforeMode ?? null,
      createdDirectory: first.before === null ? (first.createdDirectory ?? null) : null,
    });
  }
  await restoreFiles(workspace.root, restores);
  const stored = await store.listFileChanges(runId);
  const reverted = stored.filter(
    (change) => change.revertedAt === null && [change.nodeId, ...(change.nodeIds ?? [])].some((id) => nodeIds.has(id)),
  );
  if (reverted.length)
    await store.markFileChangesReverted(
      runId,
      reverted.map((change) => change.id),
      at,
    );
  const pendingNodes: NodeRunState[] = [];
  for (const nodeId of nodeIds) {
    const node = nodes.get(nodeId);
    if (!node || node.status === "pending") continue;
    pendingNodes.push({
      ...node,
      status: "pending",
      startedAt: null,
      finishedAt: null,
      exitCode: null,
      signal: null,
      pid: null,
      error: null,
      result: null,
    });
  }
  return { restoredPaths: [...byPath.keys()], pendingNodes };
}
