/**
 * Turns zod's shape issues into plan problems: same shape as the graph rules'
 * problems, located on the node or edge they are in, and worded for a person
 * editing the plan rather than for a developer reading a parser's output.
 */
import type { z } from "zod";
import { edgeIdOf, OPERATION_TYPES } from "./schema";
import type { PlanProblem } from "./plan-problem";
import { isRecord, valueAt } from "./plan-view";

type ZodIssue = z.core.$ZodIssue;
type ProblemPath = PlanProblem["path"];

const TYPE_LIST = OPERATION_TYPES.join(", ");

/**
 * Maps zod issues found while parsing `input` to plan problems.
 *
 * @example
 * const result = PlanDocument.safeParse(input);
 * if (!result.success) problems.push(...problemsFromZodIssues(result.error.issues, input));
 */
export function problemsFromZodIssues(issues: readonly ZodIssue[], input: unknown): PlanProblem[] {
  return issues.map((issue) => problemFromZodIssue(issue, input));
}

function problemFromZodIssue(issue: ZodIssue, input: unknown): PlanProblem {
  const path: ProblemPath = issue.path.map((key) => (typeof key === "number" ? key : String(key)));
  const located = locate(path, input);
  const field = fieldName(path);
  const actual = valueAt(input, path);

  if (issue.code === "invalid_union" && issue.discriminator === "type") {
    if (actual === undefined) {
      return { ...located, path, code: "missing-field", message: `The node has no "type": use one of ${TYPE_LIST}` };
    }
    return {
      ...located,
      path,
      code: "unknown-operation-type",
      message: `Unknown operation type ${JSON.stringify(actual)}: use one of ${TYPE_LIST}`,
    };
  }
  if (issue.code === "invalid_type" && actual === undefined) {
    return { ...located, path, code: "missing-field", message: `Missing ${field} (${issue.expected})` };
  }
  if (issue.code === "invalid_type") {
    return { ...located, path, code: "invalid-shape", message: `${field} must be ${article(issue.expected)}, not ${describe(actual)}` };
  }
  if (issue.code === "invalid_union" && path[path.length - 1] === "readyWhen") {
    return {
      ...located,
      path,
      code: "invalid-shape",
      message: `readyWhen must be {"output": "<regular expression>"} or {"port": <1–65535>}`,
    };
  }
  return { ...located, path, code: "invalid-shape", message: `${field}: ${issue.message}` };
}

/** Fills nodeId/edgeId when the issue sits inside `nodes[i]` or `edges[i]`. */
function locate(path: ProblemPath, input: unknown): Pick<PlanProblem, "nodeId" | "edgeId" | "severity"> {
  const [collection, index] = path;
  if (typeof index !== "number") return { severity: "error" };
  const item = valueAt(input, [collection ?? "", index]);
  if (!isRecord(item)) return { severity: "error" };
  if (collection === "nodes" && typeof item["id"] === "string" && item["id"] !== "") {
    return { nodeId: item["id"], severity: "error" };
  }
  if (collection === "edges") {
    const { id, from, to } = item;
    if (typeof id === "string" && id !== "") return { edgeId: id, severity: "error" };
    if (typeof from === "string" && typeof to === "string") return { edgeId: edgeIdOf({ from, to }), severity: "error" };
  }
  return { severity: "error" };
}

/** `nodes[3].params.path` reads better than a JSON array in a message. */
function fieldName(path: ProblemPath): string {
  if (path.length === 0) return "The plan";
  let name = "";
  for (const key of path) name += typeof key === "number" ? `[${key}]` : name === "" ? key : `.${key}`;
  return `"${name}"`;
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return article(typeof value);
}
