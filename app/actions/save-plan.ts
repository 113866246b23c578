"use server";

import * as z from "zod";
import { savePlan as savePlanVersion } from "@/lib/server/plan-library";
import { defineAction } from "@/lib/server/action-client";

/**
 * Saves the editor's plan as a new version. The document itself is checked
 * by `validatePlan` in the service (one rule set), not by this input schema.
 */
export const savePlan = defineAction(
  {
    input: z.object({
      planId: z.string().min(1),
      baseVersion: z.number().int().nonnegative(),
      document: z.unknown(),
      message: z.string().trim().max(500).default(""),
      asDraft: z.boolean().default(false),
    }),
    permission: "plan:edit",
  },
  async (input, { app, caller }) => savePlanVersion(app.db.client, caller, input),
);
