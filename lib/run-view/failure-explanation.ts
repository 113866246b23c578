/**
 * Why a node did not do its work, in words a person reads: a human title for
 * each failure code, and for a skipped node the dependency that made it skip
 * and the failed node at the root of that chain. Shared by the run view and
 * the CLI, so both explain a failure the same way.
 */
import { edgeHolds, type IncomingEdge } from "../run-events/node-decision";
import type { NodeError, NodeStatus } from "../run-events/run-events";

type EdgeCondition = IncomingEdge["when"];

/** What each stable failure code means; unknown codes fall back to the code itself. */
const FAILURE_TITLES: Readonly<Record<string, string>> = {
  "exit-code": "The command exited with a non-zero code",
  signal: "The command was killed by a signal",
  timeout: "Timed out",
  cancelled: "Cancelled",
  interrupted: "Interrupted: the server stopped while it ran",
  "spawn-failed": "The command could not be started",
  "exited-before-ready": "The background command exited before it was ready",
  "cwd-not-found": "The working directory does not exist",
  "edit-not-found": "An edit's text was not found in the file",
  "edit-ambiguous": "An edit's text matches more than once",
  "file-exists": "The file already exists",
  "file-not-found": "The file does not exist",
  "path-escape": "The path leads outside the workspace",
  "invalid-glob": "The glob is not valid",
  "invalid-regex": "The regular expression is not valid",
  "too-many-files": "Too many files matched",
  "batch-rolled-back": "Rolled back with its atomic batch",
  "runner-error": "The runner failed",
  "not-found": "Not found",
  ENOENT: "A file or directory does not exist",
  EACCES: "Permission denied",
  EISDIR: "Expected a file, found a directory",
  ENOTDIR: "Expected a directory, found a file",
};

/**
 * A human title for a failure code.
 *
 * @example
 * failureTitle({ code: "exit-code", message: "Exited with code 3" }); // "The command exited with a non-zero code"
 */
export function failureTitle(error: Pick<NodeError, "code">): string {
  return FAILURE_TITLES[error.code] ?? `Failed (${error.code})`;
}

/** The plan's dependency edges, as the explanation needs them. */
export interface ExplainedEdge {
  from: string;
  to: string;
  when: EdgeCondition;
}

/** Why a skipped node was skipped. */
export interface SkipCause {
  /** The dependency whose outcome did not meet the edge's condition. */
  causeId: string;
  causeStatus: NodeStatus;
  when: EdgeCondition;
  /** The node that did not succeed at the start of the chain (failed, cancelled or interrupted); the cause itself unless that was skipped too. */
  rootId: string;
  rootStatus: NodeStatus;
  /** Node ids from the skipped node to its root, both included. */
  chain: string[];
}

/** What the edge's source had to do for the node to run. */
const CONDITION_WORDS: Record<EdgeCondition, string> = {
  success: "succeeds",
  failure: "fails",
  always: "finishes",
};

/**
 * Explains every skipped node: the first incoming edge whose condition did
 * not hold names the cause, and skipped causes are followed to the root.
 */
export function explainSkips(
  edges: readonly ExplainedEdge[],
  statusOf: (nodeId: string) => NodeStatus | undefined,
): Map<string, SkipCause> {
  const incoming = new Map<string, ExplainedEdge[]>();
  for (const edge of edges) incoming.set(edge.to, [...(incoming.get(edge.to) ?? []), edge]);
  const direct = new Map<string, ExplainedEdge>();
  for (const [nodeId, list] of incoming) {
    if (statusOf(nodeId) !== "skipped") continue;
    const blocking = list.filter((edge) => {
      const status = statusOf(edge.from);
      return status !== undefined && !edgeHolds(edge.when, status);
    });
    // Prefer a dependency that itself failed: it is the more direct explanation.
    const cause = blocking.find((edge) => statusOf(edge.from) !== "skipped") ?? blocking[0];
    if (cause) direct.set(nodeId, cause);
  }
  const explained = new Map<string, SkipCause>();
  for (const [nodeId, edge] of direct) {
    const chain = [nodeId];
    let current = edge;
    const seen = new Set(chain);
    while (statusOf(current.from) === "skipped" && direct.has(current.from) && !seen.has(current.from)) {
      chain.push(current.from);
      seen.add(current.from);
      current = direct.get(current.from) as ExplainedEdge;
    }
    chain.push(current.from);
    explained.set(nodeId, {
      causeId: edge.from,
      causeStatus: statusOf(edge.from) ?? "pending",
      when: edge.when,
      rootId: current.from,
      rootStatus: statusOf(current.from) ?? "pending",
      chain,
    });
  }
  return explained;
}

/**
 * One sentence, e.g. "Skipped because “check readiness” failed", or with a
 * `failure` edge "Skipped because “check” succeeded (it runs only if that one
 * fails)"; a longer chain names its root too.
 */
export function skipSentence(cause: SkipCause, labelOf: (nodeId: string) => string): string {
  const what = `“${labelOf(cause.causeId)}” ${cause.causeStatus === "skipped" ? "was skipped" : cause.causeStatus}`;
  const condition = cause.when === "success" ? "" : ` (it runs only if that one ${CONDITION_WORDS[cause.when]})`;
  const root = cause.rootId !== cause.causeId ? `, because “${labelOf(cause.rootId)}” ${cause.rootStatus}` : "";
  return `Skipped because ${what}${root}${condition}`;
}

/** A node's error and batch, as the rollback explanation needs them. */
export interface RolledBackCandidate {
  status: NodeStatus;
  batchId?: string | null;
  error?: Pick<NodeError, "code"> | null;
}

/**
 * For every node rolled back with its atomic batch, the member of that batch
 * whose own failure rolled it back.
 */
export function explainRollbacks(
  nodes: Readonly<Record<string, RolledBackCandidate>>,
  batchOf: Readonly<Record<string, string>>,
): Map<string, string> {
  const failedIn = new Map<string, string>();
  for (const [nodeId, node] of Object.entries(nodes)) {
    const batch = node.batchId ?? batchOf[nodeId];
    if (batch && node.status === "failed" && node.error && node.error.code !== "batch-rolled-back" && !failedIn.has(batch))
      failedIn.set(batch, nodeId);
  }
  const causes = new Map<string, string>();
  for (const [nodeId, node] of Object.entries(nodes)) {
    if (node.error?.code !== "batch-rolled-back") continue;
    const cause = failedIn.get(node.batchId ?? batchOf[nodeId] ?? "");
    if (cause) causes.set(nodeId, cause);
  }
  return causes;
}
