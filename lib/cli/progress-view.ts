/**
 * The terminal view of a run: one block per batch (header, one line per
 * operation with ✓/✗ and its duration, a footer), printed when the batch
 * finishes, and on a terminal a live status line of what is running.
 */
import type { ExecutionPlan } from "../plan/execution-plan";
import type { PlanDocument, PlanNode } from "../plan/schema";
import type { NodeStatus, RunEvent } from "../run-events/run-events";
import type { NodeRunState } from "../runner/run-store";
import type { RunOutcome } from "../runner/scheduler";
import { isTerminalNodeStatus } from "../run-events/status";
import { explainRollbacks, explainSkips, failureTitle, skipSentence } from "../run-view/failure-explanation";
import { describeNode, describeResult, failureDetail } from "./describe-node";

const SYMBOL: Record<NodeStatus, string> = {
  pending: "·",
  queued: "·",
  running: "…",
  succeeded: "✓",
  failed: "✗",
  skipped: "⊘",
  cancelled: "■",
  interrupted: "⚠",
};

/** Singular and plural name of a batch kind's operations. */
const KIND_LABEL: Record<string, [string, string]> = {
  "file-change": ["file change", "file changes"],
  "file-read": ["read", "reads"],
  search: ["search", "searches"],
  shell: ["command", "commands"],
};

function countOf(kind: string, count: number): string {
  const [one, many] = KIND_LABEL[kind] ?? [kind, kind];
  return `${count} ${count === 1 ? one : many}`;
}

/** Formats milliseconds as `12ms`, `3.4s` or `2m05s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s`;
}

interface BatchView {
  id: string;
  kind: string;
  atomic: boolean;
  nodeIds: string[];
  remaining: number;
  startedAt: number | null;
}

/** Renders a run's events to a stream. */
export class ProgressView {
  private readonly batches = new Map<string, BatchView>();
  private readonly batchOf = new Map<string, BatchView>();
  private readonly nodes: Map<string, PlanNode>;
  private readonly edges: { from: string; to: string; when: "success" | "failure" | "always" }[];
  private readonly batchIdOf: Readonly<Record<string, string>>;
  private readonly durations = new Map<string, number>();
  private readonly startedAt = Date.now();
  private statusShown = false;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly diffs: string[] = [];

  constructor(
    plan: PlanDocument,
    executionPlan: ExecutionPlan,
    private readonly states: ReadonlyMap<string, NodeRunState>,
    private readonly out: NodeJS.WriteStream,
  ) {
    this.nodes = new Map(plan.nodes.map((node) => [node.id, node]));
    this.edges = plan.edges.map((edge) => ({ from: edge.from, to: edge.to, when: edge.when }));
    this.batchIdOf = executionPlan.batchIdOf;
    for (const batch of executionPlan.batches) {
      const view: BatchView = {
        id: batch.id,
        kind: batch.kind,
        atomic: batch.atomic,
        nodeIds: batch.nodeIds,
        remaining: 0,
        startedAt: null,
      };
      for (const id of batch.nodeIds) {
        this.batchOf.set(id, view);
        if (!isTerminalNodeStatus(states.get(id)?.status ?? "pending")) view.remaining += 1;
      }
      this.batches.set(batch.id, view);
    }
    if (out.isTTY) this.timer = setInterval(() => this.drawStatus(), 200);
  }

  /** Feeds one event of the run. */
  onEvent(event: RunEvent): void {
    if (event.type === "file.change" && event.dryRun && event.diff) this.diffs.push(event.diff);
    if (event.type !== "node.status") return;
    const batch = this.batchOf.get(event.nodeId);
    if (event.durationMs !== undefined) this.durations.set(event.nodeId, event.durationMs);
    if (!batch) return;
    if (event.status === "running" && batch.startedAt === null) batch.startedAt = event.at;
    if (!isTerminalNodeStatus(event.status) || event.status === "interrupted") return;
    batch.remaining -= 1;
    if (batch.remaining === 0) this.printBatch(batch, event.at);
  }

  /** Stops the status line and prints dry-run diffs. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.clearStatus();
    if (this.diffs.length) this.write(`\nChanges this run would make (dry run):\n${this.diffs.join("\n")}\n`);
  }

  private printBatch(batch: BatchView, finishedAt: number): void {
    const ran = batch.nodeIds.filter((id) => !this.states.get(id)?.reused);
    const lines = [`🔄 Batch ${batch.id} · ${countOf(batch.kind, ran.length)}${batch.atomic ? " (atomic)" : ""}`];
    const label = (id: string) => this.nodes.get(id)?.label ?? id;
    const skips = explainSkips(this.edges, (id) => this.states.get(id)?.status);
    const rollbacks = explainRollbacks(Object.fromEntries(this.states), this.batchIdOf);
    ran.forEach((id, index) => {
      const state = this.states.get(id);
      const node = this.nodes.get(id);
      const branch = index === ran.length - 1 ? "└─" : "├─";
      const pad = index === ran.length - 1 ? "   " : "│  ";
      const status = state?.status ?? "pending";
      const duration = this.durations.get(id);
      const facts = state ? (status === "succeeded" ? describeResult(state) : status) : "";
      lines.push(
        `${branch} ${SYMBOL[status]} ${id}  ${node ? describeNode(node) : ""}${facts ? `  ${facts}` : ""}${duration !== undefined ? `  ${formatDuration(duration)}` : ""}`,
      );
      const skip = skips.get(id);
      if (status === "skipped" && skip) lines.push(`${pad}   ${skipSentence(skip, label)}`);
      if (state && status === "failed") {
        const rolledBackBy = rollbacks.get(id);
        const title = state.error ? failureTitle(state.error) : "Failed";
        lines.push(
          `${pad}   ${title}${state.error?.message ? `: ${state.error.message}` : ""}${rolledBackBy ? ` (because “${label(rolledBackBy)}” failed)` : ""}`,
        );
        const detail = failureDetail(state);
        if (detail) lines.push(`${pad}   ${detail}`);
      }
    });
    lines.push(
      batchFooter(
        batch.kind,
        ran.map((id) => this.states.get(id)?.status ?? "pending"),
        batch.startedAt === null ? "" : ` in ${formatDuration(finishedAt - batch.startedAt)}`,
      ),
    );
    this.clearStatus();
    this.write(lines.join("\n") + "\n\n");
    this.drawStatus();
  }

  private drawStatus(): void {
    if (!this.out.isTTY) return;
    let done = 0;
    const running: string[] = [];
    for (const [id, state] of this.states) {
      if (isTerminalNodeStatus(state.status)) done += 1;
      else if (state.status === "running") running.push(id);
    }
    const shown = running.slice(0, 4).join(", ") + (running.length > 4 ? ` +${running.length - 4}` : "");
    const line = `⏳ ${done}/${this.states.size} done${running.length ? ` · running: ${shown}` : ""} · ${formatDuration(Date.now() - this.startedAt)}`;
    this.out.write(`\r\x1b[2K${line.slice(0, (this.out.columns ?? 100) - 1)}`);
    this.statusShown = true;
  }

  private clearStatus(): void {
    if (this.statusShown) this.out.write("\r\x1b[2K");
    this.statusShown = false;
  }

  private write(text: string): void {
    this.out.write(text);
  }
}

/**
 * A batch's last line: ❌ when any of it failed, ⊘ when none of it ran
 * (all skipped or cancelled), ✅ naming how many were done and how many
 * skipped otherwise — never a green "done" for work that did not happen.
 */
export function batchFooter(kind: string, statuses: readonly NodeStatus[], elapsed: string): string {
  const total = statuses.length;
  const failed = statuses.filter((status) => status === "failed").length;
  const succeeded = statuses.filter((status) => status === "succeeded").length;
  const notRun = total - failed - succeeded;
  if (failed) return `❌ ${failed} of ${countOf(kind, total)} failed${notRun ? `, ${notRun} not run` : ""}${elapsed}`;
  if (succeeded === 0)
    return `⊘ ${countOf(kind, total)} not run (${statuses.every((status) => status === "skipped") ? "skipped" : "skipped or cancelled"})`;
  if (notRun) return `✅ ${succeeded} of ${countOf(kind, total)} done, ${notRun} not run${elapsed}`;
  return `✅ ${countOf(kind, total)} done${elapsed}`;
}

/** The run's last line: every node counted once, reused nodes within the successes. */
export function runSummaryLine(outcome: Pick<RunOutcome, "runId" | "status" | "counts" | "nodes">, durationMs: number): string {
  const { counts } = outcome;
  const reused = [...outcome.nodes.values()].filter((node) => node.reused).length;
  const parts = [
    `${counts.succeeded} succeeded${reused ? ` (${reused} reused from the earlier run)` : ""}`,
    counts.failed && `${counts.failed} failed`,
    counts.skipped && `${counts.skipped} skipped`,
    counts.cancelled && `${counts.cancelled} cancelled`,
    counts.interrupted && `${counts.interrupted} interrupted`,
  ].filter(Boolean);
  const icon = outcome.status === "succeeded" ? "✅" : outcome.status === "cancelled" ? "■" : "❌";
  const hint = outcome.status === "succeeded" ? "" : `\n   retry the failed nodes with: batchboard retry ${outcome.runId}`;
  return `${icon} Run ${outcome.status}: ${parts.join(" · ")} in ${formatDuration(durationMs)} (run ${outcome.runId})${hint}`;
}
