/**
 * Batched persistence: events, the node and run state they imply, and file
 * changes are buffered and written in one transaction every few
 * milliseconds (or every N events), never one transaction per event.
 */
import type { FileChangeRecord } from "./journal";
import type { RunEvent } from "../run-events/run-events";
import type { NodeRunState, RunPatch, RunStore } from "./run-store";

export interface EventPersisterOptions {
  flushIntervalMs: number;
  flushMaxEvents: number;
  /** Called when a flush fails; the run goes on and the next flush retries the data. */
  onError?: (error: unknown) => void;
}

/** Projects events onto node/run state and writes them in batches. */
export class EventPersister {
  private events: RunEvent[] = [];
  private fileChanges: FileChangeRecord[] = [];
  private readonly dirty = new Set<string>();
  private run: RunPatch = {};
  private lastSeq = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private flushing: Promise<void> = Promise.resolve();
  /** A size-triggered flush is queued and has not taken the buffer yet. */
  private flushQueued = false;

  constructor(
    private readonly store: RunStore,
    private readonly runId: string,
    /** Current state of every node, updated in place. */
    private readonly nodes: Map<string, NodeRunState>,
    private readonly options: EventPersisterOptions,
  ) {}

  /** Records an event and the state change it describes. */
  add(event: RunEvent): void {
    this.events.push(event);
    this.lastSeq = event.seq;
    this.project(event);
    if (this.events.length >= this.options.flushMaxEvents) {
      if (!this.flushQueued) {
        this.flushQueued = true;
        void this.flush();
      }
    } else this.schedule();
  }

  addFileChanges(records: FileChangeRecord[]): void {
    this.fileChanges.push(...records);
    this.schedule();
  }

  /** Whether everything added so far is stored (a failed flush puts its data back). */
  get settled(): boolean {
    return !this.events.length && !this.fileChanges.length && !this.dirty.size && !Object.keys(this.run).length;
  }

  /** Writes everything buffered; flushes run one after another. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  private schedule(): void {
    if (!this.timer) this.timer = setTimeout(() => void this.flush(), this.options.flushIntervalMs);
  }

  private async write(): Promise<void> {
    this.flushQueued = false;
    if (this.settled) return;
    const events = this.events;
    const fileChanges = this.fileChanges;
    const run = this.run;
    const nodes = [...this.dirty].map((nodeId) => this.nodes.get(nodeId) as NodeRunState);
    this.events = [];
    this.fileChanges = [];
    this.run = {};
    this.dirty.clear();
    try {
      await this.store.persist({ runId: this.runId, events, nodes, run, lastEventSeq: this.lastSeq, fileChanges });
    } catch (error) {
      // Put the data back so the next flush writes it.
      this.events = events.concat(this.events);
      this.fileChanges = fileChanges.concat(this.fileChanges);
      this.run = { ...run, ...this.run };
      for (const node of nodes) this.dirty.add(node.nodeId);
      this.options.onError?.(error);
    }
  }

  private project(event: RunEvent): void {
    switch (event.type) {
      case "run.status":
        this.run.status = event.status;
        if (event.status === "running") {
          this.run.startedAt = new Date(event.at);
          this.run.finishedAt = null;
          this.run.error = null;
        } else if (event.status !== "queued") this.run.finishedAt = new Date(event.at);
        if (event.error !== undefined) this.run.error = event.error;
        return;
      case "node.status": {
        const node = this.nodes.get(event.nodeId);
        if (!node) return;
        const starting = event.status === "running" && (node.status !== "running" || node.attempt !== event.attempt);
        // A node may finish without a `running` event (multi-edit members): derive its start.
        const finishedUnannounced = event.attempt !== node.attempt && event.status !== "running" && event.status !== "pending";
        node.status = event.status;
        node.attempt = event.attempt;
        if (event.batchId !== undefined) node.batchId = event.batchId;
        if (event.pid !== undefined) node.pid = event.pid;
        if (event.reused !== undefined) node.reused = event.reused;
        if (starting) {
          node.startedAt = new Date(event.at);
          node.finishedAt = null;
          node.error = null;
        }
        if (finishedUnannounced) node.startedAt = new Date(event.at - (event.durationMs ?? 0));
        if (event.status !== "running" && event.status !== "queued" && event.status !== "pending") {
          node.finishedAt = new Date(event.at);
          node.error = event.error ?? null;
          node.result = event.result ?? null;
          const shell = shellFields(event.result);
          node.exitCode = shell.exitCode;
          node.signal = shell.signal;
        }
        this.dirty.add(event.nodeId);
        return;
      }
      case "node.retry": {
        const node = this.nodes.get(event.nodeId);
        if (!node) return;
        node.attempts = [...node.attempts, { attempt: event.attempt, error: event.error, at: event.at }];
        this.dirty.add(event.nodeId);
        return;
      }
      case "run.progress":
      case "batch.status":
      case "node.output":
      case "file.change":
        return;
    }
  }
}

function shellFields(result: unknown): { exitCode: number | null; signal: string | null } {
  if (typeof result !== "object" || result === null) return { exitCode: null, signal: null };
  const exitCode = "exitCode" in result && typeof result.exitCode === "number" ? result.exitCode : null;
  const signal = "signal" in result && typeof result.signal === "string" ? result.signal : null;
  return { exitCode, signal };
}
