/** One-line descriptions of nodes and results for the terminal. */
import { summaryText } from "../plan/operation-summary";
import type { PlanNode } from "../plan/schema";
import type { NodeRunState } from "../runner/run-store";

function clip(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/** What a node does, e.g. `file.write src/a.ts` or `shell npm test`: the editor's node summary, after the type. */
export function describeNode(node: PlanNode): string {
  return `${node.type} ${summaryText(node.type, node.params)}`;
}

/** Short facts about a finished node's result (matches found, bytes written…). */
export function describeResult(state: NodeRunState): string {
  const result = state.result;
  if (typeof result !== "object" || result === null) return "";
  if ("matches" in result && Array.isArray(result.matches))
    return `${result.matches.length} match${result.matches.length === 1 ? "" : "es"}`;
  if ("files" in result && Array.isArray(result.files)) return `${result.files.length} file${result.files.length === 1 ? "" : "s"}`;
  if ("replacements" in result && typeof result.replacements === "number") return `${result.replacements} replaced`;
  if ("outcome" in result && typeof result.outcome === "string") return result.outcome;
  if ("dryRun" in result && result.dryRun === true) return "not run (dry run)";
  return "";
}

/** The last non-empty line of a failed command's stderr (or stdout). */
export function failureDetail(state: NodeRunState): string {
  const result = state.result;
  if (typeof result === "object" && result !== null && "stderr" in result) {
    const streams = result as { stderr?: { tail?: string }; stdout?: { tail?: string } };
    const tail = (streams.stderr?.tail || streams.stdout?.tail || "").trimEnd().split("\n").pop() ?? "";
    if (tail) return clip(tail, 120);
  }
  return "";
}
