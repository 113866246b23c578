"use server";

import { z } from "zod";
import { registerWorkspace as register } from "@/lib/db/workspaces";
import { defineAction } from "@/lib/server/action-client";

/** Owners register a workspace: a name that becomes a directory under the configured workspace root. */
export const registerWorkspace = defineAction(
  { input: z.object({ name: z.string().trim().min(1, "Name the workspace").max(63) }), permission: "team:manage" },
  async ({ name }, { app, caller }) => {
    const workspace = await register(app.db.client, caller.teamId, name, app.env.BATCHBOARD_WORKSPACE_ROOT);
    return { id: workspace.id, name: workspace.name, directory: workspace.directory };
  },
);
