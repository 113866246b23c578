/**
 * Builds the {@link RunReport} of a run from what the store keeps: node
 * states, the file-change journal (diffs computed from its bytes) and, for a
 * dry run, the diffs its `file.change` events carry.
 */
import type { PlanDocument, PlanNode } from "../plan/schema";
import { unifiedDiff } from "./diff";
import { edgeHolds } from "../run-events/node-decision";
import type { FileChangeEvent, NodeStatus } from "../run-events/run-events";
import type { ReportFileChange, ReportNode, RunReport } from "./run-report";
import { pendingNodeState } from "./run-recorder";
import type { NodeRunState, RunStore, StoredFileChange, StoredRun } from "./run-store";
import { countStatuses, isTerminalRunStatus } from "../run-events/status";

/** Options of {@link buildRunReport}. */
export interface RunReportOptions {
  /** Diffs longer than this are linked instead of inlined. */
  diffLimitChars?: number;
  /** Characters of each output stream's tail shown per node. */
  outputTailChars?: number;
}

export const DEFAULT_REPORT_DIFF_LIMIT = 8 * 1024;
const DEFAULT_OUTPUT_TAIL_CHARS = 4 * 1024;

/** What a report is made of. */
export interface RunReportInput {
  run: StoredRun;
  journal: readonly StoredFileChange[];
  /** A dry run's change events (they carry the diff; nothing was journalled). */
  dryRunChanges: readonly FileChangeEvent[];
}

const changeUrl = (runId: string, seq: number) => `/api/v1/runs/${runId}/changes/${seq}`;

/** The run's report; pure. */
export function buildRunReport(input: RunReportInput, options: RunReportOptions = {}): RunReport {
  const { run } = input;
  const diffLimit = options.diffLimitChars ?? DEFAULT_REPORT_DIFF_LIMIT;
  const tailChars = options.outputTailChars ?? DEFAULT_OUTPUT_TAIL_CHARS;
  const states = new Map(run.nodes.map((node) => [node.nodeId, node]));
  const statusOf = (id: string): NodeStatus => states.get(id)?.status ?? "pending";
  const changesOf = collectChanges(input, diffLimit);
  const rollbacks = findRollbacks(run.nodes);
  const rolledBackBy = new Map(rollbacks.flatMap((rollback) => rollback.nodeIds.map((id) => [id, rollback.causedBy] as const)));

  const nodes = run.plan.nodes.map((node): ReportNode => {
    const state = states.get(node.id) ?? pendingNodeState(node.id, null);
    return {
      id: node.id,
      type: node.type,
      ...(node.label ? { label: node.label } : {}),
      status: state.status,
      attempt: state.attempt,
      reused: state.reused,
      batchId: state.batchId,
      durationMs: state.startedAt && state.finishedAt ? state.finishedAt.getTime() - state.startedAt.getTime() : null,
      exitCode: state.exitCode,
      signal: state.signal,
      error: state.error,
      ...(state.status === "skipped" ? { skipped: skipReason(run.plan, node, statusOf) } : {}),
      ...(rolledBackBy.has(node.id) ? { rolledBackBy: rolledBackBy.get(node.id) } : {}),
      ...outputOf(state.result, tailChars),
      changes: changesOf.get(node.id) ?? [],
    };
  });
  const retryIds = run.nodes.filter((node) => node.status !== "succeeded").map((node) => node.nodeId);
  const finished = isTerminalRunStatus(run.status);
  const started = run.nodes.filter((node) => !node.reused && node.startedAt).map((node) => (node.startedAt as Date).getTime());
  const ended = run.nodes.filter((node) => !node.reused && node.finishedAt).map((node) => (node.finishedAt as Date).getTime());
  return {
    runId: run.id,
    planName: run.plan.name,
    status: run.status,
    finished,
    dryRun: run.dryRun,
    parentRunId: run.parentRunId,
    error: run.error,
    durationMs: started.length && ended.length ? Math.max(...ended) - Math.min(...started) : null,
    counts: countStatuses(run.nodes.map((node) => node.status)),
    nodes,
    rollbacks,
    retry: {
      nodeIds: finished ? retryIds : [],
      ...(finished && retryIds.length ? { hint: `batchboard retry ${run.id} [--plan fixed.json], or the retry_run tool` } : {}),
    },
    diffLimitChars: diffLimit,
  };
}

/**
 * Why a skipped node did not run: the first incoming edge whose condition
 * did not hold, else the operation skipped itself (a write with `ifExists: skip`).
 */
function skipReason(plan: PlanDocument, node: PlanNode, statusOf: (id: string) => NodeStatus): string {
  for (const edge of plan.edges) {
    if (edge.to !== node.id) continue;
    const status = statusOf(edge.from);
    if (edgeHolds(edge.when, status)) continue;
    const what = status === "skipped" ? "was skipped" : status;
    return edge.when === "failure" ? `"${edge.from}" ${what} (runs only when it fails)` : `"${edge.from}" ${what}`;
  }
  return node.type === "file.write" ? "the file existed (ifExists: skip)" : "skipped by the operation";
}

/** Atomic batches that rolled back: the nodes undone and the failures that caused it. */
function findRollbacks(nodes: readonly NodeRunState[]): RunReport["rollbacks"] {
  const byBatch = new Map<string, { causedBy: string[]; nodeIds: string[] }>();
  for (const node of nodes)
    if (node.error?.code === "batch-rolled-back" && node.batchId) byBatch.set(node.batchId, { causedBy: [], nodeIds: [] });
  for (const node of nodes) {
    const entry = node.batchId ? byBatch.get(node.batchId) : undefined;
    if (!entry || node.status !== "failed") continue;
    if (node.error?.code === "batch-rolled-back") entry.nodeIds.push(node.nodeId);
    else entry.causedBy.push(node.nodeId);
  }
  return [...byBatch].map(([batchId, entry]) => ({ batchId, ...entry }));
}

function outputOf(result: unknown, tailChars: number): Pick<ReportNode, "output" | "result"> {
  if (!isShellResult(result)) return { result: result ?? null };
  const { stdout, stderr, ...rest } = result;
  const tail = (text: string) => (text.length > tailChars ? text.slice(-tailChars) : text);
  const cut = (stream: CapturedStream) =>
    stream.truncated || stream.tail.length > tailChars || Buffer.byteLength(stream.tail) < stream.bytes;
  return { output: { stdout: tail(stdout.tail), stderr: tail(stderr.tail), truncated: cut(stdout) || cut(stderr) }, result: rest };
}

interface CapturedStream {
  tail: string;
  bytes: number;
  truncated: boolean;
}

function isShellResult(result: unknown): result is { stdout: CapturedStream; stderr: CapturedStream } & Record<string, unknown> {
  const isStream = (value: unknown) => typeof value === "object" && value !== null && typeof (value as CapturedStream).tail === "string";
  return (
    typeof result === "object" &&
    result !== null &&
    isStream((result as Record<string, unknown>).stdout) &&
    isStream((result as Record<string, unknown>).stderr)
  );
}

function collectChanges(input: RunReportInput, diffLimit: number): Map<string, ReportFileChange[]> {
  const byNode = new Map<string, ReportFileChange[]>();
  const add = (nodeIds: readonly string[], change: ReportFileChange) => {
    for (const id of nodeIds) byNode.set(id, [...(byNode.get(id) ?? []), change]);
  };
  const inline = (diff: string, link?: string): Pick<ReportFileChange, "diff" | "diffChars" | "diffUrl"> =>
    diff.length <= diffLimit || !link
      ? { diff: diff.length <= diffLimit ? diff : diff.slice(0, diffLimit), diffChars: diff.length }
      : { diffChars: diff.length, diffUrl: link };
  for (const change of input.journal) {
    const diff = unifiedDiff(change.path, change.before, change.after);
    add(change.nodeIds ?? [change.nodeId], {
      path: change.path,
      operation: change.operation,
      changeSeq: change.seq,
      ...inline(diff, changeUrl(input.run.id, change.seq)),
      revertedAt: change.revertedAt?.toISOString() ?? null,
    });
  }
  for (const event of input.dryRunChanges) {
    add(event.nodeIds ?? [event.nodeId], { path: event.path, operation: event.operation, ...inline(event.diff ?? "") });
  }
  return byNode;
}

/** Loads a run and builds its report; null when the store has no such run. */
export async function loadRunReport(store: RunStore, runId: string, options: RunReportOptions = {}): Promise<RunReport | null> {
  const run = await store.loadRun(runId);
  if (!run) return null;
  const journal = run.dryRun ? [] : await store.listFileChanges(runId);
  const dryRunChanges = run.dryRun
    ? (await store.listEvents(runId, 0)).filter((event): event is FileChangeEvent => event.type === "file.change")
    : [];
  return buildRunReport({ run, journal, dryRunChanges }, options);
}
