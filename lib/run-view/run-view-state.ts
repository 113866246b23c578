/**
 * What the run view shows, as a pure fold over the run's event stream. The
 * browser replays the log and then live events through it; the same events
 * in the same order always give the same view, which is what makes a reload
 * mid-run end identical to an uninterrupted view.
 */
import type { NodeError, NodeStatus, RunEvent, RunStatus, StatusCounts } from "../run-events/run-events";

/** One attempt of a node on the timeline. */
export interface AttemptSpan {
  attempt: number;
  startedAt: number;
  /** Null while it runs. */
  finishedAt: number | null;
  status: NodeStatus;
  error?: NodeError;
}

export interface OutputChunk {
  stream: "stdout" | "stderr";
  data: string;
}

export interface FileChangeView {
  path: string;
  operation: "create" | "update" | "delete";
  /** Its number in the run's journal, where its diff is read from. */
  changeSeq?: number;
  /** A dry run's diff (a dry run journals nothing). */
  diff?: string;
  dryRun?: boolean;
}

export interface NodeView {
  status: NodeStatus;
  attempt: number;
  batchId?: string;
  reused: boolean;
  spans: AttemptSpan[];
  error?: NodeError;
  result?: unknown;
  durationMs?: number;
  /** When it reached its final status; a skipped node has no span, so the timeline places it here. */
  settledAt?: number;
  pid?: number;
  /** The newest output, at most OUTPUT_TAIL_BYTES per node; the full log is downloadable. */
  output: OutputChunk[];
  outputBytes: number;
  /** Older output was dropped from this in-memory tail. */
  outputTrimmed: boolean;
  /** The runner stopped storing output past its cap. */
  outputTruncated: boolean;
  fileChanges: FileChangeView[];
}

export interface RunViewState {
  status: RunStatus;
  error?: string;
  counts?: StatusCounts;
  startedAt?: number;
  finishedAt?: number;
  nodes: Readonly<Record<string, NodeView>>;
  /** Atomic batches the runner stopped in the middle of, which recovery rolled back from the change log. */
  interruptedBatches: readonly InterruptedBatch[];
  lastSeq: number;
}

export interface InterruptedBatch {
  batchId: string;
  nodeCount: number;
}

/** Bounded so a command that floods output cannot exhaust the browser's memory either. */
export const OUTPUT_TAIL_BYTES = 256 * 1024;

const TERMINAL: ReadonlySet<NodeStatus> = new Set(["succeeded", "failed", "skipped", "cancelled", "interrupted"]);

export function emptyNodeView(): NodeView {
  return {
    status: "pending",
    attempt: 0,
    reused: false,
    spans: [],
    output: [],
    outputBytes: 0,
    outputTrimmed: false,
    outputTruncated: false,
    fileChanges: [],
  };
}

/** What a node carried over from the parent run looks like; a retry's events never mention it. */
export interface ReusedNode {
  nodeId: string;
  status: NodeStatus;
  attempt: number;
  result?: unknown;
}

export function initialRunViewState(nodeIds: readonly string[], reused: readonly ReusedNode[] = []): RunViewState {
  const nodes: Record<string, NodeView> = Object.fromEntries(nodeIds.map((id) => [id, emptyNodeView()]));
  for (const node of reused) {
    nodes[node.nodeId] = { ...emptyNodeView(), status: node.status, attempt: node.attempt, result: node.result, reused: true };
  }
  return { status: "queued", nodes, interruptedBatches: [], lastSeq: 0 };
}

function closeOpenSpan(spans: AttemptSpan[], at: number, status: NodeStatus, error?: NodeError): AttemptSpan[] {
  const last = spans[spans.length - 1];
  if (!last || last.finishedAt !== null) return spans;
  return [...spans.slice(0, -1), { ...last, finishedAt: at, status, ...(error ? { error } : {}) }];
}

function appendOutput(node: NodeView, chunk: OutputChunk, truncated: boolean): NodeView {
  const output = [...node.output, chunk];
  let bytes = node.outputBytes + chunk.data.length;
  let trimmed = node.outputTrimmed;
  while (bytes > OUTPUT_TAIL_BYTES && output.length > 1) {
    bytes -= output.shift()?.data.length ?? 0;
    trimmed = true;
  }
  return { ...node, output, outputBytes: bytes, outputTrimmed: trimmed, outputTruncated: node.outputTruncated || truncated };
}

function applyNodeEvent(node: NodeView, event: RunEvent): NodeView {
  switch (event.type) {
    case "node.status": {
      let spans = node.spans;
      if (event.status === "running") {
        spans = [
          ...closeOpenSpan(spans, event.at, "interrupted"),
          { attempt: event.attempt, startedAt: event.at, finishedAt: null, status: "running" },
        ];
      } else if (TERMINAL.has(event.status)) {
        const open = spans[spans.length - 1]?.finishedAt === null;
        spans = open
          ? closeOpenSpan(spans, event.at, event.status, event.error)
          : event.durationMs !== undefined
            ? // Finished without a `running` event (a member of a merged multi-edit): its duration gives the span.
              [
                ...spans,
                {
                  attempt: event.attempt,
                  startedAt: event.at - event.durationMs,
                  finishedAt: event.at,
                  status: event.status,
                  ...(event.error ? { error: event.error } : {}),
                },
              ]
            : spans;
      }
      return {
        ...node,
        status: event.status,
        attempt: event.attempt,
        spans,
        batchId: event.batchId ?? node.batchId,
        reused: event.reused ?? node.reused,
        error: event.error ?? (event.status === "running" ? undefined : node.error),
        result: event.result ?? node.result,
        durationMs: event.durationMs ?? node.durationMs,
        settledAt: TERMINAL.has(event.status) ? event.at : event.status === "running" ? undefined : node.settledAt,
        pid: event.pid ?? node.pid,
      };
    }
    case "node.retry":
      return { ...node, spans: closeOpenSpan(node.spans, event.at, "failed", event.error), error: event.error };
    case "node.output":
      return appendOutput(node, { stream: event.stream, data: event.data }, event.truncated ?? false);
    case "file.change":
      return {
        ...node,
        fileChanges: [
          ...node.fileChanges,
          { path: event.path, operation: event.operation, changeSeq: event.changeSeq, diff: event.diff, dryRun: event.dryRun },
        ],
      };
    default:
      return node;
  }
}

/**
 * Applies events in order, copying only what changed (one new nodes record
 * per call, one new object per touched node), so a renderer can apply a
 * frame's worth of events at once and compare by identity. Events at or
 * below `lastSeq` are ignored, so a replay overlapping what was seen is harmless.
 */
export function applyRunEvents(state: RunViewState, events: readonly RunEvent[]): RunViewState {
  let next: RunViewState | null = null;
  let nodes: Record<string, NodeView> | null = null;
  for (const event of events) {
    const current: RunViewState = next ?? state;
    if (event.seq <= current.lastSeq) continue;
    next = { ...current, lastSeq: event.seq };
    switch (event.type) {
      case "run.status":
        next.status = event.status;
        if (event.counts) next.counts = event.counts;
        // A resumed run is no longer the one that stopped: its error goes with its status.
        next.error = event.error;
        if (event.status === "running" && next.startedAt === undefined) next.startedAt = event.at;
        if (event.status !== "running" && event.status !== "queued") next.finishedAt = event.at;
        break;
      case "run.progress":
        next.counts = event.counts;
        break;
      case "batch.status":
        if (
          event.status === "rolled-back" &&
          event.interrupted &&
          !next.interruptedBatches.some((batch) => batch.batchId === event.batchId)
        )
          next.interruptedBatches = [...next.interruptedBatches, { batchId: event.batchId, nodeCount: event.nodeIds.length }];
        break;
      case "file.change":
        nodes ??= { ...state.nodes };
        // A merged edit's change belongs to every node whose edits it holds.
        for (const nodeId of event.nodeIds ?? [event.nodeId]) nodes[nodeId] = applyNodeEvent(nodes[nodeId] ?? emptyNodeView(), event);
        break;
      default:
        nodes ??= { ...state.nodes };
        nodes[event.nodeId] = applyNodeEvent(nodes[event.nodeId] ?? emptyNodeView(), event);
    }
  }
  if (!next) return state;
  return nodes ? { ...next, nodes } : next;
}

/** Every file change of the run once, in journal order (a merged edit's change is listed under each of its nodes). */
export function runFileChanges(state: RunViewState): FileChangeView[] {
  const bySeq = new Map<number, FileChangeView>();
  const unjournalled: FileChangeView[] = [];
  for (const node of Object.values(state.nodes)) {
    for (const change of node.fileChanges) {
      if (change.changeSeq === undefined) unjournalled.push(change);
      else bySeq.set(change.changeSeq, change);
    }
  }
  return [...[...bySeq].sort(([a], [b]) => a - b).map(([, change]) => change), ...unjournalled];
}
