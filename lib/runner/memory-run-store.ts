/** An in-memory {@link RunStore} for tests and benchmarks. */
import type { PlanDocument } from "../plan/schema";
import type { RunEvent } from "../run-events/run-events";
import type { NewRun, NodeRunState, PersistBatch, RunStore, StoredFileChange, StoredRun } from "./run-store";

/** A RunStore kept in memory; `planOf` gives the plan document of a plan version id. */
export function createMemoryRunStore(planOf: (planVersionId: string) => PlanDocument): RunStore & { flushes: number } {
  const runs = new Map<string, StoredRun>();
  const events = new Map<string, RunEvent[]>();
  const changes = new Map<string, StoredFileChange[]>();
  const nodeIndexes = new Map<string, Map<string, number>>();
  let nextId = 1;
  const store = {
    flushes: 0,
    async createRun(input: NewRun) {
      const id = input.id ?? `run${nextId++}`;
      runs.set(id, {
        id,
        teamId: input.teamId,
        planId: input.planId,
        planVersionId: input.planVersionId,
        workspaceId: input.workspaceId ?? null,
        startedById: input.startedById,
        parentRunId: input.parentRunId ?? null,
        directory: input.directory,
        status: "queued",
        settings: input.settings,
        dryRun: input.dryRun,
        lastEventSeq: 0,
        error: null,
        plan: planOf(input.planVersionId),
        nodes: input.nodes.map(
          (node): NodeRunState => ({
            startedAt: null,
            finishedAt: null,
            signal: null,
            pid: null,
            attempts: [],
            ...node,
            error: node.error ?? null,
            exitCode: node.exitCode ?? null,
          }),
        ),
      });
      events.set(id, []);
      changes.set(id, []);
      return { id };
    },
    async persist(batch: PersistBatch) {
      store.flushes += 1;
      const run = runs.get(batch.runId);
      if (!run) throw new Error(`Run ${batch.runId} not found`);
      events.get(batch.runId)?.push(...batch.events);
      let indexOf = nodeIndexes.get(batch.runId);
      if (!indexOf) nodeIndexes.set(batch.runId, (indexOf = new Map(run.nodes.map((node, index) => [node.nodeId, index]))));
      for (const node of batch.nodes) {
        // Shallow copies: persisted states must not change when the runner updates its own.
        const copy = { ...node, attempts: [...node.attempts] };
        const index = indexOf.get(node.nodeId);
        if (index === undefined) {
          indexOf.set(node.nodeId, run.nodes.length);
          run.nodes.push(copy);
        } else run.nodes[index] = copy;
      }
      if (batch.run.status) run.status = batch.run.status;
      if (batch.run.error !== undefined) run.error = batch.run.error;
      run.lastEventSeq = Math.max(run.lastEventSeq, batch.lastEventSeq);
      for (const change of batch.fileChanges)
        changes.get(batch.runId)?.push({ ...change, id: `${batch.runId}:${change.seq}`, revertedAt: null });
    },
    async loadRun(runId: string) {
      const run = runs.get(runId);
      return run ? structuredClone(run) : null;
    },
    async findRunIds(statuses: StoredRun["status"][]) {
      return [...runs.values()].filter((run) => statuses.includes(run.status)).map((run) => run.id);
    },
    async listFileChanges(runId: string) {
      return [...(changes.get(runId) ?? [])];
    },
    async markFileChangesReverted(runId: string, ids: string[], at: Date) {
      for (const change of changes.get(runId) ?? []) if (ids.includes(change.id)) change.revertedAt = at;
    },
    async listEvents(runId: string, afterSeq: number) {
      return (events.get(runId) ?? []).filter((event) => event.seq > afterSeq);
    },
  };
  return store satisfies RunStore;
}
