/**
 * Every operation of /api/v1 as the route files implement it: method, path,
 * permission and the zod schemas of its parameters, body and answer. The
 * OpenAPI document (openapi.ts) and the 405 answers (method-not-allowed.ts)
 * are generated from this one table.
 */
import * as z from "zod";
import { RunReport } from "../../runner/run-report";
import * as InstanceRoutes from "./instance-schemas";
import * as RunSchemas from "./run-schemas";
import * as Schemas from "./schemas";
import * as WorkspaceSchemas from "./workspace-schemas";

/** A JSON Schema object. */
export type JsonSchema = Record<string, unknown>;
type Method = "get" | "post" | "patch";

export interface HeaderParameter {
  name: string;
  description: string;
  schema: JsonSchema;
}

/** One operation of the API, as route files implement it. */
export interface Endpoint {
  method: Method;
  path: string;
  operationId: string;
  summary: string;
  permission: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: readonly HeaderParameter[];
  body?: z.ZodType;
  /** Whether the body may be left out (its schema fills in defaults). */
  bodyOptional?: boolean;
  response?: z.ZodType;
  status?: number;
  /** The answer carries a Location header naming the created plan or run. */
  location?: boolean;
  responseType?: "json" | "event-stream" | "text";
}

export const ENDPOINTS: readonly Endpoint[] = [
  {
    method: "get",
    path: "/me",
    operationId: "getMe",
    summary: "Who the token belongs to, its team and role",
    permission: "plan:read",
    response: Schemas.Me,
  },
  {
    method: "get",
    path: "/plans",
    operationId: "listPlans",
    summary: "List the team's plans",
    permission: "plan:read",
    query: Schemas.ListPlansQuery,
    response: Schemas.PlanList,
  },
  {
    method: "post",
    path: "/plans",
    operationId: "createPlan",
    summary: "Create a plan from a plan document",
    permission: "plan:edit",
    body: Schemas.CreatePlanBody,
    response: Schemas.CreatedPlan,
    status: 201,
    location: true,
  },
  {
    method: "get",
    path: "/plans/{planId}",
    operationId: "getPlan",
    summary: "Get a plan",
    permission: "plan:read",
    params: Schemas.PlanParams,
    response: Schemas.PlanEnvelope,
  },
  {
    method: "patch",
    path: "/plans/{planId}",
    operationId: "updatePlan",
    summary: "Rename, describe, tag, archive or restore a plan",
    permission: "plan:edit",
    params: Schemas.PlanParams,
    body: Schemas.UpdatePlanBody,
    response: Schemas.PlanEnvelope,
  },
  {
    method: "get",
    path: "/plans/{planId}/versions",
    operationId: "listPlanVersions",
    summary: "List a plan's versions, newest first",
    permission: "plan:read",
    params: Schemas.PlanParams,
    response: Schemas.VersionList,
  },
  {
    method: "post",
    path: "/plans/{planId}/versions",
    operationId: "savePlanVersion",
    summary: "Save a new version on top of baseVersion",
    permission: "plan:edit",
    params: Schemas.PlanParams,
    body: Schemas.SaveVersionBody,
    response: Schemas.SavedVersion,
    status: 201,
  },
  {
    method: "get",
    path: "/plans/{planId}/versions/{number}",
    operationId: "getPlanVersion",
    summary: "Get one version with its document",
    permission: "plan:read",
    params: Schemas.VersionParams,
    response: Schemas.VersionEnvelope,
  },
  {
    method: "get",
    path: "/workspaces",
    operationId: "listWorkspaces",
    summary: "The team's active workspaces (ids for starting runs); archived ones too with ?archived=true",
    permission: "plan:read",
    response: Schemas.WorkspaceList,
  },
  {
    method: "post",
    path: "/workspaces",
    operationId: "registerWorkspace",
    summary: "Register a workspace: a new directory, or an existing one under the workspace root",
    permission: "team:manage",
    body: WorkspaceSchemas.RegisterWorkspaceBody,
    response: z.object({ workspace: WorkspaceSchemas.WorkspaceSummary }),
    status: 201,
    location: true,
  },
  {
    method: "get",
    path: "/workspaces/{workspaceId}",
    operationId: "getWorkspace",
    summary: "One workspace with its sandbox settings",
    permission: "plan:read",
    params: WorkspaceSchemas.WorkspaceParams,
    response: z.object({ workspace: WorkspaceSchemas.WorkspaceSummary }),
  },
  {
    method: "patch",
    path: "/workspaces/{workspaceId}",
    operationId: "updateWorkspace",
    summary: "Rename, archive or restore a workspace, or replace its sandbox settings",
    permission: "team:manage",
    params: WorkspaceSchemas.WorkspaceParams,
    body: WorkspaceSchemas.UpdateWorkspaceBody,
    response: z.object({ workspace: WorkspaceSchemas.WorkspaceSummary }),
  },
  {
    method: "post",
    path: "/teams",
    operationId: "createTeam",
    summary: "Create a team with the caller as owner (instance administrators, or everyone when self-service teams are on)",
    permission: "instance administrator",
    body: InstanceRoutes.CreateTeamBody,
    response: InstanceRoutes.CreatedTeam,
    status: 201,
  },
  {
    method: "get",
    path: "/instance",
    operationId: "getInstance",
    summary: "The instance settings",
    permission: "plan:read",
    response: InstanceRoutes.InstanceSettingsEnvelope,
  },
  {
    method: "patch",
    path: "/instance",
    operationId: "updateInstance",
    summary: "Change the instance settings (self-service teams)",
    permission: "instance administrator",
    body: InstanceRoutes.InstanceSettingsBody,
    response: InstanceRoutes.InstanceSettingsEnvelope,
  },
  {
    method: "get",
    path: "/instance/users",
    operationId: "listInstanceUsers",
    summary: "Every account, with its administrator flag",
    permission: "instance administrator",
    response: InstanceRoutes.InstanceUserList,
  },
  {
    method: "patch",
    path: "/instance/users/{userId}",
    operationId: "updateInstanceUser",
    summary: "Promote or demote an instance administrator (never the last one)",
    permission: "instance administrator",
    params: InstanceRoutes.InstanceUserParams,
    body: InstanceRoutes.InstanceUserBody,
    response: InstanceRoutes.UpdatedInstanceUser,
  },
  {
    method: "get",
    path: "/runs",
    operationId: "listRuns",
    summary: "List the team's runs, newest first",
    permission: "plan:read",
    query: RunSchemas.ListRunsQuery,
    response: RunSchemas.RunList,
  },
  {
    method: "post",
    path: "/runs",
    operationId: "startRun",
    summary:
      "Start a run of a stored plan, an inline plan document or a list of tool calls; with ?wait=SECONDS answers 200 with the finished run's report (RunReport), or 202 with the run id and progress when the wait ends first",
    permission: "run:start",
    query: RunSchemas.StartRunQuery,
    body: RunSchemas.StartRunBody,
    response: RunSchemas.StartedRun,
    status: 202,
    location: true,
  },
  {
    method: "get",
    path: "/runs/{runId}/report",
    operationId: "getRunReport",
    summary:
      "The run's report: per-node status, attempt, exit code, output tails, errors, diffs (inline up to a limit, linked beyond), why nodes were skipped or rolled back, and what a retry would run",
    permission: "plan:read",
    params: RunSchemas.RunParams,
    response: RunReport,
  },
  {
    method: "get",
    path: "/runs/{runId}",
    operationId: "getRun",
    summary: "Run status with per-node results",
    permission: "plan:read",
    params: RunSchemas.RunParams,
    response: RunSchemas.RunDetail,
  },
  {
    method: "get",
    path: "/runs/{runId}/events",
    operationId: "streamRunEvents",
    summary: "Stream the run's events (server-sent events) until its final status",
    permission: "plan:read",
    params: RunSchemas.RunParams,
    query: RunSchemas.EventsQuery,
    headers: [
      {
        name: "Last-Event-ID",
        description: "Resume after this event sequence number; browsers send it when they reconnect",
        schema: { type: "string", pattern: "^[0-9]+$" },
      },
    ],
    responseType: "event-stream",
  },
  {
    method: "post",
    path: "/runs/{runId}/retry-failed",
    operationId: "retryFailedNodes",
    summary: "Start a new run of only the failed, skipped, cancelled and interrupted nodes",
    permission: "run:repair",
    params: RunSchemas.RunParams,
    response: RunSchemas.StartedRun,
    status: 202,
    location: true,
  },
  {
    method: "post",
    path: "/runs/{runId}/retry",
    operationId: "retryRun",
    summary:
      "Retry a finished run, optionally with a revised plan (reruns failed, skipped and changed nodes and their dependents, reuses unchanged successes); ?wait= as for starting a run",
    permission: "run:repair",
    params: RunSchemas.RunParams,
    query: RunSchemas.StartRunQuery,
    body: RunSchemas.RetryRunBody,
    response: RunSchemas.StartedRun,
    status: 202,
    location: true,
  },
  {
    method: "post",
    path: "/runs/{runId}/cancel",
    operationId: "cancelRun",
    summary: "Cancel a running run",
    permission: "run:repair",
    params: RunSchemas.RunParams,
    response: RunSchemas.CancellingRun,
    status: 202,
  },
  {
    method: "post",
    path: "/runs/{runId}/resume",
    operationId: "resumeRun",
    summary: "Continue an interrupted run in place",
    permission: "run:repair",
    params: RunSchemas.RunParams,
    response: RunSchemas.StartedRun,
    status: 202,
    location: true,
  },
  {
    method: "post",
    path: "/runs/{runId}/undo",
    operationId: "undoRun",
    summary: "Revert the run's file changes; with conflicts and no force, nothing is restored",
    permission: "run:repair",
    params: RunSchemas.RunParams,
    body: RunSchemas.UndoBody,
    bodyOptional: true,
    response: RunSchemas.UndoResult,
  },
  {
    method: "post",
    path: "/runs/{runId}/nodes/{nodeId}/retry",
    operationId: "retryNode",
    summary: "A new run of one node and its dependents",
    permission: "run:repair",
    params: RunSchemas.NodeParams,
    response: RunSchemas.StartedRun,
    status: 202,
    location: true,
  },
  {
    method: "post",
    path: "/runs/{runId}/nodes/{nodeId}/cancel",
    operationId: "cancelNode",
    summary: "Cancel one running node",
    permission: "run:repair",
    params: RunSchemas.NodeParams,
    response: RunSchemas.CancellingNode,
    status: 202,
  },
  {
    method: "get",
    path: "/runs/{runId}/nodes/{nodeId}/log",
    operationId: "getNodeLog",
    summary: "A node's stdout and stderr as text",
    permission: "plan:read",
    params: RunSchemas.NodeParams,
    responseType: "text",
  },
  {
    method: "get",
    path: "/runs/{runId}/changes/{changeSeq}",
    operationId: "getFileChange",
    summary: "One journalled file change with its diff",
    permission: "plan:read",
    params: RunSchemas.ChangeParams,
    response: RunSchemas.FileChangeDetail,
  },
];
