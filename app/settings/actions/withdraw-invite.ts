"use server";

import * as z from "zod";
import { revokeInvite } from "@/lib/db/invites";
import { defineAction } from "@/lib/server/action-client";

export const withdrawInvite = defineAction(
  { input: z.object({ inviteId: z.string().min(1) }), permission: "team:manage" },
  async ({ inviteId }, { app, caller }) => revokeInvite(app.db.client, caller.teamId, inviteId),
);
