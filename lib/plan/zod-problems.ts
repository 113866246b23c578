/**
 * Turns zod's shape issues into plan problems: same shape as the graph rules'
 * problems, located on the node or edge they are in, and worded for a person
 * editing the plan rather than for a developer reading a parser's output.
 */
import type * as z from "zod";
import { edgeIdOf, OPERATION_TYPES } from "./schema";
import { unknownFieldMessage } from "./unknown-fields";
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
  return issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") return unknownFieldProblems(issue, input, issue.keys);
    if (issue.code === "invalid_union" && issue.path[issue.path.length - 1] === "readyWhen") {
      // A union reports "no branch matched"; an unknown key inside it deserves its own name.
      const readyWhen = valueAt(
        input,
        issue.path.map((key) => (typeof key === "number" ? key : String(key))),
      );
      const unknown = isRecord(readyWhen) ? Object.keys(readyWhen).filter((key) => key !== "output" && key !== "port") : [];
      if (unknown.length > 0) return unknownFieldProblems(issue, input, unknown);
    }
    return [problemFromZodIssue(issue, input)];
  });
}

/** One problem per unknown key, each naming the key and what was probably meant. */
function unknownFieldProblems(issue: ZodIssue, input: unknown, keys: readonly string[]): PlanProblem[] {
  const objectPath: ProblemPath = issue.path.map((key) => (typeof key === "number" ? key : String(key)));
  const located = locate(objectPath, input);
  return keys.map((key) => ({
    ...located,
    path: [...objectPath, key],
    code: "unknown-field" as const,
    message: unknownFieldMessage(objectPath, key, input),
  }));
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
      message: `readyWhen must be exactly one of {"output": "<regular expression>"} or {"port": <1–65535>}, with no other keys`,
    };
  }
  if (issue.code === "too_small" && path.length === 1 && path[0] === "nodes") {
    return { ...located, path, code: "empty-plan", message: "The plan has no nodes: add at least one operation" };
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

/**
 * The field as its author writes it, relative to the node or edge the problem
 * is filed under (`"params.path"`, not `nodes[3].params.path`): the node is
 * named beside the message, and the machine path is in `path`.
 */
function fieldName(path: ProblemPath): string {
  const relative = (path[0] === "nodes" || path[0] === "edges") && typeof path[1] === "number" ? path.slice(2) : path;
  if (relative.length === 0) return path.length === 0 ? "The plan" : path[0] === "edges" ? "The edge" : "The node";
  let name = "";
  for (const key of relative) name += typeof key === "number" ? `[${key}]` : name === "" ? key : `.${key}`;
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
