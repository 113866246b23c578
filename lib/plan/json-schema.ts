/**
 * The JSON Schema users see (editor autocompletion, CI checks of hand-written
 * plans), generated from the zod schema so the two can never disagree.
 * `npm run schema` writes it to public/plan.schema.json; a test fails when
 * that file is stale.
 */
import { z } from "zod";
import { PlanDocument } from "./schema";

/** Where the generated schema is served from, relative to the site root. */
export const PLAN_SCHEMA_PATH = "/plan.schema.json";

/**
 * The plan's JSON Schema (draft 2020-12), describing the input side: fields
 * with defaults are optional, as they are when writing a plan by hand.
 */
export function planJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(PlanDocument, { io: "input", target: "draft-2020-12" }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    title: "Batchboard plan",
    description:
      "A Batchboard plan: operation nodes joined by dependency edges. Generated from lib/plan/schema.ts by `npm run schema`; do not edit by hand.",
    ...rest,
  };
}

/** The schema file's exact text: two-space JSON with a trailing newline. */
export function planJsonSchemaText(): string {
  return `${JSON.stringify(planJsonSchema(), null, 2)}\n`;
}
