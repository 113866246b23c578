/**
 * The OpenAPI 3.1 document of /api/v1, generated from the same zod schemas
 * the route handlers validate with (z.toJSONSchema), so the published
 * contract is the enforced one. Wherever a plan travels, the document points
 * at the plan's own JSON Schema (components/schemas/PlanDocument).
 */
import * as z from "zod";
import { planJsonSchema } from "../../plan/json-schema";
import { RunEvent } from "../../run-events/run-events";
import { ENDPOINTS, type Endpoint, type JsonSchema } from "./endpoints";
import * as Schemas from "./schemas";

const PLAN_REF = "#/components/schemas/PlanDocument";

function toSchema(schema: z.core.$ZodType, io: "input" | "output"): JsonSchema {
  const json = z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
    target: "draft-2020-12",
    override: ({ zodSchema, jsonSchema }) => {
      // Plan fields are z.unknown() (validatePlan reports their problems); the document shows the plan schema.
      if (zodSchema === Schemas.PlanDocumentField || zodSchema === Schemas.StoredPlanDocument) {
        jsonSchema.$ref = PLAN_REF;
      }
    },
  }) as JsonSchema;
  delete json.$schema;
  return json;
}

function parametersOf(endpoint: Endpoint): JsonSchema[] {
  const parameters: JsonSchema[] = [];
  for (const [where, schema] of [
    ["path", endpoint.params],
    ["query", endpoint.query],
  ] as const) {
    if (!schema) continue;
    for (const [name, field] of Object.entries(schema.shape)) {
      const json = toSchema(field, "input");
      const { description, ...rest } = json;
      parameters.push({
        name,
        in: where,
        required: where === "path" || !field.safeParse(undefined).success,
        description: typeof description === "string" ? description : describeParameter(name),
        schema: rest,
      });
    }
  }
  for (const header of endpoint.headers ?? []) parameters.push({ ...header, in: "header", required: false });
  return parameters;
}

/** Path ids are self-explanatory; saying so once here keeps every operation documented. */
function describeParameter(name: string): string {
  const known: Record<string, string> = {
    planId: "The plan's id",
    runId: "The run's id",
    nodeId: "The node's id in the run's plan",
    number: "The version number (1 is the first)",
  };
  return known[name] ?? name;
}

const ERROR_STATUSES: Record<string, string> = {
  400: "The request is malformed: a field, query parameter or body is invalid",
  401: "No valid API token or session",
  403: "The caller's role may not do this, or the request came from another site",
  404: "No such plan, version, run, node or change in the caller's team",
  409: "A conflict: the run is in a state that does not allow this, or the version is stale",
  422: "The plan document has problems; each issue names its node and field",
  500: "An unexpected server error; the body says nothing more",
};

function operationOf(endpoint: Endpoint): JsonSchema {
  const headers = endpoint.location
    ? { Location: { description: "Where the created plan or run can be read", schema: { type: "string" } } }
    : undefined;
  const success =
    endpoint.responseType === "event-stream"
      ? {
          description:
            "Server-sent events: each message's `id` is the event's sequence number and its `data` one RunEvent as JSON (with batch=1, a JSON array of RunEvents). The stream ends after the run's final status.",
          content: {
            "text/event-stream": {
              // JSON Schema's annotation for what a string carries: here, the data of each message.
              schema: { type: "string", contentSchema: { $ref: "#/components/schemas/RunEvent" } },
            },
          },
        }
      : endpoint.responseType === "text"
        ? { description: "The node's output, as text", content: { "text/plain": { schema: { type: "string" } } } }
        : {
            description: endpoint.summary,
            ...(headers ? { headers } : {}),
            content: { "application/json": { schema: endpoint.response ? toSchema(endpoint.response, "output") : {} } },
          };
  const errors = Object.fromEntries(
    Object.entries(ERROR_STATUSES)
      .filter(([status]) =>
        status === "422"
          ? endpoint.body !== undefined && endpoint.operationId !== "undoRun" && endpoint.operationId !== "updatePlan"
          : true,
      )
      .map(([status, description]) => [
        status,
        { description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
      ]),
  );
  return {
    operationId: endpoint.operationId,
    summary: endpoint.summary,
    description: `Needs the \`${endpoint.permission}\` permission.`,
    tags: [endpoint.path.split("/")[1] === "runs" ? "runs" : "plans"],
    parameters: parametersOf(endpoint),
    ...(endpoint.body
      ? { requestBody: { required: !endpoint.bodyOptional, content: { "application/json": { schema: toSchema(endpoint.body, "input") } } } }
      : {}),
    responses: { [String(endpoint.status ?? 200)]: success, ...errors },
  };
}

/**
 * The plan schema as components: public/plan.schema.json without its
 * meta-schema line, its `$defs` (the node types) beside it, and references
 * pointed at them.
 */
function planComponents(): Record<string, JsonSchema> {
  const { $schema: _metaSchema, $defs, ...schema } = planJsonSchema();
  const text = JSON.stringify({ PlanDocument: schema, ...($defs as Record<string, JsonSchema>) });
  return JSON.parse(text.replaceAll('"#/$defs/', '"#/components/schemas/')) as Record<string, JsonSchema>;
}

/** A JSON-RPC 2.0 message as MCP uses it; its methods and their params are MCP's (modelcontextprotocol.io), not this document's. */
const JSON_RPC_MESSAGE: JsonSchema = {
  type: "object",
  required: ["jsonrpc"],
  properties: {
    jsonrpc: { const: "2.0" },
    id: { type: ["string", "integer"], description: "Present on requests and their responses; left out on notifications" },
    method: {
      type: "string",
      description: 'On requests and notifications, e.g. "initialize", "tools/list", "tools/call", "resources/read"',
    },
    params: { type: "object", description: 'The method\'s parameters, e.g. {"name": "run_plan", "arguments": {…}} for tools/call' },
    result: { type: "object", description: "On a successful response" },
    error: {
      type: "object",
      description: "On a failed response: {code, message, data}",
      properties: { code: { type: "integer" }, message: { type: "string" } },
    },
  },
};

/** POST /api/mcp: not part of /api/v1, but authenticated and scoped the same way. */
function mcpOperation(): JsonSchema {
  const message = { oneOf: [JSON_RPC_MESSAGE, { type: "array", items: JSON_RPC_MESSAGE, minItems: 1 }] };
  return {
    operationId: "mcp",
    summary: "Batchboard's MCP server over Streamable HTTP (stateless, JSON answers)",
    description:
      "Model Context Protocol for agents: POST JSON-RPC messages (initialize, then tools/list, tools/call, resources/list, resources/read). Tools: validate_plan, plan_batches, run_plan, run_batch, get_run, read_output, retry_run, cancel_run, undo_run, list_plans, get_plan; resources: the plan JSON Schema and the docs. Each tool acts with the token's role in its team, as /api/v1 does; `tools/list` gives every tool's input and output schema. See docs/agents.md. Needs the `plan:read` permission; tools that start, repair or undo runs need `run:start` or `run:repair`.",
    tags: ["agents"],
    parameters: [
      {
        name: "Accept",
        in: "header",
        required: true,
        description: "Must accept both application/json and text/event-stream, as the Streamable HTTP transport requires",
        schema: { type: "string", example: "application/json, text/event-stream" },
      },
    ],
    requestBody: { required: true, content: { "application/json": { schema: message } } },
    responses: {
      "200": { description: "The JSON-RPC response(s) to the request(s)", content: { "application/json": { schema: message } } },
      "202": { description: "Accepted: the body held only notifications or responses, so nothing is answered" },
      ...Object.fromEntries(
        (["401", "403", "500"] as const).map((status) => [
          status,
          { description: ERROR_STATUSES[status], content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
        ]),
      ),
      "405": {
        description: "Only POST: the server is stateless, with no stream to open (GET) or session to end (DELETE)",
        content: { "application/json": { schema: JSON_RPC_MESSAGE } },
      },
      "406": {
        description: "The Accept header does not accept both application/json and text/event-stream",
        content: { "application/json": { schema: JSON_RPC_MESSAGE } },
      },
    },
  };
}

/** The document served at /api/v1/openapi.json. */
export function buildOpenApiDocument(): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const endpoint of ENDPOINTS) {
    (paths[`/api/v1${endpoint.path}`] ??= {})[endpoint.method] = operationOf(endpoint);
  }
  paths["/api/mcp"] = { post: mcpOperation() };
  return {
    openapi: "3.1.0",
    info: {
      title: "Batchboard API",
      version: "1",
      description:
        "See docs/api.md. Authenticate with `Authorization: Bearer <API token>`. Every error, including an unknown route (404) or method (405), is `{error: {code, message, issues}}`.",
      license: { name: "MIT", identifier: "MIT" },
    },
    servers: [{ url: "/", description: "The Batchboard server that serves this document" }],
    tags: [
      { name: "plans", description: "Plans, their versions, and the team's workspaces" },
      { name: "runs", description: "Runs of plans: start, follow, repair and undo" },
      { name: "agents", description: "The MCP server for coding agents (docs/agents.md)" },
    ],
    components: {
      securitySchemes: { token: { type: "http", scheme: "bearer", description: "An API token from Settings → API tokens" } },
      schemas: {
        ...planComponents(),
        RunEvent: toSchema(RunEvent, "output"),
        Error: toSchema(Schemas.ApiErrorBody, "output"),
      },
    },
    security: [{ token: [] }],
    paths,
  };
}
