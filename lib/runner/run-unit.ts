/**
 * Runs one unit of a task: a single node (with retries and backoff), a
 * multi-edit (one read-modify-write for several edit nodes) or a search pass
 * (one walk for several searches). Every attempt registers its abort
 * controller with the host, so a cancel or the run stopping reaches it.
 */
import type { BatchUnit } from "../plan/execution-plan";
import type { PlanNode, SearchParams } from "../plan/schema";
import { AbortedError, OperationError, isRetryable, toNodeError } from "./errors";
import { editFileExecutor, editFileInSteps, type EditStepOutcome } from "./executors/file-edit";
import { deleteFileExecutor } from "./executors/file-delete";
import { moveFileExecutor } from "./executors/file-move";
import { readFileExecutor } from "./executors/file-read";
import { writeFileExecutor } from "./executors/file-write";
import { searchExecutor, searchPass, unmetExpectation, type SearchResult } from "./executors/search";
import { shellExecutor } from "./executors/shell";
import type { ExecutorContext } from "./executors/types";
import type { ChangeScope, NodeFiles } from "./journal";
import { decideNode } from "../run-events/node-decision";
import type { NodeStatus } from "../run-events/run-events";
import type { Outcome, TaskHost } from "./task-host";

/**
 * Runs the unit's nodes `ids` (those of the unit still to run) in `scope`;
 * `rollbackBetweenAttempts` undoes a failed attempt's partial changes before
 * a retry (not inside an atomic batch, whose scope is shared).
 */
export async function runUnit(
  host: TaskHost,
  unit: BatchUnit,
  ids: string[],
  scope: ChangeScope,
  rollbackBetweenAttempts: boolean,
): Promise<Map<string, Outcome>> {
  if (unit.kind === "multi-edit" && ids.length > 1) return runMultiEdit(host, ids, unit.target, scope);
  if (unit.kind === "search-pass" && ids.length > 1) return runSearchPass(host, ids, unit.target);
  const outcomes = new Map<string, Outcome>();
  for (const id of ids) outcomes.set(id, await runSingle(host, id, scope, rollbackBetweenAttempts));
  return outcomes;
}

/** Starts an attempt: one controller for the nodes, aborted by timeout, node cancel or run cancel. */
function startAttempt(host: TaskHost, nodeIds: readonly string[], timeoutMs: number) {
  const controller = new AbortController();
  // Stopping the run aborts every registered controller: no listener per attempt needed.
  host.registerAttempt(nodeIds, controller);
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
    dryRun: host.settings.dryRun,
    limits: host.settings.limits,
    commands: host.commands,
    ripgrepPath: host.settings.ripgrepPath,
    keepProcess: (process) => host.keepProcess(process),
    emit(event) {
      if (event.type === "pid") host.setStatus(nodeId, "running", { pid: event.pid, attempt });
      else if (event.type === "result")
        host.emit({ type: "node.status", nodeId, status: "succeeded", attempt: host.attemptOf(nodeId), result: event.result });
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
  return node.timeoutMs ?? host.settings.timeoutMs;
}

function abortError(signal: AbortSignal, error: unknown): unknown {
  return signal.aborted && signal.reason instanceof AbortedError ? signal.reason : error;
}

/** One node with retries; `rollbackBetweenAttempts` undoes a failed attempt's partial changes. */
async function runSingle(host: TaskHost, nodeId: string, scope: ChangeScope, rollbackBetweenAttempts: boolean): Promise<Outcome> {
  const node = host.nodes.get(nodeId) as PlanNode;
  const retries = node.retries ?? host.settings.retries;
  let attempt = host.attemptOf(nodeId);
  for (;;) {
    attempt += 1;
    // A command reports `running` once it has a pid (one event instead of two).
    const announcesItself = node.type === "shell" && !host.settings.dryRun;
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
      if (error instanceof AbortedError && error.reason === "cancelled")
        return { status: "cancelled", attempt, durationMs, error: nodeError, result };
      if (isRetryable(error) && attempt <= retries && !host.isCancelled(nodeId)) {
        const delayMs = host.settings.retryBackoffMs * 2 ** (attempt - 1);
        host.emit({ type: "node.retry", nodeId, attempt, delayMs, error: nodeError });
        if (rollbackBetweenAttempts) await scope.rollback();
        dispose();
        if (!(await backoff(host, nodeId, delayMs)))
          return { status: "cancelled", attempt, durationMs, error: toNodeError(new AbortedError("cancelled")) };
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
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      resolve(ok && !host.isCancelled(nodeId));
    };
    const timer = setTimeout(() => done(true), delayMs);
    controller.signal.addEventListener("abort", () => done(false), { once: true });
    // Registered last: a run already stopping aborts it here, and done() must see the timer.
    host.registerAttempt([nodeId], controller);
  });
}

/** Several edit nodes on one file: one read, the steps in order, one write. */
async function runMultiEdit(host: TaskHost, ids: string[], target: string | undefined, scope: ChangeScope): Promise<Map<string, Outcome>> {
  const nodes = ids.map((id) => host.nodes.get(id) as PlanNode);
  const steps = nodes.map((node) => (node.type === "file.edit" ? node.params.edits : []));
  const path = target ?? (nodes[0]?.type === "file.edit" ? nodes[0].params.path : "");
  const attempts = ids.map((id) => host.attemptOf(id) + 1);
  // No `running` events: the unit is one in-memory read-modify-write; final events carry durations.
  const started = performance.now();
  const timeout = Math.max(...nodes.map((node) => timeoutOf(host, node)));
  const { signal, dispose } = startAttempt(host, ids, timeout);
  const statusIn =
    (outcomes: readonly EditStepOutcome[]) =>
    (nodeId: string): NodeStatus => {
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
        return decideNode(host.incoming.get(id) ?? [], statusIn(so_far)) === "run";
      },
      outcomes,
    );
    const durationMs = Math.round(performance.now() - started);
    outcomes.forEach((outcome, index) => {
      const id = ids[index] as string;
      const attempt = attempts[index] as number;
      if (outcome.ok === true) result.set(id, { status: "succeeded", attempt, durationMs, result: outcome.value });
      else if (outcome.ok === "skipped")
        result.set(
          id,
          host.isCancelled(id)
            ? { status: "cancelled", attempt, durationMs, error: toNodeError(new AbortedError("cancelled")) }
            : { status: "skipped", attempt },
        );
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
  const nodes = ids.map((id) => host.nodes.get(id) as PlanNode);
  const searches = nodes.flatMap((node) => (node.type === "search" ? [node.params] : []));
  const attempts = ids.map((id) => host.attemptOf(id) + 1);
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
      result.set(
        id,
        failure
          ? { status: "failed", attempt, durationMs, error: toNodeError(failure), result: found[index] }
          : { status: "succeeded", attempt, durationMs, result: found[index] },
      );
    });
  } catch (thrown) {
    failUnit(result, ids, attempts, abortError(signal, thrown), started);
  } finally {
    dispose();
  }
  return result;
}
