/**
 * Start-up recovery: runs left `running` by a crashed runner are marked
 * `interrupted` (finished nodes keep their results) and their orphaned
 * process groups are killed; `resumeRun` then continues them.
 */
import { removeChangeLog } from "./change-log";
import type { FileChangeRecord } from "./journal";
import { signalGroup } from "./process-group";
import { findUnjournalledChanges } from "./recover-changes";
import type { RunnerResources } from "./resources";
import type { NodeStatus, RunEvent } from "../run-events/run-events";
import type { NodeRunState, StoredRun } from "./run-store";
import { countStatuses } from "../run-events/status";
import { openWorkspace, type Workspace } from "./workspace";

/** What recovery did to one run. */
export interface RecoveredRun {
  runId: string;
  interruptedNodes: string[];
  killedProcessGroups: number[];
  /** Paths whose changes the change log held but the journal did not (now journalled). */
  recoveredChanges: string[];
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
 * Marks one run whose runner is gone as `interrupted`: its unfinished nodes
 * become interrupted, the changes only its change log holds are journalled,
 * and its orphaned process groups are killed unless `killOrphans` is false
 * (a cluster worker recovering a run of a worker on another host).
 */
export async function interruptRun(resources: RunnerResources, run: StoredRun, options: { killOrphans?: boolean } = {}): Promise<RecoveredRun> {
  const runId = run.id;
  const killed: number[] = [];
  for (const node of run.nodes) {
    const pid = options.killOrphans === false ? null : orphanPid(run, node);
    if (pid !== null && signalGroup(pid, "SIGKILL")) killed.push(pid);
  }
  // A sandboxed run's processes died with its runner; its HOME and TMPDIR are left to remove.
  resources.commands.discardRun(runId);
  const logDirectory = resources.changeLogDirectory;
  const fileChanges = logDirectory === null ? [] : await unjournalledChanges(resources, logDirectory, run);
  let seq = run.lastEventSeq;
  const at = resources.clock.now();
  const events: RunEvent[] = [];
  for (const change of fileChanges) {
    events.push({ type: "file.change", runId, seq: ++seq, at, nodeId: change.nodeId, path: change.path, operation: change.operation, changeSeq: change.seq });
  }
  const changed: NodeRunState[] = [];
  for (const node of run.nodes) {
    if (!STOPPED_BY_CRASH.has(node.status)) continue;
    const updated: NodeRunState = { ...node, status: "interrupted", finishedAt: new Date(at), pid: null };
    changed.push(updated);
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
  const statusOf = new Map(run.nodes.map((node) => [node.nodeId, node.status]));
  for (const node of changed) statusOf.set(node.nodeId, node.status);
  // A node without a row never started.
  const counts = countStatuses(run.plan.nodes.map((node) => statusOf.get(node.id) ?? "pending"));
  events.push({ type: "run.status", runId, seq: ++seq, at, status: "interrupted", error: "The runner stopped during the run", counts });
  await resources.store.persist({
    runId,
    events,
    nodes: changed,
    run: { status: "interrupted", finishedAt: new Date(at), error: "The runner stopped during the run" },
    lastEventSeq: seq,
    fileChanges,
  });
  if (logDirectory !== null) removeChangeLog(logDirectory, runId);
  for (const event of events) resources.bus.publish(event);
  return {
    runId,
    interruptedNodes: changed.map((node) => node.nodeId),
    killedProcessGroups: killed,
    recoveredChanges: fileChanges.map((change) => change.path),
  };
}

/** The changes of a crashed run that only its change log knows of; none when its workspace is gone. */
async function unjournalledChanges(resources: RunnerResources, logDirectory: string, run: StoredRun): Promise<FileChangeRecord[]> {
  if (run.dryRun) return [];
  let workspace: Workspace;
  try {
    workspace = await openWorkspace(run.directory);
  } catch {
    return [];
  }
  return findUnjournalledChanges(resources.store, logDirectory, run.id, workspace);
}
