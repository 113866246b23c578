/**
 * Starting runs and their repairs: a new run, resume of an interrupted one,
 * retry of failed nodes, retry of one node and its dependents. Each creates or
 * loads the run through the store and hands it to the scheduler.
 */
import type { ExecutionPlan } from "../plan/execution-plan";
import type { WorkspaceSandboxSettings } from "./sandbox/sandbox-settings";
import { optimizePlan } from "../plan/optimize-plan";
import type { PlanDocument } from "../plan/schema";
import type { RunnerResources } from "./resources";
import type { NodeRunState, StoredRun } from "./run-store";
import { pendingNodeState } from "./run-recorder";
import { executeRun, type ExecuteRunInput, type RunHandle } from "./scheduler";
import type { RunEvent } from "../run-events/run-events";
import { countStatuses, isUnfinishedNodeStatus } from "../run-events/status";

/** Thrown when a run cannot be started or repaired as asked. */
export class RunRequestError extends Error {
  constructor(
    readonly code: "not-found" | "invalid-state" | "invalid-plan" | "unknown-node",
    message: string,
  ) {
    super(message);
    this.name = "RunRequestError";
  }
}

/** Who and what a new run belongs to. */
export interface RunOwnership {
  teamId: string;
  planId: string;
  planVersionId: string;
  startedById: string;
  workspaceId?: string | null;
}

/** Options of {@link startRun}. */
export interface StartRunOptions extends RunOwnership {
  plan: PlanDocument;
  directory: string;
  dryRun?: boolean;
  concurrency?: number;
  keepBackground?: boolean;
  /** The workspace's sandbox settings (network, limits); defaults when left out. */
  sandbox?: WorkspaceSandboxSettings;
  /** The optimizer's plan; computed when left out. */
  executionPlan?: ExecutionPlan;
  /** The run's id, when the caller chose it (NewRun's `id`). */
  runId?: string;
}

/** Plans the execution, refusing plans the optimizer finds unrunnable (a cycle). */
export function planExecution(plan: PlanDocument): ExecutionPlan {
  const executionPlan = optimizePlan(plan);
  const blocking = executionPlan.hazards.filter((hazard) => hazard.severity === "error");
  if (blocking.length) throw new RunRequestError("invalid-plan", blocking.map((hazard) => hazard.message).join("; "));
  return executionPlan;
}

/**
 * Creates a run (status `queued`) without executing it: in cluster mode the
 * web server does this and a worker executes it ({@link executeQueuedRun}).
 */
export async function createQueuedRun(resources: RunnerResources, options: StartRunOptions): Promise<ExecuteRunInput> {
  const executionPlan = options.executionPlan ?? planExecution(options.plan);
  const nodes = options.plan.nodes.map((node) => pendingNodeState(node.id, executionPlan.batchIdOf[node.id] ?? null));
  const concurrency = options.concurrency ?? options.plan.settings.concurrency;
  const { id } = await resources.store.createRun({
    id: options.runId,
    teamId: options.teamId,
    planId: options.planId,
    planVersionId: options.planVersionId,
    startedById: options.startedById,
    workspaceId: options.workspaceId ?? null,
    directory: options.directory,
    settings: {
      concurrency,
      keepBackground: options.keepBackground,
      runnerPid: process.pid,
      sandbox: options.sandbox,
      sandboxed: resources.commands.sandboxed ? undefined : false,
    },
    dryRun: options.dryRun ?? false,
    nodes,
  });
  return {
    runId: id,
    plan: options.plan,
    executionPlan,
    directory: options.directory,
    dryRun: options.dryRun ?? false,
    concurrency,
    keepBackground: options.keepBackground,
    sandbox: options.sandbox,
    nodes,
    lastEventSeq: 0,
  };
}

/**
 * Creates a run and starts executing it.
 *
 * @example
 * const handle = await startRun(resources, { ...ownership, plan, directory: "/srv/ws" });
 * const outcome = await handle.done; // outcome.status === "succeeded"
 */
export async function startRun(resources: RunnerResources, options: StartRunOptions): Promise<RunHandle> {
  return executeRun(resources, await createQueuedRun(resources, options));
}

/**
 * Executes a run another process created and left `queued` (a cluster
 * worker taking a run from the queue), as loaded from the store: the worker
 * loads it while it claims the run. `directory` overrides the stored one:
 * the workspace may live elsewhere on the worker's disk.
 */
export function executeQueuedRun(resources: RunnerResources, run: StoredRun, options: { directory?: string } = {}): RunHandle {
  if (run.status !== "queued") throw new RunRequestError("invalid-state", `Run ${run.id} is ${run.status}, not queued`);
  const executionPlan = planExecution(run.plan);
  const stored = new Map(run.nodes.map((node) => [node.nodeId, node]));
  return executeRun(resources, {
    runId: run.id,
    plan: run.plan,
    executionPlan,
    directory: options.directory ?? run.directory,
    dryRun: run.dryRun,
    concurrency: run.settings.concurrency,
    keepBackground: run.settings.keepBackground,
    sandbox: run.settings.sandbox,
    nodes: run.plan.nodes.map((node) => stored.get(node.id) ?? pendingNodeState(node.id, executionPlan.batchIdOf[node.id] ?? null)),
    lastEventSeq: run.lastEventSeq,
  });
}

async function loadOrThrow(resources: RunnerResources, runId: string): Promise<StoredRun> {
  const run = await resources.store.loadRun(runId);
  if (!run) throw new RunRequestError("not-found", `Run ${runId} was not found`);
  return run;
}

/**
 * Continues an interrupted run in place: finished nodes keep their results,
 * the rest run.
 */
export async function resumeRun(resources: RunnerResources, runId: string, options: { directory?: string } = {}): Promise<RunHandle> {
  const run = await loadOrThrow(resources, runId);
  if (run.status !== "interrupted") {
    throw new RunRequestError("invalid-state", `Run ${runId} is ${run.status}; only interrupted runs can be resumed (use retry)`);
  }
  const changes = await resources.store.listFileChanges(runId);
  return executeRun(resources, {
    runId,
    plan: run.plan,
    executionPlan: planExecution(run.plan),
    directory: options.directory ?? run.directory,
    dryRun: run.dryRun,
    concurrency: run.settings.concurrency,
    keepBackground: run.settings.keepBackground,
    sandbox: run.settings.sandbox,
    nodes: run.nodes,
    lastEventSeq: run.lastEventSeq,
    firstFileChangeSeq: changes.reduce((max, change) => Math.max(max, change.seq), 0) + 1,
  });
}

/** A revised plan a retry runs instead of its parent's, already stored as a version of the parent's plan. */
export interface PlanRevision {
  plan: PlanDocument;
  planVersionId: string;
}

/**
 * Creates a new run (child of `parent`, left queued) of the parent's plan, or
 * of `revision`: `rerun` nodes run, the others carry their parent's state.
 */
export async function createChildRun(
  resources: RunnerResources,
  parent: StoredRun,
  rerun: (nodeId: string, parentState: NodeRunState | undefined) => boolean,
  revision?: PlanRevision,
): Promise<ExecuteRunInput> {
  if (parent.status === "running" || parent.status === "queued") {
    throw new RunRequestError("invalid-state", `Run ${parent.id} is still ${parent.status}; wait for it to finish or cancel it`);
  }
  const plan = revision?.plan ?? parent.plan;
  const executionPlan = planExecution(plan);
  const parentStates = new Map(parent.nodes.map((node) => [node.nodeId, node]));
  const nodes = plan.nodes.map((planNode): NodeRunState => {
    const node = parentStates.get(planNode.id);
    return node && !rerun(planNode.id, node)
      ? { ...node, reused: true, pid: null, attempts: [] }
      : pendingNodeState(planNode.id, executionPlan.batchIdOf[planNode.id] ?? null);
  });
  const { id } = await resources.store.createRun({
    teamId: parent.teamId,
    planId: parent.planId,
    planVersionId: revision?.planVersionId ?? parent.planVersionId,
    startedById: parent.startedById,
    workspaceId: parent.workspaceId,
    directory: parent.directory,
    settings: { ...parent.settings, runnerPid: process.pid, sandboxed: resources.commands.sandboxed ? undefined : false },
    dryRun: parent.dryRun,
    parentRunId: parent.id,
    nodes,
  });
  return {
    runId: id,
    plan,
    executionPlan,
    directory: parent.directory,
    dryRun: parent.dryRun,
    concurrency: parent.settings.concurrency,
    keepBackground: parent.settings.keepBackground,
    sandbox: parent.settings.sandbox,
    nodes,
    lastEventSeq: 0,
  };
}

/** A new queued run of only the failed, skipped, cancelled and interrupted nodes; successes are reused. */
export async function createRetryOfFailedNodes(resources: RunnerResources, runId: string): Promise<ExecuteRunInput> {
  const parent = await loadOrThrow(resources, runId);
  return createChildRun(resources, parent, (_nodeId, node) => node?.status !== "succeeded");
}

/** A new run of only the failed, skipped, cancelled and interrupted nodes; successes are reused. */
export async function retryFailedNodes(resources: RunnerResources, runId: string): Promise<RunHandle> {
  return executeRun(resources, await createRetryOfFailedNodes(resources, runId));
}

/** A new queued run of one node and everything downstream of it; other nodes keep their parent's state. */
export async function createRetryOfNode(resources: RunnerResources, runId: string, nodeId: string): Promise<ExecuteRunInput> {
  const parent = await loadOrThrow(resources, runId);
  if (!parent.plan.nodes.some((node) => node.id === nodeId)) {
    throw new RunRequestError("unknown-node", `Run ${runId} has no node "${nodeId}"`);
  }
  const downstream = new Set([nodeId]);
  const out = new Map<string, string[]>();
  for (const edge of parent.plan.edges) out.set(edge.from, [...(out.get(edge.from) ?? []), edge.to]);
  const stack = [nodeId];
  while (stack.length) {
    for (const next of out.get(stack.pop() as string) ?? []) {
      if (!downstream.has(next)) {
        downstream.add(next);
        stack.push(next);
      }
    }
  }
  return createChildRun(resources, parent, (id, node) => downstream.has(id) || node === undefined || isUnfinishedNodeStatus(node.status));
}

/** A new run of one node and everything downstream of it; other nodes keep their parent's state. */
export async function retryNode(resources: RunnerResources, runId: string, nodeId: string): Promise<RunHandle> {
  return executeRun(resources, await createRetryOfNode(resources, runId, nodeId));
}

/**
 * Cancels a queued run no runner has taken (a cluster web server, once it
 * removed the run's job from the queue): its nodes and the run become
 * cancelled, with the events a runner would have stored.
 */
export async function cancelQueuedRun(resources: RunnerResources, runId: string): Promise<void> {
  const run = await loadOrThrow(resources, runId);
  if (run.status !== "queued") throw new RunRequestError("invalid-state", `Run ${runId} is ${run.status}, not queued`);
  const at = resources.clock.now();
  const stored = new Map(run.nodes.map((node) => [node.nodeId, node]));
  const events: RunEvent[] = [];
  let seq = run.lastEventSeq;
  const nodes: NodeRunState[] = [];
  for (const planNode of run.plan.nodes) {
    const node = stored.get(planNode.id) ?? pendingNodeState(planNode.id, null);
    if (!isUnfinishedNodeStatus(node.status)) continue;
    nodes.push({ ...node, status: "cancelled", finishedAt: new Date(at) });
    events.push({
      type: "node.status",
      runId,
      seq: ++seq,
      at,
      nodeId: node.nodeId,
      status: "cancelled",
      attempt: node.attempt,
      batchId: node.batchId ?? undefined,
    });
  }
  const statusOf = new Map(run.plan.nodes.map((node) => [node.id, stored.get(node.id)?.status ?? "pending"]));
  for (const node of nodes) statusOf.set(node.nodeId, node.status);
  events.push({ type: "run.status", runId, seq: ++seq, at, status: "cancelled", counts: countStatuses([...statusOf.values()]) });
  await resources.store.persist({
    runId,
    events,
    nodes,
    run: { status: "cancelled", finishedAt: new Date(at) },
    lastEventSeq: seq,
    fileChanges: [],
  });
  for (const event of events) resources.bus.publish(event);
}
