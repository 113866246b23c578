/**
 * The validator must never throw, whatever it is given: arbitrary values,
 * arbitrary JSON, and valid plans with random parts replaced. Whatever it
 * accepts, the optimizer must handle. The CLI's one-shot validation must
 * agree with the default on every input.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validatePlan } from "./validate-plan";
import { optimizePlan } from "./optimize-plan";
import { ExecutionPlan } from "./execution-plan";
import { PlanProblem } from "./plan-problem";
import { checkRegex } from "./regex-safety";
import { globToRegExp } from "./glob";
import { generatePlan } from "./testing/generate-plan";

function expectWellFormed(input: unknown): void {
  const result = validatePlan(input);
  // The CLI's one-shot parse, without zod's generated parsers, must find exactly the same.
  expect(validatePlan(input, { once: true })).toEqual(result);
  const reported = result.ok ? result.warnings : [...result.problems, ...result.warnings];
  for (const problem of reported) expect(PlanProblem.safeParse(problem).success).toBe(true);
  expect(reported.map((problem) => problem.code)).not.toContain("internal-error");
  if (!result.ok) expect(result.problems.length).toBeGreaterThan(0);
  else expect(ExecutionPlan.safeParse(optimizePlan(result.plan)).success).toBe(true);
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path to a value inside `value`. */
function pathsOf(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const here = [prefix];
  if (Array.isArray(value)) return here.concat(...value.map((item, index) => pathsOf(item, [...prefix, index])));
  if (value !== null && typeof value === "object")
    return here.concat(...Object.entries(value).map(([key, item]) => pathsOf(item, [...prefix, key])));
  return here;
}

function replaceAt(value: Json, path: (string | number)[], replacement: Json | undefined): Json {
  if (path.length === 0) return replacement ?? null;
  const [key, ...rest] = path;
  if (Array.isArray(value) && typeof key === "number") {
    const copy = [...value];
    if (replacement === undefined && rest.length === 0) copy.splice(key, 1);
    else copy[key] = replaceAt(value[key] as Json, rest, replacement);
    return copy;
  }
  if (value !== null && typeof value === "object" && !Array.isArray(value) && typeof key === "string") {
    const copy = { ...value };
    if (replacement === undefined && rest.length === 0) delete copy[key];
    else copy[key] = replaceAt(value[key] as Json, rest, replacement);
    return copy;
  }
  return value;
}

const interestingValues = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom<Json>(
    "",
    "..",
    "/abs",
    "../../etc",
    "C:\\x",
    "a\u0000b",
    "(a+)+",
    "[",
    "**/*",
    "n0",
    "n1",
    "file.copy",
    // Names every object has: a lookup in a plain object finds Object.prototype's members.
    "__proto__",
    "constructor",
    "toString",
    -1,
    1e300,
    "x".repeat(300),
  ),
);

/** A small valid plan with a few parts replaced by odd values or removed. */
const mutatedPlan = fc
  .record({
    seed: fc.nat(),
    size: fc.integer({ min: 1, max: 12 }),
    mutations: fc.array(fc.tuple(fc.nat(), fc.option(interestingValues, { nil: undefined })), { minLength: 1, maxLength: 4 }),
  })
  .map(({ seed, size, mutations }) => {
    let plan = generatePlan({ nodes: size, edges: size * 2, seed, files: 3 }) as unknown as Json;
    for (const [pick, replacement] of mutations) {
      const paths = pathsOf(plan);
      plan = replaceAt(plan, paths[pick % paths.length] as (string | number)[], replacement as Json | undefined);
    }
    return plan;
  });

describe("validatePlan never throws", () => {
  it("on arbitrary values", () => {
    fc.assert(
      fc.property(
        fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true }),
        expectWellFormed,
      ),
      { numRuns: 500 },
    );
  });

  it("on arbitrary JSON", () => {
    fc.assert(fc.property(fc.jsonValue(), expectWellFormed), { numRuns: 500 });
  });

  it("on plan-shaped objects with arbitrary parts", () => {
    const planLike = fc.record(
      { name: fc.oneof(fc.string(), fc.jsonValue()), nodes: fc.array(fc.jsonValue()), edges: fc.array(fc.jsonValue()) },
      { requiredKeys: [] },
    );
    fc.assert(fc.property(planLike, expectWellFormed), { numRuns: 500 });
  });

  it("on mutated valid plans", () => {
    fc.assert(fc.property(mutatedPlan, expectWellFormed), { numRuns: 1_000 });
  });

  it("on self-referencing objects", () => {
    const node: Record<string, unknown> = { id: "a", type: "shell", params: { command: "x" } };
    node["self"] = node;
    const plan: Record<string, unknown> = { name: "loop", nodes: [node] };
    plan["edges"] = [plan];
    expectWellFormed(plan);
  });
});

describe("pattern checks never throw", () => {
  it("checkRegex on arbitrary strings, with and without the u flag", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), fc.constantFrom("", "i", "u"), (pattern, flags) => {
        const result = checkRegex(pattern, { flags });
        if (!result.ok) expect(result.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 2_000 },
    );
  });

  it("checkRegex on regex-like strings", () => {
    const token = fc.constantFrom(
      "(",
      ")",
      "(?:",
      "(?=",
      "(?<n>",
      "[",
      "]",
      "[^",
      "\\",
      "\\d",
      "\\1",
      "\\k<n>",
      "|",
      "*",
      "+",
      "?",
      "{2}",
      "{1,}",
      "{",
      "}",
      ".",
      "a",
      "b",
      "^",
      "$",
    );
    fc.assert(
      fc.property(
        fc.array(token, { maxLength: 30 }).map((parts) => parts.join("")),
        (pattern) => void checkRegex(pattern),
      ),
      { numRuns: 3_000 },
    );
  });

  it("globToRegExp on arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (glob) => void globToRegExp(glob)),
      { numRuns: 1_000 },
    );
  });
});
