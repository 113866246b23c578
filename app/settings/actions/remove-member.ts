"use server";

import * as z from "zod";
import { removeMember as remove } from "@/lib/db/teams";
import { defineAction } from "@/lib/server/action-client";

/** Owners remove members; the member's API tokens for this team stop working at once. */
export const removeMember = defineAction(
  { input: z.object({ userId: z.string().min(1) }), permission: "team:manage" },
  async ({ userId }, { app, caller }) => remove(app.db.client, caller.teamId, userId),
);
