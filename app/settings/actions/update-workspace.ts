"use server";

import * as z from "zod";
import { defineAction } from "@/lib/server/action-client";
import { UpdateWorkspaceBody } from "@/lib/server/api/workspace-schemas";
import { updateTeamWorkspace } from "@/lib/server/workspace-service";

/** Owners rename, archive or restore a workspace, or change its sandbox settings. */
export const updateWorkspace = defineAction(
  { input: z.object({ workspaceId: z.string().min(1), patch: UpdateWorkspaceBody }), permission: "team:manage" },
  async ({ workspaceId, patch }, { app, caller }) => updateTeamWorkspace(app.db.client, caller.teamId, workspaceId, patch),
);
