"use server";

import * as z from "zod";
import { defineAction } from "@/lib/server/action-client";
import { changeInstanceAdmin as change } from "@/lib/server/instance-admin";

/** Administrators promote or demote another administrator (never the last one). */
export const changeInstanceAdmin = defineAction(
  { input: z.object({ userId: z.string().min(1), isAdmin: z.boolean() }), permission: "plan:read" },
  async ({ userId, isAdmin }, { app, caller }) => change(app.db.client, caller.userId, userId, isAdmin),
);
