"use server";

import * as z from "zod";
import { defineAction } from "@/lib/server/action-client";
import { updateInstanceSettings as update } from "@/lib/server/instance-admin";

/** Administrators turn self-service teams on or off. */
export const updateInstanceSettings = defineAction(
  { input: z.object({ selfServiceTeams: z.boolean() }), permission: "plan:read" },
  async (settings, { app, caller }) => update(app.db.client, app.env, caller.userId, settings),
);
