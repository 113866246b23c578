/**
 * The one entry point for checking a plan: the editor, the server, the CLI
 * and the runner all call `validatePlan`, so each rule is written once.
 */
import { PlanDocument } from "./schema";
import type { PlanProblem } from "./plan-problem";
import { DEFAULT_PLAN_LIMITS, type PlanLimits } from "./plan-limits";
import { isRecord, viewEdges, viewNodes } from "./plan-view";
import { problemsFromZodIssues } from "./zod-problems";
import { checkGraph } from "./graph-rules";
import { checkNode } from "./node-rules";
import { fastParserOf, UNSURE } from "./fast-parse";
import { approximateJsonSize, MAX_ESTIMATE_PER_JSON_CHARACTER } from "./plan-size";

/** The outcome of {@link validatePlan}: a parsed plan (defaults filled in) or every problem found. */
export type PlanValidation =
  | { ok: true; plan: PlanDocument; warnings: PlanProblem[] }
  | { ok: false; problems: PlanProblem[]; warnings: PlanProblem[] };

/** Options for {@link validatePlan}. */
export interface ValidatePlanOptions {
  /** Overrides for {@link DEFAULT_PLAN_LIMITS}. */
  limits?: Partial<PlanLimits>;
  /**
   * The length of the JSON text `input` was parsed from, when the caller has
   * it: a text too short to reach the size limit spares the walk that
   * estimates the size (for 10,000 nodes, a tenth of the CLI's `validate`).
   */
  jsonLength?: number;
  /**
   * This process validates once and exits (the CLI): zod's generated fast
   * parsers are then left out. Compiled anew in every process (V8's code
   * cache cannot hold them), they cost one parse more than they save: 6 ms
   * of `validate`'s one node, 28 ms of its 10,000.
   */
  once?: boolean;
}

/**
 * Checks shape and graph rules and reports every problem at once. Never
 * throws, whatever `input` is; problems carry `nodeId`/`edgeId` when they sit
 * in a node or edge.
 *
 * @example
 * const result = validatePlan(JSON.parse(text));
 * if (!result.ok) for (const p of result.problems) console.log(p.nodeId, p.message);
 * else run(result.plan);
 */
export function validatePlan(input: unknown, options: ValidatePlanOptions = {}): PlanValidation {
  try {
    return validate(input, { ...DEFAULT_PLAN_LIMITS, ...options.limits }, options);
  } catch (error) {
    // A bug here must not take the editor or the server down with it.
    const detail = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      problems: [{ path: [], code: "internal-error", message: `The validator failed unexpectedly: ${detail}`, severity: "error" }],
      warnings: [],
    };
  }
}

function validate(input: unknown, limits: PlanLimits, { jsonLength, once }: ValidatePlanOptions): PlanValidation {
  if (!isRecord(input)) {
    const problem: PlanProblem = {
      path: [],
      code: "invalid-input",
      message: `A plan must be a JSON object with "name" and "nodes", not ${input === null ? "null" : Array.isArray(input) ? "an array" : typeof input}`,
      severity: "error",
    };
    return { ok: false, problems: [problem], warnings: [] };
  }

  // Limits first: a plan that is too large is not worth parsing further.
  const limitProblems = checkLimits(input, limits, jsonLength);
  if (limitProblems.length > 0) return { ok: false, problems: limitProblems, warnings: [] };

  const found: PlanProblem[] = [];
  const parsed = parsePlan(input, once);
  if (!parsed.success) found.push(...problemsFromZodIssues(parsed.error.issues, input));

  const nodes = viewNodes(input);
  checkGraph(nodes, viewEdges(input), found);
  for (const node of nodes) checkNode(node, limits, found);

  const problems = found.filter((problem) => problem.severity === "error");
  const warnings = found.filter((problem) => problem.severity === "warning");
  if (problems.length > 0 || !parsed.success) return { ok: false, problems, warnings };
  return { ok: true, plan: parsed.data, warnings };
}

/** zod's parse of the plan, through the fast path when it is sure (fast-parse.ts), else through zod for its issues. */
function parsePlan(input: unknown, once: boolean | undefined) {
  const fast = fastParserOf(PlanDocument)(input);
  if (fast !== UNSURE) return { success: true as const, data: fast as PlanDocument };
  return PlanDocument.safeParse(input, { jitless: once });
}

function checkLimits(input: Record<string, unknown>, limits: PlanLimits, jsonLength: number | undefined): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const { nodes, edges } = input;
  if (Array.isArray(nodes) && nodes.length > limits.maxNodes) {
    problems.push({
      path: ["nodes"],
      code: "too-many-nodes",
      message: `The plan has ${nodes.length} nodes; the limit is ${limits.maxNodes}. Split it into several plans`,
      severity: "error",
    });
  }
  if (Array.isArray(edges) && edges.length > limits.maxEdges) {
    problems.push({
      path: ["edges"],
      code: "too-many-edges",
      message: `The plan has ${edges.length} edges; the limit is ${limits.maxEdges}. Split it into several plans`,
      severity: "error",
    });
  }
  if (problems.length > 0 || (jsonLength !== undefined && jsonLength * MAX_ESTIMATE_PER_JSON_CHARACTER <= limits.maxPlanSize))
    return problems;
  const size = approximateJsonSize(input, limits.maxPlanSize);
  if (size > limits.maxPlanSize) {
    problems.push({
      path: [],
      code: "plan-too-large",
      message: `The plan is larger than ${limits.maxPlanSize} characters as JSON. Move large file contents into files the plan copies or generates`,
      severity: "error",
    });
  }
  return problems;
}
