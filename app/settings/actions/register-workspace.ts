"use server";

import { defineAction } from "@/lib/server/action-client";
import { RegisterWorkspaceBody } from "@/lib/server/api/workspace-schemas";
import { registerTeamWorkspace } from "@/lib/server/workspace-service";

/** Owners register a workspace: a new directory under the workspace root, or an existing one there (a checkout). */
export const registerWorkspace = defineAction({ input: RegisterWorkspaceBody, permission: "team:manage" }, async (input, { app, caller }) =>
  registerTeamWorkspace(app.db.client, app.env, caller.teamId, input),
);
