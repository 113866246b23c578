/**
 * The scheduler's view of a plan: incoming edges per node and the tasks it
 * starts — an atomic file batch as one task (all its changes apply or none,
 * even a partly failing multi-edit), every other unit on its own.
 */
import type { Batch, BatchUnit, ExecutionPlan } from "../plan/execution-plan";
import type { PlanDocument, PlanNode } from "../plan/schema";
import { batchKindOf } from "../plan/build-batches";
import type { IncomingEdge } from "../run-events/node-decision";

/** Something the scheduler starts once all its outside dependencies have finished. */
export interface Task {
  batch: Batch;
  units: BatchUnit[];
  /** Nodes of the task that still have to run, in execution order. */
  nodeIds: string[];
  /** Outside dependencies not finished yet. */
  waitingOn: number;
  /** All units apply or none (several units of an atomic file batch). */
  atomic: boolean;
  /**
   * Every node of the task's units, whose edges among themselves are decided
   * while the task runs; null for a lone node (most tasks), which has none.
   */
  inside: ReadonlySet<string> | null;
}

/** Indexes of a plan for scheduling. */
export interface RunGraph {
  nodes: Map<string, PlanNode>;
  incoming: Map<string, IncomingEdge[]>;
  /** Node → tasks waiting for it. */
  waiters: Map<string, Task[]>;
  tasks: Task[];
  taskOf: Map<string, Task>;
}

/**
 * Builds tasks for the nodes in `toRun`; `isFinished` tells which outside
 * dependencies are already done (carried over from an earlier run).
 */
export function buildRunGraph(
  plan: PlanDocument,
  executionPlan: ExecutionPlan,
  toRun: ReadonlySet<string>,
  isFinished: (nodeId: string) => boolean,
): RunGraph {
  const nodes = new Map(plan.nodes.map((node) => [node.id, node]));
  const incoming = new Map<string, IncomingEdge[]>();
  for (const edge of plan.edges) {
    let list = incoming.get(edge.to);
    if (!list) incoming.set(edge.to, (list = []));
    list.push({ from: edge.from, when: edge.when });
  }
  const tasks: Task[] = [];
  const taskOf = new Map<string, Task>();
  const addTask = (batch: Batch, units: BatchUnit[], atomic: boolean) => {
    const nodeIds = units.flatMap((unit) => unit.nodeIds).filter((id) => toRun.has(id) && !taskOf.has(id));
    if (!nodeIds.length) return;
    const lone = units.length === 1 && units[0]?.nodeIds.length === 1;
    const task: Task = {
      batch,
      units,
      nodeIds,
      waitingOn: 0,
      atomic,
      inside: lone ? null : new Set(units.flatMap((unit) => unit.nodeIds)),
    };
    tasks.push(task);
    for (const id of nodeIds) taskOf.set(id, task);
  };
  for (const batch of executionPlan.batches) {
    if (batch.atomic && batch.kind === "file-change") addTask(batch, batch.units, true);
    else for (const unit of batch.units) addTask(batch, [unit], false);
  }
  // Nodes the optimizer left out (it should not) still run, each on its own.
  for (const id of toRun) {
    const node = nodes.get(id);
    if (taskOf.has(id) || !node) continue;
    const unit: BatchUnit = { kind: "node", nodeIds: [id] };
    addTask({ id: `extra:${id}`, kind: batchKindOf(node.type), wave: 0, nodeIds: [id], atomic: false, units: [unit] }, [unit], false);
  }
  const waiters = new Map<string, Task[]>();
  for (const task of tasks) {
    const outside = new Set<string>();
    for (const id of task.nodeIds) {
      for (const edge of incoming.get(id) ?? []) if (!task.inside?.has(edge.from) && !isFinished(edge.from)) outside.add(edge.from);
    }
    task.waitingOn = outside.size;
    for (const from of outside) {
      let list = waiters.get(from);
      if (!list) waiters.set(from, (list = []));
      list.push(task);
    }
  }
  return { nodes, incoming, waiters, tasks, taskOf };
}
