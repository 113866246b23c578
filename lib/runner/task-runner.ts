/**
 * Runs one task: a single node (with retries and backoff), a multi-edit unit
 * (one read-modify-write for several edit nodes), a search pass (one walk for
 * several searches), or an atomic file batch (all units apply or none; the
 * journal rolls back).
 */
import type { PlanNode, SearchParams } from "../plan/schema";
import type { RunCommands } from "./sandbox/run-commands";
import { AbortedError, OperationError, isRetryable, toNodeError } from "./errors";
import { editFileExecutor, editFileInSteps, type EditStepOutcome } from "./executors/file-edit";
import { deleteFileExecutor } from "./executors/file-delete";
import { moveFileExecutor } from "./executors/file-move";
import { readFileExecutor } from "./executors/file-read";
import { writeFileExecutor } from "./executors/file-write";
import { searchExecutor, searchPass, unmetExpectation, type SearchResult } from "./executors/search";
import { shellExecutor } from "./executors/shell";
import type { BackgroundProcess, ExecutorContext } from "./executors/types";
import type { ChangeScope, FileJournal, NodeFiles } from "./journal";
import type { RunnerLimits } from "./limits";
import { decideNode } from "./node-decision";
import type { NodeError, NodeStatus, RunEventInput } from "./run-events";
import type { RunGraph, Task } from "./run-graph";
import type { BatchUnit } from "../plan/execution-plan";
import { changedPaths } from "../plan/changed-paths";
import type { NodeRunState } from "./run-store";
import type { RunnerResources } from "./resources";
import type { ExecuteRunInput } from "./scheduler";
import type { Workspace } from "./workspace";

/** What the task runner needs from the run it belongs to. */
export interface TaskHost {
  readonly resources: RunnerResources;
  readonly input: ExecuteRunInput;
  readonly states: Map<string, NodeRunState>;
  readonly controllers: Map<string, AbortController>;
  readonly runAbort: AbortController;
  readonly graph: RunGraph;
  readonly workspace: Workspace;
  readonly journal: FileJournal;
  readonly commands: RunCommands;
  readonly dryRun: boolean;
  readonly limits: RunnerLimits;
  /** The run's concurrency limit (units of an atomic batch run up to this many at once). */
  readonly concurrency: number;
  emit(event: RunEventInput): void;
  setStatus(
    nodeId: string,
    status: NodeStatus,
    extra?: { attempt?: number; error?: NodeError; result?: unknown; durationMs?: number; pid?: number },
  ): void;
  statusOf(nodeId: string): NodeStatus;
  upstreamOf(nodeId: string): Map<string, unknown>;
  keepProcess(process: BackgroundProcess): void;
  isCancelled(nodeId: string): boolean;
}

type Outcome =
  | { status: "succeeded"; attempt: number; durationMs: number; result: unknown }
  | { status: "failed" | "cancelled"; attempt: number; durationMs: number; error: NodeError; result?: unknown }
  | { status: "skipped"; attempt: number };

/** Runs a task and reports every node's final status to the host. */
export async function runTask(host: TaskHost, task: Task): Promise<void> {
  const shared = task.atomic ? host.journal.scope() : null;
  const outcomes = new Map<string, Outcome>();
  const wanted = new Set(task.nodeIds);
  let anyFailed = false;
  if (shared) host.emit({ type: "batch.status", batchId: task.batch.id, kind: task.batch.kind, status: "started", nodeIds: task.nodeIds });
  const runUnit = async (unit: BatchUnit) => {
    const ids = unit.nodeIds.filter((id) => wanted.has(id));
    if (!ids.length) return;
    if (shared && anyFailed) {
      // All or nothing: once a change failed, the rest of the batch would be rolled back anyway.
      for (const id of ids) outcomes.set(id, rolledBack(host, id, "it was not run"));
      return;
    }
    const scope = shared ?? host.journal.scope();
    let unitOutcomes: Map<string, Outcome>;
    if (unit.kind === "multi-edit" && ids.length > 1) unitOutcomes = await runMultiEdit(host, ids, unit.target, scope);
    else if (unit.kind === "search-pass" && ids.length > 1) unitOutcomes = await runSearchPass(host, ids, unit.target);
    else {
      unitOutcomes = new Map();
      for (const id of ids) unitOutcomes.set(id, await runSingle(host, id, scope, !shared));
    }
    for (const outcome of unitOutcomes.values()) if (outcome.status === "failed" || outcome.status === "cancelled") anyFailed = true;
    if (!shared) {
      const failedSingle = unit.kind !== "multi-edit" && [...unitOutcomes.values()].some((outcome) => outcome.status === "failed");
      if (failedSingle) await scope.rollback();
      else scope.commit();
      report(host, unitOutcomes);
    } else for (const [id, outcome] of unitOutcomes) outcomes.set(id, outcome);
  };
  if (shared) await runConcurrently(task.units, host.concurrency, (unit) => pathsOf(host, unit), runUnit);
  else for (const unit of task.units) await runUnit(unit);
  if (!shared) return;
  if (anyFailed) {
    await shared.rollback();
    for (const [id, outcome] of outcomes) if (outcome.status === "succeeded") outcomes.set(id, rolledBack(host, id, "its batch was rolled back", outcome));
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
    const node = host.graph.nodes.get(id);
    if (node) paths.push(...changedPaths(node));
  }
  return paths;
}

/**
 * Runs `work` over `items`, at most `limit` at a time, in order; an item
 * waits for earlier items sharing one of its keys.
 */
async function runConcurrently<T>(items: readonly T[], limit: number, keysOf: (item: T) => string[], work: (item: T) => Promise<void>): Promise<void> {
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
    attempt: previous?.attempt ?? host.states.get(nodeId)?.attempt ?? 0,
    durationMs: previous && "durationMs" in previous ? previous.durationMs : 0,
    error: { code: "batch-rolled-back", message: `Not applied: another change of this atomic batch failed, so ${why}`, retryable: true },
  };
}

function report(host: TaskHost, outcomes: Map<string, Outcome>): void {
  for (const [id, outcome] of outcomes) {
    if (outcome.status === "skipped") host.setStatus(id, "skipped");
    else if (outcome.status === "succeeded") host.setStatus(id, "succeeded", outcome);
    else host.setStatus(id, outcome.status, outcome);
  }
}

/** Starts an attempt: one controller for the nodes, aborted by timeout, node cancel or run cancel. */
function startAttempt(host: TaskHost, nodeIds: readonly string[], timeoutMs: number) {
  const controller = new AbortController();
  // Stopping the run aborts every registered controller (no listener per
  // attempt needed); one started after that is aborted at once.
  for (const id of nodeIds) host.controllers.set(id, controller);
  if (host.runAbort.signal.aborted) controller.abort(host.runAbort.signal.reason);
  const timer = setTimeout(() => controller.abort(new AbortedError("timeout")), timeoutMs);
  return { signal: controller.signal, dispose: () => clearTimeout(timer) };
}

function contextFor(host: TaskHost, nodeId: string, signal: AbortSignal, files: NodeFiles, attempt?: number): ExecutorContext {
  return {
    nodeId,
    signal,
    workspace: host.workspace,
    files,
    upstream: host.upstreamOf(nodeId),
    dryRun: host.dryRun,
    limits: host.limits,
    commands: host.commands,
    ripgrepPath: host.resources.ripgrepPath,
    keepProcess: (process) => host.keepProcess(process),
    emit(event) {
      if (event.type === "pid") host.setStatus(nodeId, "running", { pid: event.pid, attempt });
      else if (event.type === "result") host.emit({ type: "node.status", nodeId, status: "succeeded", attempt: host.states.get(nodeId)?.attempt ?? 0, result: event.result });
      else host.emit({ type: "node.output", nodeId, stream: event.stream, data: event.data, truncated: event.truncated });
    },
  };
}

/** Calls the executor of the node's type (a switch keeps params and executor types paired). */
function execute(node: PlanNode, ctx: ExecutorContext): Promise<unknown> {
  switch (node.type) {
    case "file.write":
      return writeFileExecutor(node.params, ctx);
    case "file.edit":
      return editFileExecutor(node.params, ctx);
    case "file.delete":
      return deleteFileExecutor(node.params, ctx);
    case "file.move":
      return moveFileExecutor(node.params, ctx);
    case "file.read":
      return readFileExecutor(node.params, ctx);
    case "search":
      return searchExecutor(node.params, ctx);
    case "shell":
      return shellExecutor(node.params, ctx);
  }
}

function timeoutOf(host: TaskHost, node: PlanNode): number {
  return node.timeoutMs ?? host.input.plan.settings.timeoutMs;
}

function abortError(signal: AbortSignal, error: unknown): unknown {
  return signal.aborted && signal.reason instanceof AbortedError ? signal.reason : error;
}

/** One node with retries; `rollbackBetweenAttempts` undoes a failed attempt's partial changes. */
async function runSingle(host: TaskHost, nodeId: string, scope: ChangeScope, rollbackBetweenAttempts: boolean): Promise<Outcome> {
  const node = host.graph.nodes.get(nodeId) as PlanNode;
  const retries = node.retries ?? host.input.plan.settings.retries;
  let attempt = host.states.get(nodeId)?.attempt ?? 0;
  for (;;) {
    attempt += 1;
    // A command reports `running` once it has a pid (one event instead of two).
    const announcesItself = node.type === "shell" && !host.dryRun;
    if (!announcesItself) host.setStatus(nodeId, "running", { attempt });
    const started = performance.now();
    const { signal, dispose } = startAttempt(host, [nodeId], timeoutOf(host, node));
    try {
      const result = await execute(node, contextFor(host, nodeId, signal, scope.forNode(nodeId), attempt));
      return { status: "succeeded", attempt, durationMs: Math.round(performance.now() - started), result };
    } catch (thrown) {
      const error = abortError(signal, thrown);
      const nodeError = toNodeError(error);
      const durationMs = Math.round(performance.now() - started);
      const result = thrown instanceof OperationError ? thrown.result : undefined;
      if (error instanceof AbortedError && error.reason === "cancelled") return { status: "cancelled", attempt, durationMs, error: nodeError, result };
      if (isRetryable(error) && attempt <= retries && !host.isCancelled(nodeId)) {
        const delayMs = host.input.plan.settings.retryBackoffMs * 2 ** (attempt - 1);
        host.emit({ type: "node.retry", nodeId, attempt, delayMs, error: nodeError });
        if (rollbackBetweenAttempts) await scope.rollback();
        dispose();
        if (!(await backoff(host, nodeId, delayMs))) return { status: "cancelled", attempt, durationMs, error: toNodeError(new AbortedError("cancelled")) };
        continue;
      }
      return { status: "failed", attempt, durationMs, error: nodeError, result };
    } finally {
      dispose();
    }
  }
}

/** Waits before a retry; false when the node or run was cancelled meanwhile. */
function backoff(host: TaskHost, nodeId: string, delayMs: number): Promise<boolean> {
  const controller = new AbortController();
  host.controllers.set(nodeId, controller);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      host.runAbort.signal.removeEventListener("abort", onAbort);
      resolve(ok && !host.isCancelled(nodeId));
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), delayMs);
    controller.signal.addEventListener("abort", onAbort, { once: true });
    if (host.runAbort.signal.aborted) done(false);
    else host.runAbort.signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Several edit nodes on one file: one read, the steps in order, one write. */
async function runMultiEdit(host: TaskHost, ids: string[], target: string | undefined, scope: ChangeScope): Promise<Map<string, Outcome>> {
  const nodes = ids.map((id) => host.graph.nodes.get(id) as PlanNode);
  const steps = nodes.map((node) => (node.type === "file.edit" ? node.params.edits : []));
  const path = target ?? (nodes[0]?.type === "file.edit" ? nodes[0].params.path : "");
  const attempts = ids.map((id) => (host.states.get(id)?.attempt ?? 0) + 1);
  // No `running` events: the unit is one in-memory read-modify-write; final events carry durations.
  const started = performance.now();
  const timeout = Math.max(...nodes.map((node) => timeoutOf(host, node)));
  const { signal, dispose } = startAttempt(host, ids, timeout);
  const statusIn = (outcomes: readonly EditStepOutcome[]) => (nodeId: string): NodeStatus => {
    const index = ids.indexOf(nodeId);
    if (index === -1 || index >= outcomes.length) return host.statusOf(nodeId);
    const outcome = outcomes[index] as EditStepOutcome;
    return outcome.ok === true ? "succeeded" : outcome.ok === "skipped" ? "skipped" : "failed";
  };
  const result = new Map<string, Outcome>();
  try {
    // The journal entry is kept under the unit's last node and names every node whose edit it applied.
    const lastId = ids[ids.length - 1] as string;
    const outcomes: EditStepOutcome[] = [];
    const applied = () => ids.filter((_, index) => outcomes[index]?.ok === true);
    const ctx = contextFor(host, lastId, signal, scope.forNode(lastId, applied));
    await editFileInSteps(
      path,
      steps,
      ctx,
      (index, so_far) => {
        const id = ids[index] as string;
        if (host.isCancelled(id)) return false;
        return decideNode(host.graph.incoming.get(id) ?? [], statusIn(so_far)) === "run";
      },
      outcomes,
    );
    const durationMs = Math.round(performance.now() - started);
    outcomes.forEach((outcome, index) => {
      const id = ids[index] as string;
      const attempt = attempts[index] as number;
      if (outcome.ok === true) result.set(id, { status: "succeeded", attempt, durationMs, result: outcome.value });
      else if (outcome.ok === "skipped") result.set(id, host.isCancelled(id) ? { status: "cancelled", attempt, durationMs, error: toNodeError(new AbortedError("cancelled")) } : { status: "skipped", attempt });
      else result.set(id, { status: "failed", attempt, durationMs, error: toNodeError(outcome.error) });
    });
  } catch (thrown) {
    failUnit(result, ids, attempts, abortError(signal, thrown), started);
  } finally {
    dispose();
  }
  return result;
}

/** A unit's attempt threw: every node of it ends cancelled (when that was the cause) or failed. */
function failUnit(result: Map<string, Outcome>, ids: string[], attempts: number[], error: unknown, started: number): void {
  const status = error instanceof AbortedError && error.reason === "cancelled" ? "cancelled" : "failed";
  const durationMs = Math.round(performance.now() - started);
  ids.forEach((id, index) => result.set(id, { status, attempt: attempts[index] as number, durationMs, error: toNodeError(error) }));
}

/** Several searches over one glob, answered by one walk. */
async function runSearchPass(host: TaskHost, ids: string[], target: string | undefined): Promise<Map<string, Outcome>> {
  const nodes = ids.map((id) => host.graph.nodes.get(id) as PlanNode);
  const searches = nodes.flatMap((node) => (node.type === "search" ? [node.params] : []));
  const attempts = ids.map((id) => (host.states.get(id)?.attempt ?? 0) + 1);
  ids.forEach((id, index) => host.setStatus(id, "running", { attempt: attempts[index] }));
  const started = performance.now();
  const { signal, dispose } = startAttempt(host, ids, Math.max(...nodes.map((node) => timeoutOf(host, node))));
  const result = new Map<string, Outcome>();
  try {
    const ctx = contextFor(host, ids[0] as string, signal, host.journal.scope().forNode(ids[0] as string));
    const found = await searchPass(searches, target ?? searches[0]?.glob ?? "**/*", ctx);
    const durationMs = Math.round(performance.now() - started);
    ids.forEach((id, index) => {
      const attempt = attempts[index] as number;
      const failure = unmetExpectation(searches[index] as SearchParams, found[index] as SearchResult);
      result.set(id, failure ? { status: "failed", attempt, durationMs, error: toNodeError(failure), result: found[index] } : { status: "succeeded", attempt, durationMs, result: found[index] });
    });
  } catch (thrown) {
    failUnit(result, ids, attempts, abortError(signal, thrown), started);
  } finally {
    dispose();
  }
  return result;
}
