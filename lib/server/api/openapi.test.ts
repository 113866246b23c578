import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "./openapi";

const API_DIR = path.resolve(import.meta.dirname, "../../../app/api/v1");

/** Every route file under app/api/v1 as `METHOD /api/v1/path/{param}`. */
function routesOnDisk(dir = API_DIR, segments: string[] = []): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      // The catch-all only answers unknown paths; the document itself is not described in itself.
      if (entry.name.startsWith("[...") || entry.name === "openapi.json") continue;
      const segment = entry.name.replace(/^\[(.+)\]$/, "{$1}");
      found.push(...routesOnDisk(path.join(dir, entry.name), [...segments, segment]));
    } else if (entry.name === "route.ts") {
      const source = readFileSync(path.join(dir, entry.name), "utf8");
      for (const method of ["GET", "POST", "PATCH", "PUT", "DELETE"]) {
        if (new RegExp(`\\bas ${method}\\b|export (async )?function ${method}\\b|export const ${method}\\b`).test(source)) {
          found.push(`${method} /api/v1/${segments.join("/")}`);
        }
      }
    }
  }
  return found;
}

describe("OpenAPI document", () => {
  const document = buildOpenApiDocument() as { openapi: string; paths: Record<string, Record<string, unknown>> };
  const described = Object.entries(document.paths).flatMap(([route, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${route}`));

  it("describes exactly the routes that exist", () => {
    expect(described.sort()).toEqual(routesOnDisk().sort());
  });

  it("is OpenAPI 3.1 with request bodies generated from the zod schemas", () => {
    expect(document.openapi).toBe("3.1.0");
    const createPlan = document.paths["/api/v1/plans"]?.post as { requestBody: { content: { "application/json": { schema: { properties: Record<string, unknown> } } } } };
    expect(Object.keys(createPlan.requestBody.content["application/json"].schema.properties)).toEqual(["document", "tags", "message", "asDraft"]);
  });
});
