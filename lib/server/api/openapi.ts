/**
 * The OpenAPI 3.1 document of /api/v1, generated from the same zod schemas
 * the route handlers validate with (z.toJSONSchema), so the published
 * contract is the enforced one.
 */
import { z } from "zod";
import { PlanDocument } from "../../plan/schema";
import { RunEvent } from "../../runner/run-events";
import { RunReport } from "../../runner/run-report";
import * as RunSchemas from "./run-schemas";
import * as InstanceRoutes from "./instance-schemas";
import * as Schemas from "./schemas";
import * as WorkspaceSchemas from "./workspace-schemas";

type JsonSchema = Record<string, unknown>;

interface Endpoint {
  method: "get" | "post" | "patch";
  path: string;
  summary: string;
  permission: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  response?: z.ZodType;
  status?: number;
  responseType?: "json" | "event-stream" | "text";
}

const ENDPOINTS: readonly Endpoint[] = [
  { method: "get", path: "/me", summary: "Who the token belongs to, its team and role", permission: "plan:read", response: Schemas.Me },
  { method: "get", path: "/plans", summary: "List the team's plans", permission: "plan:read", query: Schemas.ListPlansQuery, response: Schemas.PlanList },
  { method: "post", path: "/plans", summary: "Create a plan from a plan document", permission: "plan:edit", body: Schemas.CreatePlanBody, status: 201 },
  { method: "get", path: "/plans/{planId}", summary: "Get a plan", permission: "plan:read", params: Schemas.PlanParams },
  { method: "patch", path: "/plans/{planId}", summary: "Rename, describe, tag, archive or restore a plan", permission: "plan:edit", params: Schemas.PlanParams, body: Schemas.UpdatePlanBody },
  { method: "get", path: "/plans/{planId}/versions", summary: "List a plan's versions, newest first", permission: "plan:read", params: Schemas.PlanParams, response: Schemas.VersionList },
  { method: "post", path: "/plans/{planId}/versions", summary: "Save a new version on top of baseVersion", permission: "plan:edit", params: Schemas.PlanParams, body: Schemas.SaveVersionBody, response: Schemas.SavedVersion, status: 201 },
  { method: "get", path: "/plans/{planId}/versions/{number}", summary: "Get one version with its document", permission: "plan:read", params: Schemas.VersionParams, response: z.object({ version: Schemas.Version }) },
  { method: "get", path: "/workspaces", summary: "The team's active workspaces (ids for starting runs); archived ones too with ?archived=true", permission: "plan:read", response: Schemas.WorkspaceList },
  { method: "post", path: "/workspaces", summary: "Register a workspace: a new directory, or an existing one under the workspace root", permission: "team:manage", body: WorkspaceSchemas.RegisterWorkspaceBody, response: z.object({ workspace: WorkspaceSchemas.WorkspaceSummary }), status: 201 },
  { method: "get", path: "/workspaces/{workspaceId}", summary: "One workspace with its sandbox settings", permission: "plan:read", params: WorkspaceSchemas.WorkspaceParams, response: z.object({ workspace: WorkspaceSchemas.WorkspaceSummary }) },
  { method: "patch", path: "/workspaces/{workspaceId}", summary: "Rename, archive or restore a workspace, or replace its sandbox settings", permission: "team:manage", params: WorkspaceSchemas.WorkspaceParams, body: WorkspaceSchemas.UpdateWorkspaceBody, response: z.object({ workspace: WorkspaceSchemas.WorkspaceSummary }) },
  { method: "post", path: "/teams", summary: "Create a team with the caller as owner (instance administrators, or everyone when self-service teams are on)", permission: "instance administrator", body: InstanceRoutes.CreateTeamBody, status: 201 },
  { method: "get", path: "/instance", summary: "The instance settings", permission: "plan:read" },
  { method: "patch", path: "/instance", summary: "Change the instance settings (self-service teams)", permission: "instance administrator", body: InstanceRoutes.InstanceSettingsBody },
  { method: "get", path: "/instance/users", summary: "Every account, with its administrator flag", permission: "instance administrator" },
  { method: "patch", path: "/instance/users/{userId}", summary: "Promote or demote an instance administrator (never the last one)", permission: "instance administrator", params: InstanceRoutes.InstanceUserParams, body: InstanceRoutes.InstanceUserBody },
  { method: "get", path: "/runs", summary: "List the team's runs, newest first", permission: "plan:read", query: RunSchemas.ListRunsQuery, response: RunSchemas.RunList },
  { method: "post", path: "/runs", summary: "Start a run of a stored plan, an inline plan document or a list of tool calls; with ?wait=SECONDS answers 200 with the finished run's report (RunReport), or 202 with the run id and progress when the wait ends first", permission: "run:start", query: RunSchemas.StartRunQuery, body: RunSchemas.StartRunBody, response: RunSchemas.StartedRun, status: 202 },
  { method: "get", path: "/runs/{runId}/report", summary: "The run's report: per-node status, attempt, exit code, output tails, errors, diffs (inline up to a limit, linked beyond), why nodes were skipped or rolled back, and what a retry would run", permission: "plan:read", params: RunSchemas.RunParams, response: RunReport },
  { method: "get", path: "/runs/{runId}", summary: "Run status with per-node results", permission: "plan:read", params: RunSchemas.RunParams, response: RunSchemas.RunDetail },
  { method: "get", path: "/runs/{runId}/events", summary: "Stream the run's events (SSE); resumes after Last-Event-ID or ?after=; ?batch=1 sends each burst as one message whose data is a JSON array; ends at the final status", permission: "plan:read", params: RunSchemas.RunParams, responseType: "event-stream" },
  { method: "post", path: "/runs/{runId}/retry-failed", summary: "Start a new run of only the failed, skipped, cancelled and interrupted nodes", permission: "run:repair", params: RunSchemas.RunParams, response: RunSchemas.StartedRun, status: 202 },
  { method: "post", path: "/runs/{runId}/retry", summary: "Retry a finished run, optionally with a revised plan (reruns failed, skipped and changed nodes and their dependents, reuses unchanged successes); ?wait= as for starting a run", permission: "run:repair", params: RunSchemas.RunParams, query: RunSchemas.StartRunQuery, body: RunSchemas.RetryRunBody, response: RunSchemas.StartedRun, status: 202 },
  { method: "post", path: "/runs/{runId}/cancel", summary: "Cancel a running run", permission: "run:repair", params: RunSchemas.RunParams, status: 202 },
  { method: "post", path: "/runs/{runId}/resume", summary: "Continue an interrupted run in place", permission: "run:repair", params: RunSchemas.RunParams, response: RunSchemas.StartedRun, status: 202 },
  { method: "post", path: "/runs/{runId}/undo", summary: "Revert the run's file changes; with conflicts and no force, nothing is restored", permission: "run:repair", params: RunSchemas.RunParams },
  { method: "post", path: "/runs/{runId}/nodes/{nodeId}/retry", summary: "A new run of one node and its dependents", permission: "run:repair", params: RunSchemas.NodeParams, response: RunSchemas.StartedRun, status: 202 },
  { method: "post", path: "/runs/{runId}/nodes/{nodeId}/cancel", summary: "Cancel one running node", permission: "run:repair", params: RunSchemas.NodeParams, status: 202 },
  { method: "get", path: "/runs/{runId}/nodes/{nodeId}/log", summary: "A node's stdout and stderr as text", permission: "plan:read", params: RunSchemas.NodeParams, responseType: "text" },
  { method: "get", path: "/runs/{runId}/changes/{changeSeq}", summary: "One journalled file change with its diff", permission: "plan:read", params: RunSchemas.ChangeParams, response: RunSchemas.FileChangeDetail },
];


function toSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const json = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as JsonSchema;
  delete json.$schema;
  return json;
}

function parametersOf(endpoint: Endpoint): JsonSchema[] {
  const parameters: JsonSchema[] = [];
  for (const [where, schema] of [["path", endpoint.params], ["query", endpoint.query]] as const) {
    if (!schema) continue;
    for (const [name, field] of Object.entries(schema.shape)) {
      parameters.push({ name, in: where, required: where === "path" || !field.safeParse(undefined).success, schema: toSchema(field, "input") });
    }
  }
  return parameters;
}

function operationOf(endpoint: Endpoint): JsonSchema {
  const error = { $ref: "#/components/responses/Error" };
  const success = endpoint.responseType === "event-stream"
    ? { description: "Server-sent events", content: { "text/event-stream": { schema: { type: "string" } } } }
    : endpoint.responseType === "text"
      ? { description: "Plain text", content: { "text/plain": { schema: { type: "string" } } } }
      : { description: "OK", content: { "application/json": { schema: endpoint.response ? toSchema(endpoint.response, "output") : {} } } };
  return {
    summary: endpoint.summary,
    description: `Needs the \`${endpoint.permission}\` permission.`,
    parameters: parametersOf(endpoint),
    ...(endpoint.body
      ? { requestBody: { required: true, content: { "application/json": { schema: toSchema(endpoint.body, "input") } } } }
      : {}),
    responses: { [String(endpoint.status ?? 200)]: success, 400: error, 401: error, 403: error, 404: error, 409: error, 422: error },
  };
}

/** The document served at /api/v1/openapi.json. */
export function buildOpenApiDocument(): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const endpoint of ENDPOINTS) {
    (paths[`/api/v1${endpoint.path}`] ??= {})[endpoint.method] = operationOf(endpoint);
  }
  return {
    openapi: "3.1.0",
    info: { title: "Batchboard API", version: "1", description: "See docs/api.md. Authenticate with `Authorization: Bearer <API token>`." },
    components: {
      securitySchemes: { token: { type: "http", scheme: "bearer", description: "An API token from Settings → API tokens" } },
      schemas: {
        PlanDocument: toSchema(PlanDocument, "input"),
        RunEvent: toSchema(RunEvent, "output"),
        Error: toSchema(Schemas.ApiErrorBody, "output"),
      },
      responses: {
        Error: { description: "An error: `code`, `message`, and `issues` naming each offending field", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
      },
    },
    security: [{ token: [] }],
    paths,
  };
}
