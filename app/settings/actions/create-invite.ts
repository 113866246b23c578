"use server";

import * as z from "zod";
import { RoleName } from "@/lib/auth/schemas";
import { defineAction } from "@/lib/server/action-client";
import { createInviteLink } from "@/lib/server/team-admin";

/** Owners create one-time invitation links, each for one role. */
export const createInvite = defineAction(
  { input: z.object({ role: RoleName }), permission: "team:manage" },
  async ({ role }, { app, caller }) => createInviteLink(app.db.client, caller, role),
);
