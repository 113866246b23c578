/**
 * zod for the contracts every CLI command loads (the plan, run events,
 * sandbox settings, the environment): zod's mini build, whose schema classes
 * cost 3–4× less than the classic API's to set up on first use
 * (bench/README.md), with English messages, and the helpers those schemas
 * share. Import zod's mini build through here, so messages are always
 * English; mini schemas compose with classic ones elsewhere.
 */
import { en } from "zod/locales";
import * as z from "zod/mini";

// Without the memoizer classic zod installs for cyclic input: these schemas are not recursive, so a parse ends
// on any input, and a plan read from JSON has no shared parts.
z.config(en());

export * from "zod/mini";

/**
 * `schema` with `metadata` for the JSON Schema and the editor's hints, on a
 * copy (one schema serves several fields). Registered rather than added as a
 * `z.meta()` check, which would run on every value parsed.
 */
export function annotated<T extends z.ZodMiniType>(schema: T, metadata: z.core.GlobalMeta): T {
  const copy = schema.clone();
  z.globalRegistry.add(copy as z.core.$ZodType, metadata);
  return copy;
}

/** `schema` with a description a person or a model can act on. */
export function described<T extends z.ZodMiniType>(schema: T, description: string): T {
  return annotated(schema, { description });
}

/** The description a schema was given, for the editor's hints. */
export function descriptionOf(schema: z.core.$ZodType): string | undefined {
  return z.globalRegistry.get(schema)?.description;
}

/** The checks of an integer of at least `min` (and at most `max`). */
export function integerIn(min: number, max?: number) {
  return [z.int(), z.gte(min), ...(max === undefined ? [] : [z.lte(max)])];
}

/** An integer of at least `min` (and at most `max`). */
export function integer(min: number, max?: number) {
  return z.number().check(...integerIn(min, max));
}
