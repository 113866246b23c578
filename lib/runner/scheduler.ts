/**
 * The scheduler: starts each task the moment its dependencies allow, within
 * the run's and the server's concurrency limits; applies edge conditions,
 * the failure policy, retries and cancellation; emits the ordered event
 * stream and hands it to batched persistence.
 */
import type { ExecutionPlan } from "../plan/execution-plan";
import type { PlanDocument, PlanNode } from "../plan/schema";
import { openChangeLog, removeChangeLog, type ChangeLog } from "./change-log";
import { openEventLog, removeEventLog } from "./event-log";
import { unifiedDiff } from "./diff";
import { AbortedError } from "./errors";
import type { BackgroundProcess } from "./executors/types";
import { createOverlayFileSystem, diskFileSystem } from "./file-system";
import { FileJournal, type FileChangeRecord } from "./journal";
import { decideNode, type IncomingEdge } from "../run-events/node-decision";
import type { RunnerResources } from "./resources";
import type { NodeStatus, RunEventInput, RunStatus, StatusCounts } from "../run-events/run-events";
import { buildRunGraph, type RunGraph, type Task } from "./run-graph";
import { initialNodeStates, openRunLog, RunRecorder } from "./run-recorder";
import type { NodeRunState } from "./run-store";
import { runCommandsRequest, type RunCommands } from "./sandbox/run-commands";
import type { WorkspaceSandboxSettings } from "./sandbox/sandbox-settings";
import { isTerminalNodeStatus, runStatusFromCounts } from "../run-events/status";
import type { NodeStatusDetails, TaskHost, TaskSettings } from "./task-host";
import { runTask } from "./task-runner";
import { openWorkspace, type Workspace } from "./workspace";

/** What {@link executeRun} needs; the run row already exists in the store. */
export interface ExecuteRunInput {
  runId: string;
  plan: PlanDocument;
  executionPlan: ExecutionPlan;
  /** The workspace directory (must exist). */
  directory: string;
  dryRun: boolean;
  /** Per-run limit; defaults to the plan's. */
  concurrency?: number;
  /** Leave background commands running after the run. */
  keepBackground?: boolean;
  /** The workspace's sandbox settings; defaults when left out. */
  sandbox?: WorkspaceSandboxSettings;
  /**
   * Stored state of every node. Nodes that are succeeded, failed, skipped or
   * cancelled are kept as they are; the rest (pending, queued, running,
   * interrupted) run.
   */
  nodes: NodeRunState[];
  /** The run's last persisted event seq (0 for a new run). */
  lastEventSeq: number;
  /** First journal seq to use (after the run's existing file changes). */
  firstFileChangeSeq?: number;
}

/** A node's final state, as reported by {@link RunOutcome}. */
export type NodeOutcome = NodeRunState;

/** How a run ended. */
export interface RunOutcome {
  runId: string;
  status: RunStatus;
  counts: StatusCounts;
  nodes: ReadonlyMap<string, NodeOutcome>;
  /** Whether everything the run recorded reached the store (false when its last flush failed): what a notice that it settled may promise. */
  stored: boolean;
}

/** Control over a run in progress. */
export interface RunHandle {
  runId: string;
  /** Resolves when every node has finished and the last flush is done (see {@link RunOutcome.stored}). */
  done: Promise<RunOutcome>;
  /** Every node's current state, updated live (read only). */
  nodes: ReadonlyMap<string, NodeRunState>;
  /** Cancels the whole run: running nodes are stopped, the rest cancelled. */
  cancel(): void;
  /** Cancels one node (stops it if running); its dependents follow edge rules. Returns false if it already finished. */
  cancelNode(nodeId: string): boolean;
}

const KEPT_STATUSES: ReadonlySet<NodeStatus> = new Set(["succeeded", "failed", "skipped", "cancelled"]);
const PROGRESS_INTERVAL_MS = 100;

/**
 * Executes a run whose row exists in the store.
 *
 * @example
 * const handle = executeRun(resources, { runId, plan, executionPlan: optimizePlan(plan), directory, dryRun: false, nodes, lastEventSeq: 0 });
 * const outcome = await handle.done;
 */
export function executeRun(resources: RunnerResources, input: ExecuteRunInput): RunHandle {
  const states = initialNodeStates(input.plan, input.executionPlan, input.nodes);
  let workspace: Workspace;
  try {
    workspace = openWorkspace(input.directory);
  } catch (error) {
    const recorder = new RunRecorder(resources, input.runId, states, input.lastEventSeq, null);
    const done = failBeforeStart(recorder, `Workspace "${input.directory}" cannot be opened: ${(error as Error).message}`);
    return { runId: input.runId, done, nodes: states, cancel: () => undefined, cancelNode: () => false };
  }
  const eventLog = openRunLog(resources, input.runId, openEventLog);
  const recorder = new RunRecorder(resources, input.runId, states, input.lastEventSeq, eventLog);
  const execution = new RunExecution(resources, input, recorder, workspace);
  return {
    runId: input.runId,
    done: execution.start(),
    nodes: recorder.states,
    cancel: () => execution.cancel(),
    cancelNode: (nodeId) => execution.cancelNode(nodeId),
  };
}

async function failBeforeStart(recorder: RunRecorder, message: string): Promise<RunOutcome> {
  recorder.emit({ type: "run.status", status: "failed", error: message, counts: recorder.counts() });
  await recorder.persister.flush();
  return { runId: recorder.runId, status: "failed", counts: recorder.counts(), nodes: recorder.states, stored: recorder.persister.settled };
}

/** Resolves once `resolve` is called; built without a field assigned later. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((settle) => (resolve = settle));
  return { promise, resolve };
}

class RunExecution implements TaskHost {
  readonly settings: TaskSettings;
  readonly nodes: ReadonlyMap<string, PlanNode>;
  readonly incoming: ReadonlyMap<string, readonly IncomingEdge[]>;
  readonly journal: FileJournal;
  readonly commands: RunCommands;
  private readonly states: Map<string, NodeRunState>;
  private readonly graph: RunGraph;
  private readonly toRun = new Set<string>();
  private readonly controllers = new Map<string, AbortController>();
  private readonly background: BackgroundProcess[] = [];
  private readonly changeLog: ChangeLog | null;
  private unfinished = 0;
  private active = 0;
  private readonly queue: Task[] = [];
  private readonly cancelledNodes = new Set<string>();
  private stopping = false;
  private cancelled = false;
  private progressTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly allFinished = deferred();

  constructor(
    private readonly resources: RunnerResources,
    private readonly input: ExecuteRunInput,
    private readonly recorder: RunRecorder,
    readonly workspace: Workspace,
  ) {
    const { settings } = input.plan;
    const concurrency = input.concurrency ?? settings.concurrency;
    this.settings = {
      dryRun: input.dryRun,
      limits: resources.limits,
      concurrency,
      retries: settings.retries,
      retryBackoffMs: settings.retryBackoffMs,
      timeoutMs: settings.timeoutMs,
      ripgrepPath: resources.ripgrepPath,
    };
    this.states = recorder.states;
    for (const [nodeId, state] of this.states) if (!KEPT_STATUSES.has(state.status)) this.toRun.add(nodeId);
    this.graph = buildRunGraph(input.plan, input.executionPlan, this.toRun, (id) => !this.toRun.has(id));
    this.nodes = this.graph.nodes;
    this.incoming = this.graph.incoming;
    const logChanges = (directory: string, runId: string) =>
      openChangeLog(directory, runId, { beforeAppend: () => recorder.eventLog?.flush() });
    this.changeLog = input.dryRun ? null : openRunLog(resources, input.runId, logChanges);
    this.commands = resources.commands.openRun(runCommandsRequest(input, workspace.root));
    this.journal = new FileJournal(
      input.dryRun ? createOverlayFileSystem() : diskFileSystem,
      workspace,
      (records) => this.onFileChanges(records),
      input.firstFileChangeSeq ?? 1,
      this.changeLog,
    );
  }

  async start(): Promise<RunOutcome> {
    const { toRun } = this;
    this.unfinished = toRun.size;
    // Nodes to run that no task holds (unknown ids) cannot run; count them as done.
    for (const id of toRun) if (!this.graph.taskOf.has(id)) this.unfinished -= 1;
    this.emit({ type: "run.status", status: "running", counts: this.recorder.counts() });
    for (const id of toRun) {
      const state = this.states.get(id) as NodeRunState;
      if (state.status !== "pending") this.setStatus(id, "pending", { attempt: state.attempt });
    }
    if (this.unfinished === 0) this.allFinished.resolve();
    else for (const task of this.graph.tasks) if (task.waitingOn === 0) this.onTaskReady(task);
    await this.allFinished.promise;
    return this.complete();
  }

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.stopRest();
  }

  cancelNode(nodeId: string): boolean {
    const state = this.states.get(nodeId);
    if (!state || isTerminalNodeStatus(state.status)) return false;
    this.cancelledNodes.add(nodeId);
    this.controllers.get(nodeId)?.abort(cancelReason());
    return true;
  }

  isCancelled(nodeId: string): boolean {
    return this.stopping || this.cancelledNodes.has(nodeId);
  }

  registerAttempt(nodeIds: readonly string[], controller: AbortController): void {
    for (const id of nodeIds) this.controllers.set(id, controller);
    if (this.stopping) controller.abort(cancelReason());
  }

  emit(event: RunEventInput): void {
    this.recorder.emit(event);
  }

  setStatus(nodeId: string, status: NodeStatus, extra: NodeStatusDetails = {}): void {
    const state = this.states.get(nodeId) as NodeRunState;
    const wasTerminal = isTerminalNodeStatus(state.status) && state.status !== "interrupted";
    this.emit({
      type: "node.status",
      nodeId,
      status,
      attempt: extra.attempt ?? state.attempt,
      batchId: this.graph.taskOf.get(nodeId)?.batch.id ?? state.batchId ?? undefined,
      error: extra.error,
      result: extra.result,
      durationMs: extra.durationMs,
      pid: extra.pid,
    });
    if (!isTerminalNodeStatus(status) || wasTerminal) return;
    this.controllers.delete(nodeId);
    this.scheduleProgress();
    if (status === "failed" && this.input.plan.settings.failurePolicy === "stop") this.stopRest();
    for (const task of this.graph.waiters.get(nodeId) ?? []) {
      task.waitingOn -= 1;
      if (task.waitingOn === 0) this.onTaskReady(task);
    }
    this.unfinished -= 1;
    if (this.unfinished === 0) this.allFinished.resolve();
  }

  statusOf = (nodeId: string): NodeStatus => this.states.get(nodeId)?.status ?? "skipped";

  attemptOf(nodeId: string): number {
    return this.states.get(nodeId)?.attempt ?? 0;
  }

  upstreamOf(nodeId: string): Map<string, unknown> {
    const upstream = new Map<string, unknown>();
    for (const edge of this.graph.incoming.get(nodeId) ?? []) upstream.set(edge.from, this.states.get(edge.from)?.result ?? null);
    return upstream;
  }

  keepProcess(process: BackgroundProcess): void {
    this.background.push(process);
  }

  private onTaskReady(task: Task): void {
    const { inside } = task;
    const runnable: string[] = [];
    for (const id of task.nodeIds) {
      if (this.isCancelled(id)) {
        this.setStatus(id, "cancelled");
        continue;
      }
      const incoming = this.graph.incoming.get(id) ?? [];
      // Edges from inside the unit are decided while it runs.
      if (inside && incoming.some((edge) => inside.has(edge.from))) {
        runnable.push(id);
        continue;
      }
      if (decideNode(incoming, this.statusOf) === "skip") this.setStatus(id, "skipped");
      else runnable.push(id);
    }
    if (!runnable.length) return;
    task.nodeIds = runnable;
    this.queue.push(task);
    this.pump();
  }

  private pump(): void {
    while (this.active < this.settings.concurrency && this.queue.length) {
      const task = this.queue.shift() as Task;
      this.active += 1;
      void this.launch(task);
    }
  }

  private async launch(task: Task): Promise<void> {
    const slots = this.resources.serverSlots;
    if (!slots.tryAcquire()) await slots.acquire();
    try {
      if (!task.nodeIds.some((id) => this.isCancelled(id))) await runTask(this, task);
      else {
        const live = task.nodeIds.filter((id) => {
          if (!this.isCancelled(id)) return true;
          this.setStatus(id, "cancelled");
          return false;
        });
        if (live.length) await runTask(this, { ...task, nodeIds: live });
      }
    } catch (error) {
      // A bug in the runner: fail the task's unfinished nodes instead of hanging the run.
      this.resources.reportError(error);
      for (const id of task.nodeIds) {
        if (!isTerminalNodeStatus(this.statusOf(id))) {
          this.setStatus(id, "failed", { error: { code: "runner-error", message: (error as Error).message ?? String(error) } });
        }
      }
    } finally {
      slots.release();
      this.active -= 1;
      this.pump();
    }
  }

  /** Failure policy `stop` or a cancel: running nodes are aborted, the rest cancelled as they come up. */
  private stopRest(): void {
    if (this.stopping) return;
    this.stopping = true;
    for (const controller of this.controllers.values()) controller.abort(cancelReason());
  }

  private onFileChanges(records: FileChangeRecord[]): void {
    const { dryRun } = this.input;
    if (!dryRun) this.recorder.persister.addFileChanges(records);
    for (const record of records) {
      // A real change's diff is computed when someone reads it, from the journal; a dry run journals nothing.
      this.emit({
        type: "file.change",
        nodeId: record.nodeId,
        nodeIds: record.nodeIds,
        path: record.path,
        operation: record.operation,
        ...(dryRun
          ? { diff: unifiedDiff(record.path, record.before, record.after, { maxChars: this.settings.limits.diffMaxChars }), dryRun }
          : { changeSeq: record.seq }),
      });
    }
  }

  private scheduleProgress(): void {
    if (this.progressTimer) return;
    this.progressTimer = setTimeout(() => {
      this.progressTimer = null;
      this.emit({ type: "run.progress", counts: this.recorder.counts() });
    }, PROGRESS_INTERVAL_MS);
  }

  private async complete(): Promise<RunOutcome> {
    if (this.progressTimer) clearTimeout(this.progressTimer);
    this.progressTimer = null;
    const keepsProcesses = this.input.keepBackground ? this.background.length > 0 : this.background.some((process) => process.keepRunning);
    if (!this.input.keepBackground) {
      await Promise.all(this.background.filter((process) => !process.keepRunning).map((process) => process.stop()));
    }
    // The sandbox ends with the run, and with it everything its commands left behind; one holding a kept process lives on with the runner.
    if (!keepsProcesses) await this.commands.close();
    const counts = this.recorder.counts();
    const status = runStatusFromCounts(counts, this.cancelled);
    this.emit({ type: "run.progress", counts });
    this.emit({ type: "run.status", status, counts });
    await this.recorder.persister.flush();
    this.changeLog?.close();
    this.recorder.eventLog?.close();
    const logDirectory = this.resources.changeLogDirectory;
    const stored = this.recorder.persister.settled;
    // Kept when the journal or the events could not be stored: recovery reads them then.
    if (logDirectory !== null && stored) {
      if (this.changeLog) removeChangeLog(logDirectory, this.input.runId);
      if (this.recorder.eventLog) removeEventLog(logDirectory, this.input.runId);
    }
    return { runId: this.input.runId, status, counts, nodes: this.states, stored };
  }
}

function cancelReason(): AbortedError {
  return new AbortedError("cancelled");
}
