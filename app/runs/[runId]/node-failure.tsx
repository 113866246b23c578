import { failureTitle, skipSentence, type SkipCause } from "@/lib/run-view/failure-explanation";
import type { NodeView } from "@/lib/run-view/run-view-state";

/**
 * Why the node did not do its work: a failure's human title and message, a
 * skipped node's cause, a rolled-back node's failing batch member (each
 * cause a link that selects it), and earlier failed attempts.
 */
export function NodeFailure(props: {
  view: NodeView;
  skip?: SkipCause;
  rolledBackBy?: string;
  attemptsBefore: number;
  labelOf(nodeId: string): string;
  onSelectNode(nodeId: string): void;
}) {
  const { view, skip } = props;
  const failedAttempts = view.spans.filter((span) => span.error);
  const causeLink = (nodeId: string) => (
    <button type="button" className="link-button" onClick={() => props.onSelectNode(nodeId)} data-testid="cause-link">
      {props.labelOf(nodeId)}
    </button>
  );
  return (
    <>
      {view.status === "skipped" && skip && (
        <div className="node-cause" role="note" data-testid="skip-cause">
          <p>{skipSentence(skip, props.labelOf)}.</p>
          <p>
            Show the cause: {causeLink(skip.causeId)}
            {skip.rootId !== skip.causeId && <> · the failure at the root: {causeLink(skip.rootId)}</>}
          </p>
        </div>
      )}
      {view.error && (
        <div className="node-error" role="alert" data-testid="node-error">
          <strong data-testid="node-error-title">{failureTitle(view.error)}</strong>
          <div>{view.error.message}</div>
          {view.error.editIndex !== undefined && (
            <div className="muted">Edit #{view.error.editIndex + 1} did not apply; the file was left untouched.</div>
          )}
          {props.rolledBackBy && <div>Rolled back because {causeLink(props.rolledBackBy)} failed in the same atomic batch.</div>}
          {view.error.retryable === false && <div className="muted">Retrying will not help until the plan or the files change.</div>}
        </div>
      )}
      {failedAttempts.length > 0 && (
        <details className="node-attempts" open={failedAttempts.length > 1}>
          <summary>
            {failedAttempts.length} failed attempt{failedAttempts.length === 1 ? "" : "s"} in this run
          </summary>
          <ol>
            {failedAttempts.map((span) => (
              <li key={span.attempt} value={span.attempt + props.attemptsBefore}>
                {span.error ? `${failureTitle(span.error)}: ${span.error.message}` : "failed"}
              </li>
            ))}
          </ol>
        </details>
      )}
    </>
  );
}
