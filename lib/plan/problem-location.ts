/**
 * Where a plan problem is, in the words a person uses: the node or edge by
 * its id and the field below it, never the document's array indexes
 * (`nodes.7.params.command` means nothing to someone looking at a graph).
 */
import type { PlanProblem } from "./plan-problem";

/** The field below a node or edge (`params.command`, `edits #2 find`), or the plan-level path; `""` for the thing itself. */
export function problemField(problem: Pick<PlanProblem, "path">): string {
  const path = problem.path;
  const below = (path[0] === "nodes" || path[0] === "edges") && typeof path[1] === "number" ? path.slice(2) : path;
  return below
    .map((part, index) => (typeof part === "number" ? `#${part + 1}` : index > 0 ? ` ${String(part)}` : String(part)))
    .join("")
    .replace(/^params /, "");
}

/**
 * `node "build" · command`, `edge "a->b" · when`, `plan · settings concurrency`, or `plan`.
 * A node or edge without a usable id is named by its place in the list: `node #3 · type`.
 *
 * @example
 * problemLocation({ path: ["nodes", 7, "params", "command"], nodeId: "build" }); // 'node "build" · command'
 */
export function problemLocation(problem: Pick<PlanProblem, "path" | "nodeId" | "edgeId">): string {
  const field = problemField(problem);
  const owner = ownerOf(problem);
  return field ? `${owner} · ${field}` : owner;
}

function ownerOf({ path, nodeId, edgeId }: Pick<PlanProblem, "path" | "nodeId" | "edgeId">): string {
  if (nodeId) return `node "${nodeId}"`;
  if (edgeId) return `edge "${edgeId}"`;
  const [list, index] = path;
  if (typeof index !== "number") return "plan";
  if (list === "nodes") return `node #${index + 1}`;
  if (list === "edges") return `edge #${index + 1}`;
  return "plan";
}
