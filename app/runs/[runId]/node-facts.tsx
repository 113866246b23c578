import Link from "next/link";
import * as z from "zod";
import type { NodeView } from "@/lib/run-view/run-view-state";
import { STATUS_COLORS } from "./status-colors";

const ProcessResult = z.object({
  exitCode: z.number().nullable().optional(),
  signal: z.string().nullable().optional(),
  durationMs: z.number().optional(),
});

/** Status, attempt (numbered across the retry lineage), duration, exit and PID of one node. */
export function NodeFacts(props: { view: NodeView; attemptsBefore: number; reusedFromRunId?: string; now: number }) {
  const { view } = props;
  const processResult = ProcessResult.safeParse(view.result);
  const lastSpan = view.spans[view.spans.length - 1];
  const duration = view.durationMs ?? (lastSpan ? (lastSpan.finishedAt ?? props.now) - lastSpan.startedAt : undefined);
  const colors = STATUS_COLORS[view.status];
  const attempt = view.reused || view.attempt === 0 ? view.attempt : view.attempt + props.attemptsBefore;
  return (
    <dl className="node-facts">
      <dt>Status</dt>
      <dd style={{ color: colors.text }} data-testid="node-status">
        {colors.glyph} {view.status}
        {view.reused && (
          <>
            {" "}
            (reused from {props.reusedFromRunId ? <Link href={`/runs/${props.reusedFromRunId}`}>the earlier run</Link> : "the earlier run"})
          </>
        )}
      </dd>
      <dt>Attempt</dt>
      <dd data-testid="node-attempt">
        {attempt || "—"}
        {!view.reused && props.attemptsBefore > 0 && view.attempt > 0 && (
          <span className="muted"> ({props.attemptsBefore} in earlier runs of this lineage)</span>
        )}
      </dd>
      <dt>Duration</dt>
      <dd>{duration === undefined ? "—" : `${(duration / 1000).toFixed(2)} s`}</dd>
      {processResult.success && (processResult.data.exitCode !== undefined || processResult.data.signal) && (
        <>
          <dt>Exit</dt>
          <dd data-testid="node-exit">
            {processResult.data.signal ? `signal ${processResult.data.signal}` : `code ${processResult.data.exitCode ?? "—"}`}
          </dd>
        </>
      )}
      {view.pid !== undefined && (
        <>
          <dt>PID</dt>
          <dd>{view.pid}</dd>
        </>
      )}
    </dl>
  );
}
