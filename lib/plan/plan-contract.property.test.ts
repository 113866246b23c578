/**
 * The published JSON Schema and `validatePlan` are one contract: Ajv (2020,
 * strict) on public/plan.schema.json and the validator must agree on the shape
 * of thousands of generated documents. The validator may reject more, but only
 * by a rule JSON Schema cannot state (cycles, duplicate ids, a ".." deep in a
 * path…). And an unknown key, wherever it sits, is always an error naming it.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validatePlan } from "./validate-plan";
import type { ProblemCode } from "./plan-problem";
import { generatePlan } from "./testing/generate-plan";
import { allowedKeysAt } from "./unknown-fields";

const schema = JSON.parse(readFileSync(fileURLToPath(new URL("../../public/plan.schema.json", import.meta.url)), "utf8")) as Record<
  string,
  unknown
>;
const ajv = new Ajv2020({ strict: true, discriminator: true, allErrors: true });
const schemaAccepts = ajv.compile(schema);

/** Rules beyond shape: the validator alone reports these. */
const GRAPH_AND_NODE_RULES = new Set<ProblemCode>([
  "duplicate-node-id",
  "duplicate-edge-id",
  "duplicate-edge",
  "missing-node",
  "self-loop",
  "cycle",
  "empty-path",
  "absolute-path",
  "path-escapes-workspace",
  "invalid-path-character",
  "invalid-glob",
  "invalid-regex",
  "catastrophic-regex",
  "pattern-too-long",
  "content-too-large",
  "invalid-content",
  "edit-changes-nothing",
]);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

function pathsOf(value: Json, prefix: Path = []): Path[] {
  const here = [prefix];
  if (Array.isArray(value)) return here.concat(...value.map((item, index) => pathsOf(item, [...prefix, index])));
  if (value !== null && typeof value === "object")
    return here.concat(...Object.entries(value).map(([key, item]) => pathsOf(item, [...prefix, key])));
  return here;
}

function valueAtPath(value: Json, path: Path): Json | undefined {
  let current: Json | undefined = value;
  for (const key of path)
    current = current !== null && typeof current === "object" ? (current as Record<string, Json>)[key as string] : undefined;
  return current;
}

/** A copy of `value` with `path` replaced (or removed, for undefined), or with `key` added to the object at `path`. */
function edit(value: Json, path: Path, change: { replace: Json | undefined } | { add: string; with: Json }): Json {
  if (path.length === 0) {
    if ("add" in change) {
      if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
      const copy: Record<string, Json> = { ...value };
      // defineProperty, so that a "__proto__" key is an own key as JSON.parse would make it.
      Object.defineProperty(copy, change.add, { value: change.with, enumerable: true, writable: true, configurable: true });
      return copy;
    }
    return change.replace ?? null;
  }
  const [key, ...rest] = path;
  if (Array.isArray(value) && typeof key === "number") {
    const copy = [...value];
    if ("replace" in change && change.replace === undefined && rest.length === 0) copy.splice(key, 1);
    else copy[key] = edit(value[key] as Json, rest, change);
    return copy;
  }
  if (value !== null && typeof value === "object" && !Array.isArray(value) && typeof key === "string") {
    const copy = { ...value };
    if ("replace" in change && change.replace === undefined && rest.length === 0) delete copy[key];
    else copy[key] = edit(value[key] as Json, rest, change);
    return copy;
  }
  return value;
}

/** A small valid plan using every node type and most optional fields. */
function basePlan(seed: number, size: number): Json {
  const plan = generatePlan({ nodes: size, edges: size * 2, seed, files: 3 }) as unknown as Record<string, Json>;
  const extras: Json[] = [
    {
      id: "serve",
      type: "shell",
      label: "Serve",
      position: { x: 1, y: 2 },
      params: { command: "serve", env: { PORT: "1" }, background: true, readyWhen: { port: 8080 } },
    },
    { id: "bin", type: "file.write", params: { path: "logo.png", content: "iVBORw0KGgo=", encoding: "base64", ifExists: "skip" } },
    {
      id: "tidy",
      type: "file.edit",
      retries: 1,
      timeoutMs: 1000,
      params: { path: "a.ts", edits: [{ find: "a", replace: "b", all: true }] },
    },
  ];
  return {
    ...plan,
    description: "generated",
    settings: { concurrency: 2, failurePolicy: "stop" },
    nodes: [...(plan.nodes as Json[]), ...extras],
  };
}

/** Values at and just past the edges of what the schema allows. */
const BOUNDARY_STRINGS: Json[] = [
  "",
  " ",
  "\t\n",
  "a",
  "x".repeat(64),
  "x".repeat(65),
  "x".repeat(140),
  "x".repeat(141),
  "x".repeat(200),
  "x".repeat(201),
  "..",
  "../x",
  "a/../../x",
  "/abs",
  "\\abs",
  "C:\\x",
  "a\u0000b",
  "[",
  "(a+)+",
  "n0",
  "n1",
  "__proto__",
  "file.copy",
  "shell",
  "failure",
  "always",
  "skip",
  "base64",
  "utf8",
  "not base64!",
  "iVBORw0KGgo=",
];
const BOUNDARY_NUMBERS: Json[] = [
  -1,
  0,
  1,
  1.5,
  20,
  21,
  256,
  257,
  65_535,
  65_536,
  3_600_001,
  86_400_000,
  86_400_001,
  64 * 1024 * 1024 + 1,
  1e300,
  2 ** 53,
];
const OTHER_VALUES: Json[] = [
  null,
  true,
  false,
  [],
  {},
  ["n0"],
  { output: "x", port: 1 },
  { port: 0 },
  { output: "" },
  { find: "a", replace: "a" },
];
const ALL_VALUES = [...BOUNDARY_STRINGS, ...BOUNDARY_NUMBERS, ...OTHER_VALUES];

/** A replacement of the same kind as `current` most of the time, anything now and then. */
function replacementFor(current: Json | undefined, roll: number, pick: number): Json | undefined {
  const pool = typeof current === "string" ? BOUNDARY_STRINGS : typeof current === "number" ? BOUNDARY_NUMBERS : OTHER_VALUES;
  if (roll < 0.7) return pool[pick % pool.length];
  if (roll < 0.85) return ALL_VALUES[pick % ALL_VALUES.length];
  return undefined;
}

/** Where a path points in the schema: indexes folded, nodes told apart by type. */
function positionOf(plan: Json, path: Path): string {
  const node = path[0] === "nodes" && typeof path[1] === "number" ? valueAtPath(plan, ["nodes", path[1], "type"]) : undefined;
  // A mutated type may be any value, an object with its own "toString" key included: only a string names a type.
  const type = typeof node === "string" ? node : typeof node;
  return `${type}:${path.map((key) => (typeof key === "number" ? "#" : key)).join("/")}`;
}

/** Picks a path uniformly over schema positions, so rare fields (the name) are hit as often as common ones. */
function pickPath(plan: Json, pick: number, within: (path: Path) => boolean = () => true): Path {
  const byPosition = new Map<string, Path[]>();
  for (const path of pathsOf(plan)) {
    if (!within(path)) continue;
    const position = positionOf(plan, path);
    byPosition.set(position, [...(byPosition.get(position) ?? []), path]);
  }
  const groups = [...byPosition.values()];
  // An earlier mutation may have replaced the whole plan by a value without objects.
  if (groups.length === 0) return [];
  const group = groups[pick % groups.length] as Path[];
  return group[Math.floor(pick / groups.length) % group.length] as Path;
}

const unknownKey = fc.oneof(
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.constantFrom(
    "dependsOn",
    "depends_on",
    "cmd",
    "old_string",
    "new_string",
    "replace_all",
    "condition",
    "__proto__",
    "constructor",
    "toString",
    "Path",
    "comand",
  ),
);

type Mutation =
  | { kind: "replace"; pick: number; roll: number; value: number }
  | { kind: "add"; pick: number; key: string }
  | { kind: "random"; pick: number; value: Json };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("replace" as const),
      pick: fc.nat(),
      roll: fc.double({ min: 0, max: 1, noNaN: true }),
      value: fc.nat(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("add" as const), pick: fc.nat(), key: unknownKey }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("random" as const),
      pick: fc.nat(),
      value: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
    }),
  },
);

/** Valid plans with a few parts replaced, removed or added. */
const mutatedPlan = fc
  .record({ seed: fc.nat(), size: fc.integer({ min: 1, max: 6 }), mutations: fc.array(mutation, { minLength: 1, maxLength: 2 }) })
  .map(({ seed, size, mutations }) => {
    let plan = basePlan(seed, size);
    for (const change of mutations) {
      if (change.kind === "add") {
        const path = pickPath(plan, change.pick, (candidate) => {
          const value = valueAtPath(plan, candidate);
          return value !== null && typeof value === "object" && !Array.isArray(value);
        });
        plan = edit(plan, path, { add: change.key, with: 1 });
      } else {
        const path = pickPath(plan, change.pick);
        const value = change.kind === "random" ? change.value : replacementFor(valueAtPath(plan, path), change.roll, change.value);
        plan = edit(plan, path, { replace: value });
      }
    }
    return plan;
  });

describe("the published plan schema and validatePlan", () => {
  it("is accepted by Ajv 2020 in strict mode, with property names any tool accepts", () => {
    expect(ajv.validateSchema(schema)).toBe(true);
    const names: string[] = [];
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node !== null && typeof node === "object") {
        const record = node as Record<string, unknown>;
        if (record.properties && typeof record.properties === "object") names.push(...Object.keys(record.properties));
        Object.values(record).forEach(collect);
      }
    };
    collect(schema);
    expect(names.filter((name) => !/^[a-zA-Z0-9_.-]{1,64}$/.test(name))).toEqual([]);
  });

  it("closes every object and describes every property", () => {
    const open: string[] = [];
    const undescribed: string[] = [];
    const walk = (node: unknown, where: string): void => {
      if (Array.isArray(node)) return node.forEach((item, index) => walk(item, `${where}/${index}`));
      if (node === null || typeof node !== "object") return;
      const record = node as Record<string, unknown>;
      if (record.type === "object" && record.additionalProperties === undefined && record.oneOf === undefined) open.push(where);
      for (const [name, property] of Object.entries((record.properties ?? {}) as Record<string, Record<string, unknown>>)) {
        if (typeof property.description !== "string" && name !== "type") undescribed.push(`${where}/${name}`);
      }
      for (const [key, value] of Object.entries(record)) walk(value, `${where}/${key}`);
    };
    walk(schema, "#");
    expect(open).toEqual([]);
    expect(undescribed).toEqual([]);
  });

  it("gives one error for one bad field in a node", () => {
    const check = ajv.compile({ ...schema });
    const plan = basePlan(1, 1) as { nodes: Json[] };
    const broken = edit(plan as unknown as Json, ["nodes", plan.nodes.length - 3], { add: "cmd", with: "x" });
    expect(check(broken)).toBe(false);
    expect(check.errors).toHaveLength(1);
  });

  it("agree on the shape of thousands of generated documents", () => {
    const tally = { accepted: 0, rejected: 0 };
    fc.assert(
      fc.property(mutatedPlan, (plan) => {
        const ajvOk = schemaAccepts(plan);
        const result = validatePlan(plan);
        const problems = result.ok ? [] : result.problems;
        // The validator may only add rules beyond shape; messages are built only on failure.
        const shapeProblems = problems.filter((problem) => !GRAPH_AND_NODE_RULES.has(problem.code));
        if (ajvOk && shapeProblems.length > 0)
          expect.fail(`The schema accepts what the validator rejects: ${JSON.stringify(plan)}\n${JSON.stringify(shapeProblems)}`);
        if (!ajvOk && result.ok)
          expect.fail(`The validator accepts what the schema rejects: ${JSON.stringify(plan)}\n${JSON.stringify(schemaAccepts.errors)}`);
        tally[ajvOk ? "accepted" : "rejected"]++;
      }),
      { numRuns: 3_000 },
    );
    // Both sides of the contract are exercised, not just one.
    expect(tally.accepted).toBeGreaterThan(300);
    expect(tally.rejected).toBeGreaterThan(300);
  });
});

describe("an unknown key anywhere in a valid plan", () => {
  const withUnknownKey = fc
    .record({ seed: fc.nat(), size: fc.integer({ min: 1, max: 6 }), pick: fc.nat(), key: unknownKey })
    .map(({ seed, size, pick, key }) => {
      const plan = basePlan(seed, size);
      const objects = pathsOf(plan).filter((path) => {
        const value = valueAtPath(plan, path);
        // env is a map of names, not a fixed set of fields.
        return value !== null && typeof value === "object" && !Array.isArray(value) && path[path.length - 1] !== "env";
      });
      const path = objects[pick % objects.length] as Path;
      return { plan: edit(plan, path, { add: key, with: 1 }), path, key, allowed: allowedKeysAt(path, plan) };
    })
    .filter(({ key, allowed, path }) => !allowed.includes(key) && !(path.length === 0 && key === "$schema"));

  it("is rejected with the key named, by the validator and by the schema", () => {
    fc.assert(
      fc.property(withUnknownKey, ({ plan, path, key }) => {
        const result = validatePlan(plan);
        expect(result.ok).toBe(false);
        const problem = result.ok ? undefined : result.problems.find((candidate) => candidate.code === "unknown-field");
        expect(problem?.path).toEqual([...path, key]);
        expect(problem?.message).toContain(JSON.stringify(key));
        expect(problem?.message).not.toMatch(/nodes\[\d+\]/);
        expect(schemaAccepts(plan)).toBe(false);
      }),
      { numRuns: 1_000 },
    );
  });
});
