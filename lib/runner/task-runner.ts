/**
 * Runs one task: its units in order, each applying on its own, or an atomic
 * file batch, whose units all apply or none (the journal rolls back).
 */
import { changedPaths } from "../plan/changed-paths";
import type { BatchUnit } from "../plan/execution-plan";
import type { Task } from "./run-graph";
import { runUnit } from "./run-unit";
import { report, type Outcome, type TaskHost } from "./task-host";

/** Runs a task and reports every node's final status to the host. */
export function runTask(host: TaskHost, task: Task): Promise<void> {
  return task.atomic ? runAtomicBatch(host, task) : runInOrder(host, task);
}

/** Units one after another, each in its own change scope: a failed single node's partial changes are undone. */
async function runInOrder(host: TaskHost, task: Task): Promise<void> {
  const wanted = new Set(task.nodeIds);
  for (const unit of task.units) {
    const ids = unit.nodeIds.filter((id) => wanted.has(id));
    if (!ids.length) continue;
    const scope = host.journal.scope();
    const outcomes = await runUnit(host, unit, ids, scope, true);
    // A multi-edit keeps the edits that applied: its steps are nodes of their own.
    const failedSingle = unit.kind !== "multi-edit" && [...outcomes.values()].some((outcome) => outcome.status === "failed");
    if (failedSingle) await scope.rollback();
    else scope.commit();
    report(host, outcomes);
  }
}

/** All units in one change scope, up to the run's concurrency at once: any failure rolls every change back. */
async function runAtomicBatch(host: TaskHost, task: Task): Promise<void> {
  const shared = host.journal.scope();
  const outcomes = new Map<string, Outcome>();
  const wanted = new Set(task.nodeIds);
  let anyFailed = false;
  host.emit({ type: "batch.status", batchId: task.batch.id, kind: task.batch.kind, status: "started", nodeIds: task.nodeIds });
  const runBatchUnit = async (unit: BatchUnit) => {
    const ids = unit.nodeIds.filter((id) => wanted.has(id));
    if (!ids.length) return;
    if (anyFailed) {
      // All or nothing: once a change failed, the rest of the batch would be rolled back anyway.
      for (const id of ids) outcomes.set(id, rolledBack(host, id, "it was not run"));
      return;
    }
    for (const [id, outcome] of await runUnit(host, unit, ids, shared, false)) {
      if (outcome.status === "failed" || outcome.status === "cancelled") anyFailed = true;
      outcomes.set(id, outcome);
    }
  };
  await runConcurrently(task.units, host.settings.concurrency, (unit) => pathsOf(host, unit), runBatchUnit);
  if (anyFailed) {
    await shared.rollback();
    for (const [id, outcome] of outcomes)
      if (outcome.status === "succeeded") outcomes.set(id, rolledBack(host, id, "its batch was rolled back", outcome));
    host.emit({ type: "batch.status", batchId: task.batch.id, kind: task.batch.kind, status: "rolled-back", nodeIds: task.nodeIds });
  } else {
    shared.commit();
    host.emit({ type: "batch.status", batchId: task.batch.id, kind: task.batch.kind, status: "succeeded", nodeIds: task.nodeIds });
  }
  report(host, outcomes);
}

/** The workspace paths a unit changes, so units of one batch touching the same file never overlap. */
function pathsOf(host: TaskHost, unit: BatchUnit): string[] {
  const paths: string[] = [];
  for (const id of unit.nodeIds) {
    const node = host.nodes.get(id);
    if (node) paths.push(...changedPaths(node));
  }
  return paths;
}

/**
 * Runs `work` over `items`, at most `limit` at a time, in order; an item
 * waits for earlier items sharing one of its keys.
 */
async function runConcurrently<T>(
  items: readonly T[],
  limit: number,
  keysOf: (item: T) => string[],
  work: (item: T) => Promise<void>,
): Promise<void> {
  const busy = new Map<string, Promise<void>>();
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      const keys = keysOf(item);
      const before = keys.flatMap((key) => {
        const running = busy.get(key);
        return running ? [running] : [];
      });
      const done = (async () => {
        if (before.length) await Promise.all(before);
        await work(item);
      })();
      for (const key of keys) busy.set(key, done);
      await done;
      for (const key of keys) if (busy.get(key) === done) busy.delete(key);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

function rolledBack(host: TaskHost, nodeId: string, why: string, previous?: Outcome): Outcome {
  return {
    status: "failed",
    attempt: previous?.attempt ?? host.attemptOf(nodeId),
    durationMs: previous && "durationMs" in previous ? previous.durationMs : 0,
    error: { code: "batch-rolled-back", message: `Not applied: another change of this atomic batch failed, so ${why}`, retryable: true },
  };
}
