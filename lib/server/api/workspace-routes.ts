/**
 * The workspace endpoints of /api/v1: every member lists the team's
 * workspaces (for `workspaceId` when starting a run); owners register,
 * rename, archive and change sandbox settings.
 */
import { getWorkspace, listWorkspaces } from "../../db/workspaces";
import { defineRoute } from "../route-handler";
import { presentWorkspace, registerTeamWorkspace, updateTeamWorkspace } from "../workspace-service";
import { RegisterWorkspaceBody, UpdateWorkspaceBody, WorkspaceParams } from "./workspace-schemas";

/** GET /api/v1/workspaces — active ones; archived ones too with ?archived=true. */
export const listWorkspacesRoute = defineRoute({ permission: "plan:read" }, async ({ app, caller, request }) => {
  const includeArchived = new URL(request.url).searchParams.get("archived") === "true";
  const workspaces = await listWorkspaces(app.db.client, caller.teamId, includeArchived ? {} : { archived: false });
  return { workspaces: workspaces.map(presentWorkspace) };
});

/** POST /api/v1/workspaces — a new directory, or an existing one under the workspace root. */
export const registerWorkspaceRoute = defineRoute(
  { permission: "team:manage", body: RegisterWorkspaceBody },
  async ({ app, caller, body }) => {
    const workspace = await registerTeamWorkspace(app.db.client, app.env, caller.teamId, body);
    return Response.json({ workspace }, { status: 201, headers: { location: `/api/v1/workspaces/${workspace.id}` } });
  },
);

export const getWorkspaceRoute = defineRoute({ permission: "plan:read", params: WorkspaceParams }, async ({ app, caller, params }) => ({
  workspace: presentWorkspace(await getWorkspace(app.db.client, caller.teamId, params.workspaceId)),
}));

/** PATCH /api/v1/workspaces/{id} — any subset of name, archived, sandbox. */
export const updateWorkspaceRoute = defineRoute(
  { permission: "team:manage", params: WorkspaceParams, body: UpdateWorkspaceBody },
  async ({ app, caller, params, body }) => ({
    workspace: await updateTeamWorkspace(app.db.client, caller.teamId, params.workspaceId, body),
  }),
);
