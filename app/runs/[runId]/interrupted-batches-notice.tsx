import type { RunStatus } from "@/lib/run-events/run-events";
import type { InterruptedBatch } from "@/lib/run-view/run-view-state";

/**
 * Said once for the run, since no node failed: the runner (a server or a
 * worker) stopped while an atomic batch was applying its changes, and
 * recovery put its files back from the change log, so the batch stayed all
 * or nothing; resuming applies it again in full.
 */
export function InterruptedBatchesNotice(props: { batches: readonly InterruptedBatch[]; status: RunStatus }) {
  const names = props.batches.map((batch) => `${batch.batchId} (${batch.nodeCount} node${batch.nodeCount === 1 ? "" : "s"})`);
  return (
    <p className="notice notice-warning" role="note" data-testid="interrupted-batches">
      The runner stopped in the middle of atomic batch{names.length === 1 ? "" : "es"} {names.join(", ")}: every file{" "}
      {names.length === 1 ? "it" : "they"} had changed was put back from the change log, so nothing of {names.length === 1 ? "it" : "them"}{" "}
      stayed half applied.{" "}
      {props.status === "interrupted" ? "Resume runs it again in full." : "The run resumed and applied it again in full."}
    </p>
  );
}
