/**
 * One run's latency, split into its hops, for bench/cluster.bench.ts. Every
 * time comes from one clock (one host): the submitter's, and the runner's
 * event timestamps (stored with the run). Nothing else listens in: a
 * listener on BullMQ's event stream (to time the job's delivery) woke the
 * benchmark four times per run, on the cluster's side only.
 */
import type { RunEvent } from "../lib/run-events/run-events";
import type { RunStore } from "../lib/runner/run-store";
import type { RunService } from "../lib/server/run-service";
import type { TestCluster } from "../lib/testing/cluster-harness";

/** Milliseconds from submit to each point of a one-command run; NaN where a mode has no such point. */
export interface RunLatency {
  /** `startPlanRun` returned: the run is created (and, in cluster mode, then enqueued). */
  submitted: number;
  /** The runner's `run.status running` event. */
  running: number;
  /** The node's `running` event: its command started (after the run's sandbox started). */
  dispatch: number;
  nodeDone: number;
  /** The run's final `run.status` event. */
  finished: number;
  /** `waitForRun` resolved: the caller knows, and the store holds everything. */
  known: number;
}

export const HOPS: Array<{ label: string; pick: (run: RunLatency) => number }> = [
  { label: "submit: create the run (cluster: then enqueue it)", pick: (run) => run.submitted },
  {
    label: "submit returned → run running (cluster: BullMQ's delivery, the claim and load from PostgreSQL)",
    pick: (run) => run.running - run.submitted,
  },
  { label: "run running → command started (sandbox start)", pick: (run) => run.dispatch - run.running },
  { label: "command (`true`)", pick: (run) => run.nodeDone - run.dispatch },
  { label: "node done → run finished (sandbox stop)", pick: (run) => run.finished - run.nodeDone },
  { label: "run finished → caller knows, all stored", pick: (run) => run.known - run.finished },
  { label: "total: submit → caller knows", pick: (run) => run.known },
];

/** The wall clock in milliseconds, to a fraction of one: the totals are measured here; the stored events' times are whole milliseconds. */
const now = () => performance.timeOrigin + performance.now();

function eventAt(events: RunEvent[], matches: (event: RunEvent) => boolean): number {
  return events.find(matches)?.at ?? Number.NaN;
}

/** Submits one run of `planId` through `runs`, waits as an API caller would, and reads its hops back from the store. */
export async function measureRunLatency(cluster: TestCluster, runs: RunService, planId: string, store: RunStore): Promise<RunLatency> {
  const start = now();
  const { runId } = await runs.startPlanRun(cluster.scope, { planId });
  const submitted = now();
  if (!(await runs.waitForRun(cluster.scope, runId, 120_000))) throw new Error(`run ${runId} did not finish within 2 minutes`);
  const known = now();
  const events = await store.listEvents(runId, 0);
  const statusAt = (status: string) => eventAt(events, (event) => event.type === "run.status" && event.status === status);
  const nodeAt = (status: string) => eventAt(events, (event) => event.type === "node.status" && event.status === status);
  const finished = eventAt(events, (event) => event.type === "run.status" && ["succeeded", "failed", "cancelled"].includes(event.status));
  return {
    submitted: submitted - start,
    running: statusAt("running") - start,
    dispatch: nodeAt("running") - start,
    nodeDone: nodeAt("succeeded") - start,
    finished: finished - start,
    known: known - start,
  };
}
