/**
 * The JSON Schema users see (editor autocompletion, CI checks of hand-written
 * plans, LLM tool definitions), generated from the zod schema so the two can
 * never disagree. `npm run schema` writes it to public/plan.schema.json; a
 * test fails when that file is stale, and a differential test checks that
 * Ajv on this schema and `validatePlan` agree on shape.
 */
import * as z from "zod";
import { PlanDocumentObject } from "./schema";
import { DEFAULT_PLAN_LIMITS } from "./plan-limits";

type JsonSchema = Record<string, unknown>;

/**
 * The plan's JSON Schema (draft 2020-12), describing the input side: fields
 * with defaults are optional, as they are when writing a plan by hand. Every
 * object is closed, and the node union carries an OpenAPI-style
 * `discriminator` on `type` so validators that know it (Ajv with
 * `discriminator: true`, OpenAPI tools) report one error for one bad field.
 */
export function planJsonSchema(): JsonSchema {
  const generated = z.toJSONSchema(PlanDocumentObject, {
    io: "input",
    target: "draft-2020-12",
    override: ({ jsonSchema }) => addDiscriminator(jsonSchema),
  }) as JsonSchema;
  const { $schema, ...rest } = generated;
  const properties = rest.properties as Record<string, JsonSchema>;
  const nodes = properties.nodes as JsonSchema;
  // The validator's default limits, checked before shape; stated here so tools see them too.
  properties.nodes = { ...nodes, maxItems: DEFAULT_PLAN_LIMITS.maxNodes, items: namedNodeBranches(nodes.items as JsonSchema) };
  properties.edges = { ...properties.edges, maxItems: DEFAULT_PLAN_LIMITS.maxEdges };
  const { $defs } = properties.nodes.items as { $defs: JsonSchema };
  delete (properties.nodes.items as JsonSchema).$defs;
  return {
    $schema,
    title: "Batchboard plan",
    description:
      "A Batchboard plan: operation nodes joined by dependency edges. Unknown keys are errors. Generated from lib/plan/schema.ts by `npm run schema`; do not edit by hand.",
    ...rest,
    $defs,
  };
}

/**
 * Moves each node type's schema to `$defs` (FileWriteNode, ShellNode…) and
 * refers to it from the `oneOf`: OpenAPI tools select a discriminated branch
 * only by reference, and the names read well in error messages.
 */
function namedNodeBranches(union: JsonSchema): JsonSchema {
  const $defs: Record<string, JsonSchema> = {};
  const oneOf = (union.oneOf as JsonSchema[]).map((branch) => {
    const type = ((branch.properties as Record<string, JsonSchema>).type as { const: string }).const;
    const name = `${type
      .split(".")
      .map((part) => part[0]?.toUpperCase() + part.slice(1))
      .join("")}Node`;
    $defs[name] = branch;
    return { $ref: `#/$defs/${name}` };
  });
  return { ...union, oneOf, $defs };
}

/** Marks a `oneOf` whose branches all fix `type` to a constant as discriminated on it. */
function addDiscriminator(schema: JsonSchema): void {
  const branches = schema.oneOf;
  if (!Array.isArray(branches) || branches.length === 0) return;
  const discriminated = branches.every((branch: JsonSchema) => {
    const type = (branch.properties as Record<string, JsonSchema> | undefined)?.type;
    return type !== undefined && "const" in type && Array.isArray(branch.required) && branch.required.includes("type");
  });
  if (!discriminated) return;
  schema.type = "object";
  schema.discriminator = { propertyName: "type" };
}

/** The schema file's exact text: two-space JSON with a trailing newline. */
export function planJsonSchemaText(): string {
  return `${JSON.stringify(planJsonSchema(), null, 2)}\n`;
}
