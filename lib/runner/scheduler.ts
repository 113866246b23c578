/**
 * The scheduler: starts each task the moment its dependencies allow, within
 * the run's and the server's concurrency limits; applies edge conditions,
 * the failure policy, retries and cancellation; emits the ordered event
 * stream and hands it to batched persistence.
 */
import type { ExecutionPlan } from "../plan/execution-plan";
import type { RunCommands } from "./sandbox/run-commands";
import { WorkspaceSandboxSettings } from "./sandbox/sandbox-settings";
import type { PlanDocument } from "../plan/schema";
import { EventPersister } from "./event-persister";
import type { BackgroundProcess } from "./executors/types";
import { createOverlayFileSystem, diskFileSystem } from "./file-system";
import { openChangeLog, removeChangeLog, type ChangeLog } from "./change-log";
import { openEventLog, removeEventLog, type EventLog } from "./event-log";
import { FileJournal, type FileChangeRecord } from "./journal";
import { decideNode } from "./node-decision";
import type { NodeRunState } from "./run-store";
import { buildRunGraph, type RunGraph, type Task } from "./run-graph";
import type { NodeError, NodeStatus, RunEvent, RunEventInput, RunStatus, StatusCounts } from "./run-events";
import type { RunnerResources } from "./resources";
import { countStatuses, isTerminalNodeStatus, runStatusFromCounts } from "./status";
import { runTask, type TaskHost } from "./task-runner";
import { unifiedDiff } from "./diff";
import { AbortedError } from "./errors";
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
}

/** Control over a run in progress. */
export interface RunHandle {
  runId: string;
  /** Resolves when every node has finished and everything is persisted. */
  done: Promise<RunOutcome>;
  /** Every node's current state, updated live (read only). */
  nodes: ReadonlyMap<string, NodeRunState>;
  /** Cancels the whole run: running nodes are stopped, the rest cancelled. */
  cancel(): void;
  /** Cancels one node (stops it if running); its dependents follow edge rules. Returns false if it already finished. */
  cancelNode(nodeId: string): boolean;
}

/** A fresh node state, for new runs. */
export function pendingNodeState(nodeId: string, batchId: string | null): NodeRunState {
  return {
    nodeId,
    status: "pending",
    attempt: 0,
    batchId,
    reused: false,
    startedAt: null,
    finishedAt: null,
    exitCode: null,
    signal: null,
    pid: null,
    error: null,
    result: null,
    attempts: [],
  };
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
  const execution = new RunExecution(resources, input);
  return {
    runId: input.runId,
    done: execution.start(),
    nodes: execution.states,
    cancel: () => execution.cancel(),
    cancelNode: (nodeId) => execution.cancelNode(nodeId),
  };
}

class RunExecution implements TaskHost {
  readonly states = new Map<string, NodeRunState>();
  readonly controllers = new Map<string, AbortController>();
  readonly runAbort = new AbortController();
  readonly background: BackgroundProcess[] = [];
  readonly persister: EventPersister;
  graph!: RunGraph;
  workspace!: Workspace;
  journal!: FileJournal;
  commands!: RunCommands;
  private changeLog: ChangeLog | null = null;
  private eventLog: EventLog | null = null;
  private seq: number;
  private unfinished = 0;
  private active = 0;
  private readonly queue: Task[] = [];
  private readonly cancelledNodes = new Set<string>();
  private stopping = false;
  private cancelled = false;
  private progressTimer: ReturnType<typeof setTimeout> | null = null;
  private finish!: () => void;
  private readonly allFinished = new Promise<void>((resolve) => (this.finish = resolve));
  readonly concurrency: number;

  constructor(
    readonly resources: RunnerResources,
    readonly input: ExecuteRunInput,
  ) {
    this.seq = input.lastEventSeq;
    this.concurrency = input.concurrency ?? input.plan.settings.concurrency;
    for (const node of input.nodes) this.states.set(node.nodeId, { ...node });
    for (const node of input.plan.nodes) {
      if (!this.states.has(node.id)) this.states.set(node.id, pendingNodeState(node.id, input.executionPlan.batchIdOf[node.id] ?? null));
    }
    this.persister = new EventPersister(resources.store, input.runId, this.states, {
      flushIntervalMs: resources.limits.flushIntervalMs,
      flushMaxEvents: resources.limits.flushMaxEvents,
      onError: (error) => resources.reportError(error),
    });
  }

  get dryRun(): boolean {
    return this.input.dryRun;
  }

  get limits() {
    return this.resources.limits;
  }

  async start(): Promise<RunOutcome> {
    const { input } = this;
    try {
      this.workspace = await openWorkspace(input.directory);
    } catch (error) {
      return this.failBeforeStart(`Workspace "${input.directory}" cannot be opened: ${(error as Error).message}`);
    }
    this.eventLog = this.openLog((directory, runId) => openEventLog(directory, runId));
    const { eventLog } = this;
    this.changeLog = input.dryRun ? null : this.openLog((directory, runId) => openChangeLog(directory, runId, { beforeAppend: () => eventLog?.flush() }));
    this.commands = this.resources.commands.openRun({
      runId: input.runId,
      workspaceRoot: this.workspace.root,
      settings: input.sandbox ?? WorkspaceSandboxSettings.parse({}),
      concurrency: this.concurrency,
    });
    this.journal = new FileJournal(
      input.dryRun ? createOverlayFileSystem() : diskFileSystem,
      this.workspace,
      (records) => this.onFileChanges(records),
      input.firstFileChangeSeq ?? 1,
      this.changeLog,
    );
    const toRun = new Set<string>();
    for (const [nodeId, state] of this.states) if (!KEPT_STATUSES.has(state.status)) toRun.add(nodeId);
    this.graph = buildRunGraph(input.plan, input.executionPlan, toRun, (id) => !toRun.has(id));
    this.unfinished = toRun.size;
    // Nodes to run that no task holds (unknown ids) cannot run; count them as done.
    for (const id of toRun) if (!this.graph.taskOf.has(id)) this.unfinished -= 1;
    this.emit({ type: "run.status", status: "running", counts: this.counts() });
    for (const id of toRun) {
      const state = this.states.get(id) as NodeRunState;
      if (state.status !== "pending") this.setStatus(id, "pending", { attempt: state.attempt });
    }
    if (this.unfinished === 0) this.finish();
    else for (const task of this.graph.tasks) if (task.waitingOn === 0) this.onTaskReady(task);
    await this.allFinished;
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

  /** Whether a node must not start (run stopping, or the node was cancelled). */
  isCancelled(nodeId: string): boolean {
    return this.stopping || this.cancelledNodes.has(nodeId);
  }

  /**
   * Stamps the event with run id, seq and time and hands it on. The event
   * object becomes the published one (callers pass fresh literals): copying
   * every event with a spread cost more than the rest of emitting it.
   */
  emit(event: RunEventInput): void {
    this.seq += 1;
    const full = Object.assign(event, { runId: this.input.runId, seq: this.seq, at: this.resources.clock.now() }) as RunEvent;
    this.eventLog?.append(full);
    // Project first, so subscribers reading node states see this event applied.
    this.persister.add(full);
    this.resources.bus.publish(full);
  }

  /** Emits a node status change; terminal statuses release dependents. */
  setStatus(
    nodeId: string,
    status: NodeStatus,
    extra: { attempt?: number; error?: NodeError; result?: unknown; durationMs?: number; pid?: number } = {},
  ): void {
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
    if (this.unfinished === 0) this.finish();
  }

  statusOf = (nodeId: string): NodeStatus => this.states.get(nodeId)?.status ?? "skipped";

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
    while (this.active < this.concurrency && this.queue.length) {
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
    this.runAbort.abort(cancelReason());
  }

  private onFileChanges(records: FileChangeRecord[]): void {
    const { dryRun } = this.input;
    if (!dryRun) this.persister.addFileChanges(records);
    for (const record of records) {
      // A real change's diff is computed when someone reads it, from the journal; a dry run journals nothing.
      this.emit({
        type: "file.change",
        nodeId: record.nodeId,
        nodeIds: record.nodeIds,
        path: record.path,
        operation: record.operation,
        ...(dryRun ? { diff: unifiedDiff(record.path, record.before, record.after, { maxChars: this.limits.diffMaxChars }), dryRun } : { changeSeq: record.seq }),
      });
    }
  }

  private counts(): StatusCounts {
    return countStatuses([...this.states.values()].map((state) => state.status));
  }

  private scheduleProgress(): void {
    if (this.progressTimer) return;
    this.progressTimer = setTimeout(() => {
      this.progressTimer = null;
      this.emit({ type: "run.progress", counts: this.counts() });
    }, PROGRESS_INTERVAL_MS);
  }

  /** One of the run's crash logs, or null when there is no directory for them or it cannot be opened (the run goes on unlogged). */
  private openLog<Log>(open: (directory: string, runId: string) => Log): Log | null {
    const directory = this.resources.changeLogDirectory;
    if (directory === null) return null;
    try {
      return open(directory, this.input.runId);
    } catch (error) {
      this.resources.reportError(error);
      return null;
    }
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
    const counts = this.counts();
    const status = runStatusFromCounts(counts, this.cancelled);
    this.emit({ type: "run.progress", counts });
    this.emit({ type: "run.status", status, counts });
    await this.persister.flush();
    this.changeLog?.close();
    this.eventLog?.close();
    const logDirectory = this.resources.changeLogDirectory;
    // Kept when the journal or the events could not be stored: recovery reads them then.
    if (logDirectory !== null && this.persister.settled) {
      if (this.changeLog) removeChangeLog(logDirectory, this.input.runId);
      if (this.eventLog) removeEventLog(logDirectory, this.input.runId);
    }
    return { runId: this.input.runId, status, counts, nodes: this.states };
  }

  private async failBeforeStart(message: string): Promise<RunOutcome> {
    this.graph = { nodes: new Map(), incoming: new Map(), waiters: new Map(), tasks: [], taskOf: new Map() };
    this.emit({ type: "run.status", status: "failed", error: message, counts: this.counts() });
    await this.persister.flush();
    return { runId: this.input.runId, status: "failed", counts: this.counts(), nodes: this.states };
  }
}

function cancelReason(): AbortedError {
  return new AbortedError("cancelled");
}
