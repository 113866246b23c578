/**
 * A fast path for zod's parse of input it accepts. zod gives each value it
 * visits a payload and an issue list and reaches each schema through a
 * generic call: for a 10,000-node plan, ~125 ms of a fresh process
 * (bench/README.md), for ~180,000 values. `fastParserOf(schema)` builds plain
 * closures from the schema's definition that return what zod would (the same
 * keys in the same order, defaults filled in) for input they are sure zod
 * accepts, and `UNSURE` for anything else; the caller then asks zod, whose
 * issues say what is wrong. So the fast path is fast or unsure, never
 * different: a schema it does not know (a union, a record, a string format…)
 * it hands to zod, value by value, and each schema's checks (lengths,
 * patterns, refinements) are zod's own, run as zod runs them.
 */
import {
  $ZodArray,
  $ZodBoolean,
  $ZodDefault,
  $ZodDiscriminatedUnion,
  $ZodEnum,
  $ZodLiteral,
  $ZodNever,
  $ZodNumber,
  $ZodObject,
  $ZodOptional,
  $ZodPipe,
  $ZodString,
  $ZodTransform,
  type $ZodCheck,
  type $ZodType,
  type ParsePayload,
} from "zod/v4/core";
// zod's test for an object, too: neither null nor an array.
import { isRecord } from "./plan-view";

/** What a fast parser answers for input it leaves to zod. */
export const UNSURE: unique symbol = Symbol("unsure");

/** zod's output for `value`, or `UNSURE`. */
export type FastParser = (value: unknown) => unknown;

const parsers = new WeakMap<$ZodType, FastParser>();

/** The fast parser of `schema`, built on first use. */
export function fastParserOf(schema: $ZodType): FastParser {
  const known = parsers.get(schema);
  if (known !== undefined) return known;
  // A recursive schema meets itself while it is built: there it gets a parser that calls the finished one.
  const building: { parser?: FastParser } = {};
  parsers.set(schema, (value) => (building.parser as FastParser)(value));
  const built = build(schema);
  // zod's own parse runs the schema's checks itself.
  building.parser = built === null ? viaZod(schema) : withChecks(schema, built);
  parsers.set(schema, building.parser);
  return building.parser;
}

/** The parser of `schema` before its checks; null for a schema left to zod. */
function build(schema: $ZodType): FastParser | null {
  // A schema that is itself a check (a string format such as z.email()) carries rules its class alone does not show.
  if (schema._zod.traits.has("$ZodCheck") || ("coerce" in schema._zod.def && schema._zod.def.coerce)) return null;
  if (schema instanceof $ZodString) return (value) => (typeof value === "string" ? value : UNSURE);
  if (schema instanceof $ZodNumber) return (value) => (typeof value === "number" && Number.isFinite(value) ? value : UNSURE);
  if (schema instanceof $ZodBoolean) return (value) => (typeof value === "boolean" ? value : UNSURE);
  if (schema instanceof $ZodEnum || schema instanceof $ZodLiteral) {
    const values: ReadonlySet<unknown> = schema._zod.values;
    return (value) => (values.has(value) ? value : UNSURE);
  }
  if (schema instanceof $ZodOptional) return optionalParser(schema);
  if (schema instanceof $ZodDefault) {
    const inner = fastParserOf(schema._zod.def.innerType);
    return (value) => {
      const parsed = value === undefined ? UNSURE : inner(value);
      return parsed === undefined ? schema._zod.def.defaultValue : parsed;
    };
  }
  if (schema instanceof $ZodArray) return arrayParser(schema);
  if (schema instanceof $ZodObject) return objectParser(schema);
  if (schema instanceof $ZodDiscriminatedUnion) return discriminatedUnionParser(schema);
  if (schema instanceof $ZodPipe) {
    const into = fastParserOf(schema._zod.def.in);
    const out = fastParserOf(schema._zod.def.out);
    return (value) => {
      const left = into(value);
      return left === UNSURE ? UNSURE : out(left);
    };
  }
  if (schema instanceof $ZodTransform) {
    const { transform } = schema._zod.def;
    return (value) => {
      const payload: ParsePayload = { value, issues: [] };
      const output = transform(value, payload);
      return output instanceof Promise || payload.issues.length > 0 ? UNSURE : output;
    };
  }
  return null;
}

/** zod itself, for a schema the fast path does not know. */
function viaZod(schema: $ZodType): FastParser {
  return (value) => {
    const result = schema._zod.run({ value, issues: [] }, { async: false });
    return result instanceof Promise || result.issues.length > 0 ? UNSURE : result.value;
  };
}

/** `parser`, then the schema's own checks on its output, as zod runs them (a check may also rewrite the value). */
function withChecks(schema: $ZodType, parser: FastParser): FastParser {
  const checks = (schema._zod.def.checks ?? []).map((check: $ZodCheck) => ({ when: check._zod.def.when, check: check._zod.check }));
  if (checks.length === 0) return parser;
  // One payload for every call: checks only read its value and add issues (and nothing reenters this closure).
  const payload: ParsePayload<never> = { value: undefined as never, issues: [] };
  return (value) => {
    const parsed = parser(value);
    if (parsed === UNSURE) return UNSURE;
    payload.value = parsed as never;
    payload.issues.length = 0;
    for (const { when, check } of checks) {
      if (when !== undefined && !when(payload)) continue;
      if (check(payload) instanceof Promise || payload.issues.length > 0) return UNSURE;
    }
    return payload.value;
  };
}

function optionalParser(schema: $ZodOptional): FastParser {
  const innerSchema = schema._zod.def.innerType;
  const inner = fastParserOf(innerSchema);
  // An optional around a default substitutes the default for undefined: zod's rule, not repeated here.
  if (innerSchema._zod.optin === "defaulted") return (value) => (value === undefined ? UNSURE : inner(value));
  return (value) => (value === undefined ? undefined : inner(value));
}

function arrayParser(schema: $ZodArray): FastParser {
  const element = fastParserOf(schema._zod.def.element);
  return (value) => {
    if (!Array.isArray(value)) return UNSURE;
    const parsed: unknown[] = new Array(value.length);
    for (let index = 0; index < value.length; index++) {
      const item = element(value[index]);
      if (item === UNSURE) return UNSURE;
      parsed[index] = item;
    }
    return parsed;
  };
}

/** What an object's field becomes when its value is undefined, as zod reads it: an optional keeps the key only if the input had it. */
type Missing = { kind: "optional" } | { kind: "default"; schema: $ZodDefault } | { kind: "unsure" };

function missingRule(schema: $ZodType): Missing {
  if ((schema._zod.def.checks ?? []).length > 0) return { kind: "unsure" };
  if (schema instanceof $ZodOptional && schema._zod.def.innerType._zod.optin !== "defaulted") return { kind: "optional" };
  if (schema instanceof $ZodDefault) return { kind: "default", schema };
  return { kind: "unsure" };
}

/** A closed object (zod's strictObject): every key known, each field parsed in the shape's order, as zod orders its output. */
function objectParser(schema: $ZodObject): FastParser | null {
  const { shape, catchall } = schema._zod.def;
  const keys = Object.keys(shape);
  if (!(catchall instanceof $ZodNever) || Object.getOwnPropertySymbols(shape).length > 0 || keys.includes("__proto__")) return null;
  const known = new Set(keys);
  const fields = keys.map((key) => ({ key, parse: fastParserOf(shape[key] as $ZodType), missing: missingRule(shape[key] as $ZodType) }));
  return (value) => {
    if (!isRecord(value)) return UNSURE;
    // zod looks for unknown keys with for…in, which also sees inherited enumerable keys.
    for (const key in value) if (!known.has(key)) return UNSURE;
    const parsed: Record<string, unknown> = {};
    for (const { key, parse, missing } of fields) {
      const field = value[key];
      if (field !== undefined) {
        const result = parse(field);
        if (result === UNSURE) return UNSURE;
        parsed[key] = result;
      } else if (missing.kind === "default") parsed[key] = missing.schema._zod.def.defaultValue;
      else if (missing.kind === "unsure") return UNSURE;
      else if (key in value) parsed[key] = undefined;
    }
    return parsed;
  };
}

/** The option whose discriminator value the input names; options are built when first met. */
function discriminatedUnionParser(schema: $ZodDiscriminatedUnion): FastParser | null {
  const { discriminator, options, unionFallback } = schema._zod.def;
  if (unionFallback) return null;
  const optionByValue = new Map<unknown, $ZodType>();
  for (const option of options) {
    for (const value of option._zod.propValues?.[discriminator] ?? []) if (value !== undefined) optionByValue.set(value, option);
  }
  return (value) => {
    if (!isRecord(value)) return UNSURE;
    const option = optionByValue.get(value[discriminator]);
    return option === undefined ? UNSURE : fastParserOf(option)(value);
  };
}
