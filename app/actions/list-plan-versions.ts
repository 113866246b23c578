"use server";

import * as z from "zod";
import { listPlanVersions as listVersions } from "@/lib/db/plan-versions";
import { defineAction } from "@/lib/server/action-client";

/** A plan's version history, newest first. */
export const listPlanVersions = defineAction(
  { input: z.object({ planId: z.string().min(1) }), permission: "plan:read" },
  async (input, { app, caller }) => listVersions(app.db.client, caller.teamId, input.planId),
);
