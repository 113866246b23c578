/**
 * Start-up recovery: runs left `running` by a crashed runner are marked
 * `interrupted` (finished nodes keep their results, every event the runner
 * emitted is stored, an atomic batch it was in the middle of is rolled back)
 * and their orphaned process groups are killed; `resumeRun` then continues
 * them.
 */
import { removeChangeLog } from "./change-log";
import { removeEventLog } from "./event-log";
import { signalGroup } from "./process-group";
import { findUnjournalledChanges } from "./recover-changes";
import { storeLoggedEvents } from "./recover-events";
import type { RunnerResources } from "./resources";
import { findInterruptedBatches, rollBackBatches } from "./roll-back-interrupted-batches";
import type { NodeStatus, RunEvent, RunStatus } from "../run-events/run-events";
import type { NodeRunState, StoredRun } from "./run-store";
import { countStatuses } from "../run-events/status";
import { openWorkspace, type Workspace } from "./workspace";

/** What recovery did to one run. */
export interface RecoveredRun {
  runId: string;
  /** `interrupted`, or the status the run finished with just before its runner died. */
  status: RunStatus;
  interruptedNodes: string[];
  killedProcessGroups: number[];
  /** Paths whose changes the change log held but the journal did not (now journalled). */
  recoveredChanges: string[];
  /** How many events the event log held beyond the store (now stored). */
  recoveredEvents: number;
  /** Atomic batches the crash cut short, rolled back (their nodes pending again). */
  rolledBackBatches: string[];
}

/** Options of {@link recoverInterruptedRuns}. */
export interface RecoveryOptions {
  /** Whether the runner process that owns a run is still alive (then its runs are left alone). */
  isRunnerAlive?: (pid: number) => boolean;
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

const STOPPED_BY_CRASH: ReadonlySet<NodeStatus> = new Set(["running", "queued"]);

/** Whether a node's process may still be alive after a crash. */
function orphanPid(run: StoredRun, node: NodeRunState): number | null {
  if (node.pid === null) return null;
  if (STOPPED_BY_CRASH.has(node.status)) return node.pid;
  const background = typeof node.result === "object" && node.result !== null && "background" in node.result;
  if (!background || node.status !== "succeeded" || run.settings.keepBackground) return null;
  const planNode = run.plan.nodes.find((candidate) => candidate.id === node.nodeId);
  const keepRunning = planNode?.type === "shell" && planNode.params.keepRunning;
  return keepRunning ? null : node.pid;
}

/**
 * Marks every `running` or `queued` run whose runner is gone as
 * `interrupted` (a runner can die between creating a run and starting it,
 * even before the run's pending node rows are written).
 *
 * @example
 * // On server start, before accepting work:
 * const recovered = await recoverInterruptedRuns(resources);
 */
export async function recoverInterruptedRuns(resources: RunnerResources, options: RecoveryOptions = {}): Promise<RecoveredRun[]> {
  const alive = options.isRunnerAlive ?? processAlive;
  const recovered: RecoveredRun[] = [];
  for (const runId of await resources.store.findRunIds(["running", "queued"])) {
    const run = await resources.store.loadRun(runId);
    if (!run || (run.status !== "running" && run.status !== "queued")) continue;
    if (run.settings.runnerPid !== undefined && alive(run.settings.runnerPid)) continue;
    recovered.push(await interruptRun(resources, run));
  }
  return recovered;
}

/**
 * Marks one run whose runner is gone as `interrupted`. First the events its
 * event log kept from the store are stored; an atomic batch it was in the
 * middle of is rolled back from its change log (its nodes pending again);
 * the changes only its change log holds are journalled; its unfinished
 * nodes become interrupted, and its orphaned process groups are killed
 * unless `killOrphans` is false (a cluster worker recovering a run of a
 * worker on another host). `directory` is where the run's workspace lives
 * here (a worker's may differ from the stored one). A run whose log shows it
 * finished before the crash keeps the status it finished with.
 */
export async function interruptRun(
  resources: RunnerResources,
  run: StoredRun,
  options: { killOrphans?: boolean; directory?: string } = {},
): Promise<RecoveredRun> {
  const runId = run.id;
  const logDirectory = resources.changeLogDirectory;
  // Node states now include what only the log knew, the pids of commands it started among them.
  const { logged, stored } =
    logDirectory === null ? { logged: [], stored: [] } : await storeLoggedEvents(resources.store, logDirectory, run);
  const killed: number[] = [];
  for (const node of run.nodes) {
    const pid = options.killOrphans === false ? null : orphanPid(run, node);
    if (pid !== null && signalGroup(pid, "SIGKILL")) killed.push(pid);
  }
  // A sandboxed run's processes died with its runner; its HOME and TMPDIR are left to remove.
  resources.commands.discardRun(runId);
  const finishedAs = finalStatusIn(logged);
  const workspace = run.dryRun ? null : await openWorkspaceIfPresent(options.directory ?? run.directory);
  let seq = Math.max(run.lastEventSeq, logged.at(-1)?.seq ?? 0);
  const at = resources.clock.now();
  const nodes = new Map(run.nodes.map((node) => [node.nodeId, node]));
  const events: RunEvent[] = [];
  const changed: NodeRunState[] = [];
  const statusOf = (nodeId: string) => nodes.get(nodeId)?.status ?? "pending";
  const cutShort = finishedAs === null && workspace !== null ? findInterruptedBatches(logged, statusOf) : [];
  if (cutShort.length && workspace !== null && logDirectory !== null) {
    const rollback = await rollBackBatches(resources.store, logDirectory, workspace, runId, cutShort, nodes, new Date(at));
    for (const batch of cutShort) {
      events.push({
        type: "batch.status",
        runId,
        seq: ++seq,
        at,
        batchId: batch.batchId,
        kind: batch.kind,
        status: "rolled-back",
        interrupted: true,
        nodeIds: batch.nodeIds,
      });
    }
    for (const node of rollback.pendingNodes) {
      nodes.set(node.nodeId, node);
      changed.push(node);
      events.push({
        type: "node.status",
        runId,
        seq: ++seq,
        at,
        nodeId: node.nodeId,
        status: "pending",
        attempt: node.attempt,
        batchId: node.batchId ?? undefined,
      });
    }
  }
  const fileChanges =
    workspace === null || logDirectory === null ? [] : await findUnjournalledChanges(resources.store, logDirectory, runId, workspace);
  for (const change of fileChanges) {
    events.push({
      type: "file.change",
      runId,
      seq: ++seq,
      at,
      nodeId: change.nodeId,
      path: change.path,
      operation: change.operation,
      changeSeq: change.seq,
    });
  }
  const interruptedNodes: string[] = [];
  for (const node of nodes.values()) {
    if (finishedAs !== null || !STOPPED_BY_CRASH.has(node.status)) continue;
    const updated: NodeRunState = { ...node, status: "interrupted", finishedAt: new Date(at), pid: null };
    nodes.set(node.nodeId, updated);
    changed.push(updated);
    interruptedNodes.push(node.nodeId);
    events.push({
      type: "node.status",
      runId,
      seq: ++seq,
      at,
      nodeId: node.nodeId,
      status: "interrupted",
      attempt: node.attempt,
      batchId: node.batchId ?? undefined,
      error: { code: "interrupted", message: "The runner stopped while this node was running" },
    });
  }
  if (finishedAs === null) {
    // A node without a row never started.
    const counts = countStatuses(run.plan.nodes.map((node) => statusOf(node.id)));
    events.push({ type: "run.status", runId, seq: ++seq, at, status: "interrupted", error: "The runner stopped during the run", counts });
  }
  await resources.store.persist({
    runId,
    events,
    nodes: changed,
    run: finishedAs === null ? { status: "interrupted", finishedAt: new Date(at), error: "The runner stopped during the run" } : {},
    lastEventSeq: seq,
    fileChanges,
  });
  if (logDirectory !== null) {
    removeChangeLog(logDirectory, runId);
    removeEventLog(logDirectory, runId);
  }
  for (const event of [...stored, ...events]) resources.bus.publish(event);
  return {
    runId,
    status: finishedAs ?? "interrupted",
    interruptedNodes,
    killedProcessGroups: killed,
    recoveredChanges: fileChanges.map((change) => change.path),
    recoveredEvents: stored.length,
    rolledBackBatches: cutShort.map((batch) => batch.batchId),
  };
}

/** The status a run finished with, when its last logged status is a final one (the crash came after it, before the store had it). */
function finalStatusIn(events: readonly RunEvent[]): RunStatus | null {
  for (let index = events.length - 1; index >= 0; index -= 1) {
    const event = events[index] as RunEvent;
    if (event.type === "run.status")
      return event.status === "running" || event.status === "queued" || event.status === "interrupted" ? null : event.status;
  }
  return null;
}

/** The run's workspace, or null when it is gone (then no file can be restored or journalled). */
async function openWorkspaceIfPresent(directory: string): Promise<Workspace | null> {
  try {
    return await openWorkspace(directory);
  } catch {
    return null;
  }
}
