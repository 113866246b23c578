"use server";

import * as z from "zod";
import { setWorkspaceTag as setTag } from "@/lib/db/workers";
import { defineAction } from "@/lib/server/action-client";

/** Owners route a workspace's runs to the cluster workers serving a tag. */
export const setWorkspaceTag = defineAction(
  {
    input: z.object({
      workspaceId: z.string().min(1),
      tag: z
        .string()
        .trim()
        .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "Use lower-case letters, digits, '-' and '_'"),
    }),
    permission: "team:manage",
  },
  async ({ workspaceId, tag }, { app, caller }) => {
    await setTag(app.db.client, caller.teamId, workspaceId, tag);
    return { workspaceId, tag };
  },
);
