import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { planJsonSchema, planJsonSchemaText } from "../lib/plan/json-schema";

const schemaFile = fileURLToPath(new URL("../public/plan.schema.json", import.meta.url));

describe("public/plan.schema.json", () => {
  it("matches the zod plan schema (run `npm run schema` if this fails)", () => {
    expect(readFileSync(schemaFile, "utf8")).toBe(planJsonSchemaText());
  });

  it("describes the input side: fields with defaults are optional", () => {
    const schema = planJsonSchema() as { required?: string[]; properties: Record<string, unknown> };
    expect(schema.required).toEqual(["name", "nodes"]);
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(["name", "nodes", "edges", "settings", "description", "formatVersion"]),
    );
  });
});
