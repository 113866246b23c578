/**
 * The fast path is fast or unsure, never different: on every input, it
 * answers UNSURE or exactly zod's output (same values, same key order),
 * and never answers for input zod rejects.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  $ZodArray,
  $ZodBoolean,
  $ZodDefault,
  $ZodDiscriminatedUnion,
  $ZodEnum,
  $ZodLiteral,
  $ZodNumber,
  $ZodObject,
  $ZodOptional,
  $ZodPipe,
  $ZodRecord,
  $ZodString,
  $ZodUnion,
  type $ZodType,
} from "zod/v4/core";
import * as z from "./mini-zod";
import { fastParserOf, UNSURE } from "./fast-parse";
import { PlanDocument, PlanDraft } from "./schema";
import { generatePlan } from "./testing/generate-plan";

/** Compares the fast path with zod on `input`; true when the fast path answered. */
function agreesWithZod(schema: $ZodType, input: unknown): boolean {
  const fast = fastParserOf(schema)(input);
  const parsed = z.safeParse(schema, input);
  if (fast === UNSURE) return false;
  expect(parsed.success).toBe(true);
  expect(fast).toStrictEqual(parsed.data);
  expect(JSON.stringify(fast)).toBe(JSON.stringify(parsed.data));
  return true;
}

describe("fastParserOf", () => {
  it("gives zod's output for a valid plan: defaults filled in, keys in the schema's order", () => {
    const plan = generatePlan({ nodes: 300, edges: 900, seed: 7 });
    expect(agreesWithZod(PlanDocument, plan)).toBe(true);
    const shuffled = {
      edges: [{ to: "b", when: "always", from: "a" }],
      nodes: [{ params: { command: "x" }, type: "shell", id: "a" }],
      name: "n",
    };
    shuffled.nodes.push({ params: { command: "y" }, type: "shell", id: "b" });
    expect(agreesWithZod(PlanDocument, { $schema: "https://example.com/plan.schema.json", ...shuffled })).toBe(true);
  });

  it("gives each default a copy of its own, as zod does", () => {
    type ShellPlan = { edges: unknown[]; nodes: [{ params: { env: object } }] };
    const parse = (id: string) =>
      fastParserOf(PlanDocument)({ name: id, nodes: [{ id, type: "shell", params: { command: "x" } }] }) as ShellPlan;
    const [one, two] = [parse("a"), parse("b")];
    expect(one.edges).toEqual([]);
    expect(one.edges).not.toBe(two.edges);
    expect(one.nodes[0].params.env).not.toBe(two.nodes[0].params.env);
  });

  it("is unsure of what zod rejects", () => {
    const node = { id: "a", type: "shell", params: { command: "x" } };
    const unsure = [
      { name: "p", nodes: [{ ...node, dependsOn: ["b"] }] }, // an unknown key
      { name: "p", nodes: [{ ...node, type: "shell.run" }] }, // no option of the union
      { name: "p", nodes: [{ ...node, retries: 1.5 }] }, // a failed check
      { name: "p", nodes: [{ ...node, retries: Number.POSITIVE_INFINITY }] },
      { name: " ", nodes: [node] },
      { name: "p", nodes: [] }, // the array's own check
      { name: "p", nodes: [node], ["__proto__"]: {} },
      JSON.parse('{"name":"p","nodes":[{"id":"a","type":"shell","params":{"command":"x"},"__proto__":{}}]}'),
      { name: "p", nodes: [{ id: "s", type: "search", params: { pattern: "a", patterns: ["b"] } }] }, // a refinement
      [node],
      null,
    ];
    for (const input of unsure) {
      expect(fastParserOf(PlanDocument)(input)).toBe(UNSURE);
      expect(PlanDocument.safeParse(input).success).toBe(false);
    }
  });

  it("reads a key present as undefined as zod does: an optional keeps it, a default fills it in", () => {
    const node = { id: "a", type: "shell", label: undefined, params: { command: "x" } };
    expect(agreesWithZod(PlanDocument, { name: "p", description: undefined, nodes: [node] })).toBe(true);
  });

  it("hands schemas it does not know to zod: unions, records, string formats", () => {
    const readyWhen = { id: "w", type: "shell", params: { command: "x", background: true, readyWhen: { port: 8080 }, env: { A: "1" } } };
    expect(agreesWithZod(PlanDocument, { name: "p", nodes: [readyWhen] })).toBe(true);
    const email = z.strictObject({ to: z.email() });
    expect(agreesWithZod(email, { to: "a@example.com" })).toBe(true);
    expect(fastParserOf(email)({ to: "not an address" })).toBe(UNSURE);
  });

  it("runs a check that rewrites the value, as zod does", () => {
    const trimmed = z.strictObject({ name: z.string().check(z.trim(), z.minLength(1)) });
    expect(agreesWithZod(trimmed, { name: "  a  " })).toBe(true);
    expect(fastParserOf(trimmed)({ name: "   " })).toBe(UNSURE);
  });

  it("runs the checks of a schema it hands to zod once, as zod does", () => {
    const exclaimed = z.strictObject({
      value: z.union([z.string(), z.number()]).check(z.overwrite((value) => (typeof value === "string" ? `${value}!` : value))),
    });
    expect(agreesWithZod(exclaimed, { value: "a" })).toBe(true);
  });

  it("builds a recursive schema's parser once", () => {
    interface Tree {
      name: string;
      children?: Tree[];
    }
    const Tree: z.ZodMiniType<Tree> = z.strictObject({
      name: z.string(),
      get children() {
        return z.optional(z.array(Tree));
      },
    });
    expect(agreesWithZod(Tree, { name: "a", children: [{ name: "b", children: [{ name: "c" }] }] })).toBe(true);
    expect(fastParserOf(Tree)({ name: "a", children: [{ name: 1 }] })).toBe(UNSURE);
  });

  it("measures string lengths as zod does, in code points", () => {
    const label = "😀".repeat(150); // 300 UTF-16 units, 150 code points: within the 200 allowed
    expect(agreesWithZod(PlanDocument, { name: "p", nodes: [{ id: "a", type: "shell", label, params: { command: "x" } }] })).toBe(true);
  });
});

describe("fastParserOf against zod on generated documents", () => {
  it("agrees with zod on documents drawn from the plan schema, valid and not", () => {
    let answered = 0;
    fc.assert(
      fc.property(arbitraryOf(PlanDocument), (input) => {
        if (agreesWithZod(PlanDocument, input)) answered++;
      }),
      { numRuns: 4_000 },
    );
    // Not vacuous: a good share of the documents take the fast path.
    expect(answered).toBeGreaterThan(150);
  });

  it("agrees with zod on drafts", () => {
    fc.assert(
      fc.property(arbitraryOf(PlanDraft), (input) => void agreesWithZod(PlanDraft, input)),
      { numRuns: 1_000 },
    );
  });
});

/** Mostly what the plan's checks accept, now and then what they do not: one odd value in a document is enough. */
function mostly<T>(usual: fc.Arbitrary<T>, odd: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 40, arbitrary: usual }, { weight: 1, arbitrary: odd });
}

/** Strings most fields take (ids, paths, commands), and strings that fail some check: blanks, lengths in units and code points. */
const strings = mostly(
  fc.constantFrom("a", "n0", "n1", "src/a.ts", "echo hi", "value1", "PATH"),
  fc.constantFrom("", " ", ".", "../x", "/abs", "a b", "__proto__", "x".repeat(65), "x".repeat(201), "😀".repeat(120)),
);
const numbers = mostly(
  fc.integer({ min: 1, max: 8 }),
  fc.oneof(fc.integer({ min: -2, max: 70_000 }), fc.constantFrom(0.5, 1e300, Number.NaN, Number.POSITIVE_INFINITY)),
);
const wrongType = fc.oneof(fc.constant(null), fc.integer(), fc.string({ maxLength: 3 }), fc.constant([]), fc.constant({}));

/** Values of `schema`'s shape, mostly well-formed, now and then of the wrong type, keys in any order. */
function arbitraryOf(schema: $ZodType): fc.Arbitrary<unknown> {
  return mostly(shapedAs(schema), wrongType);
}

function shapedAs(schema: $ZodType): fc.Arbitrary<unknown> {
  if (schema instanceof $ZodString) return strings;
  if (schema instanceof $ZodNumber) return numbers;
  if (schema instanceof $ZodBoolean) return fc.boolean();
  if (schema instanceof $ZodEnum || schema instanceof $ZodLiteral)
    return mostly(fc.constantFrom(...schema._zod.values), fc.constant("other"));
  if (schema instanceof $ZodOptional || schema instanceof $ZodDefault)
    return fc.option(arbitraryOf(schema._zod.def.innerType), { nil: undefined, freq: 3 });
  if (schema instanceof $ZodArray) return fc.array(arbitraryOf(schema._zod.def.element), { minLength: 1, maxLength: 3 });
  if (schema instanceof $ZodDiscriminatedUnion || schema instanceof $ZodUnion) return fc.oneof(...schema._zod.def.options.map(arbitraryOf));
  if (schema instanceof $ZodRecord) return fc.dictionary(strings.map(String), arbitraryOf(schema._zod.def.valueType), { maxKeys: 2 });
  if (schema instanceof $ZodPipe)
    return fc
      .tuple(arbitraryOf(schema._zod.def.out), fc.boolean())
      .map(([value, withSchemaKey]) => (withSchemaKey && typeof value === "object" && value !== null ? { $schema: "x", ...value } : value));
  if (schema instanceof $ZodObject) return objectOf(schema);
  throw new Error(`No generator for ${schema._zod.def.type}`);
}

/**
 * An object of `schema`'s fields: optional ones left out, present, or present
 * as undefined; now and then a required one dropped or a key it does not know added.
 */
function objectOf(schema: $ZodObject): fc.Arbitrary<unknown> {
  const shape = schema._zod.def.shape;
  const keys = Object.keys(shape);
  const fields = Object.fromEntries(keys.map((key) => [key, arbitraryOf(shape[key] as $ZodType)]));
  const requiredKeys = keys.filter((key) => !(shape[key] instanceof $ZodOptional || shape[key] instanceof $ZodDefault));
  const mishap = mostly(
    fc.constant(null),
    fc.oneof(
      fc.nat().map((drop) => ({ drop })),
      fc.constantFrom("dependsOn", "cmd", "__proto__").map((add) => ({ add })),
    ),
  ) as fc.Arbitrary<null | { drop: number } | { add: string }>;
  return fc.tuple(fc.record(fields, { requiredKeys }), mishap, fc.nat()).map(([record, change, seed]) => {
    const entries = Object.entries(record);
    if (change !== null && "drop" in change) entries.splice(change.drop % (entries.length + 1), 1);
    if (change !== null && "add" in change) entries.push([change.add, "x"]);
    // Keys in an order of their own: zod's output follows the schema's.
    for (let index = entries.length - 1; index > 0; index--) {
      const other = (seed + index * 7) % (index + 1);
      [entries[index], entries[other]] = [entries[other] as [string, unknown], entries[index] as [string, unknown]];
    }
    const value: Record<string, unknown> = {};
    // defineProperty: a key named "__proto__" becomes an own key, as JSON.parse makes it.
    for (const [key, item] of entries)
      Object.defineProperty(value, key, { value: item, enumerable: true, writable: true, configurable: true });
    return value;
  });
}
