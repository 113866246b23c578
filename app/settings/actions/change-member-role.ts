"use server";

import * as z from "zod";
import { RoleName } from "@/lib/auth/schemas";
import { changeMemberRole as changeRole } from "@/lib/db/teams";
import { defineAction } from "@/lib/server/action-client";

/** Owners change roles; the repository keeps at least one owner. */
export const changeMemberRole = defineAction(
  { input: z.object({ userId: z.string().min(1), role: RoleName }), permission: "team:manage" },
  async ({ userId, role }, { app, caller }) => changeRole(app.db.client, caller.teamId, userId, role),
);
