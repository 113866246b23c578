"use server";

import * as z from "zod";
import { duplicatePlan as duplicateLatestVersion } from "@/lib/server/plan-library";
import { defineAction } from "@/lib/server/action-client";

/** Copies a plan's newest version into a new plan. */
export const duplicatePlan = defineAction(
  { input: z.object({ planId: z.string().min(1) }), permission: "plan:edit" },
  async (input, { app, caller }) => duplicateLatestVersion(app.db.client, caller, input.planId),
);
