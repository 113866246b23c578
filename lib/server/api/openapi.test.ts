import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import { createConfig, lintFromString } from "@redocly/openapi-core";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { describe, expect, it } from "vitest";
import type { AgentBackend } from "../../mcp/agent-backend";
import { createMcpServer } from "../../mcp/create-mcp-server";
import { buildOpenApiDocument } from "./openapi";
import { allowedMethodsOf, DELETE as deleteUnsupported } from "./method-not-allowed";

const METHODS = ["GET", "POST", "PATCH", "PUT", "DELETE"];

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
      for (const method of METHODS) {
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
  const described = Object.entries(document.paths).flatMap(([route, methods]) =>
    Object.keys(methods).map((method) => `${method.toUpperCase()} ${route}`),
  );

  it("describes exactly the routes that exist", () => {
    expect(described.sort()).toEqual([...routesOnDisk(), "POST /api/mcp"].sort());
  });

  it("describes /api/mcp, naming every tool the MCP server lists", async () => {
    // Listing tools never reaches the backend, so none is given.
    const server = createMcpServer({} as AgentBackend, {
      docsDirectory: path.resolve(import.meta.dirname, "../../../docs"),
      version: "test",
    });
    const client = new Client({ name: "openapi-test", version: "1" });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
    const { tools } = await client.listTools();
    await client.close();
    const mcp = document.paths["/api/mcp"]?.post as { description: string; requestBody: unknown };
    const listed = /Tools: ([a-z_, ]+);/.exec(mcp.description)?.[1]?.split(", ");
    expect(listed?.sort()).toEqual(tools.map((tool) => tool.name).sort());
    expect(mcp.requestBody).toMatchObject({ required: true });
  });

  it("is OpenAPI 3.1 with request bodies generated from the zod schemas", () => {
    expect(document.openapi).toBe("3.1.0");
    const createPlan = document.paths["/api/v1/plans"]?.post as {
      requestBody: { content: { "application/json": { schema: { properties: Record<string, unknown> } } } };
    };
    expect(Object.keys(createPlan.requestBody.content["application/json"].schema.properties)).toEqual([
      "document",
      "tags",
      "message",
      "asDraft",
    ]);
  });

  it("passes swagger-parser validation and redocly's recommended rules without a problem", async () => {
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeTruthy();
    const config = await createConfig({ extends: ["recommended"] });
    const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: "openapi.json", config });
    expect(
      problems.map((problem) => `${problem.severity} ${problem.ruleId}: ${problem.message} at ${problem.location[0]?.pointer ?? ""}`),
    ).toEqual([]);
  }, 30_000);

  type Operation = {
    operationId?: string;
    parameters: { name: string; in: string; description?: string }[];
    requestBody?: { required: boolean; content: Record<string, { schema: Record<string, unknown> }> };
    responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>;
  };
  const operations = Object.entries(document.paths).flatMap(([route, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${route}`, operation: operation as Operation })),
  );
  const operation = (name: string) => operations.find((candidate) => candidate.name === name)?.operation as Operation;

  it("names, types and documents every operation, its parameters and its failures", () => {
    for (const { name, operation: op } of operations) {
      expect(op.operationId, name).toMatch(/^[a-z][A-Za-z]+$/);
      for (const parameter of op.parameters) expect(parameter.description, `${name} ${parameter.name}`).toBeTruthy();
      expect(Object.keys(op.responses), name).toContain("500");
      for (const [status, response] of Object.entries(op.responses)) {
        for (const media of Object.values(response.content ?? {}))
          expect(Object.keys(media.schema).length, `${name} ${status}`).toBeGreaterThan(0);
      }
    }
    expect(new Set(operations.map(({ operation: op }) => op.operationId)).size).toBe(operations.length);
    expect((document as { servers?: unknown[] }).servers?.length).toBeGreaterThan(0);
    const events = operation("GET /api/v1/runs/{runId}/events");
    expect(events.parameters.map((parameter) => `${parameter.in} ${parameter.name}`)).toEqual([
      "path runId",
      "query after",
      "query batch",
      "header Last-Event-ID",
    ]);
    const undo = operation("POST /api/v1/runs/{runId}/undo");
    expect(undo.requestBody?.required).toBe(false);
    expect(undo.requestBody?.content["application/json"]?.schema).toMatchObject({ properties: { force: { type: "boolean" } } });
  });

  it("points at the plan schema wherever a plan travels", () => {
    const planRef = { $ref: "#/components/schemas/PlanDocument" };
    const bodyOf = (name: string) =>
      operation(name).requestBody?.content["application/json"]?.schema as { properties: Record<string, unknown> };
    expect(bodyOf("POST /api/v1/plans").properties.document).toMatchObject(planRef);
    expect(bodyOf("POST /api/v1/plans/{planId}/versions").properties.document).toMatchObject(planRef);
    expect(bodyOf("POST /api/v1/runs").properties.plan).toMatchObject(planRef);
    const version = operation("GET /api/v1/plans/{planId}/versions/{number}").responses["200"]?.content?.["application/json"]?.schema as {
      properties: { version: { properties: Record<string, unknown> } };
    };
    expect(version.properties.version.properties.document).toMatchObject(planRef);
  });
});

describe("methods a route does not implement", () => {
  it("every route file answers all five methods, the ones it lacks with a 405 in the error shape", () => {
    for (const file of routeFiles()) {
      const source = readFileSync(file, "utf8");
      const reexported = /export \{ ([A-Z, ]+) \} from "@\/lib\/server\/api\/method-not-allowed"/.exec(source)?.[1]?.split(", ") ?? [];
      const implemented = METHODS.filter((method) =>
        new RegExp(`\\bas ${method}\\b|export (async )?function ${method}\\b|export const ${method}\\b`).test(source),
      );
      expect([...implemented, ...reexported].sort(), file).toEqual([...METHODS].sort());
    }
  });

  it("answers 405 JSON with an Allow header naming the route's methods", async () => {
    const response = await deleteUnsupported(new Request("http://localhost/api/v1/plans", { method: "DELETE" }));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, POST");
    expect(await response.json()).toMatchObject({ error: { code: "method_not_allowed", issues: [] } });
    expect(allowedMethodsOf("/api/v1/runs/r1/nodes/n1/retry")).toEqual(["POST"]);
    expect(allowedMethodsOf("/api/v1/openapi.json")).toEqual(["GET"]);
  });
});

function routeFiles(dir = API_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return entry.name.startsWith("[...") ? [] : routeFiles(path.join(dir, entry.name));
    return entry.name === "route.ts" ? [path.join(dir, entry.name)] : [];
  });
}
