"use server";

import * as z from "zod";
import { getPlanVersion as getVersion } from "@/lib/db/plan-versions";
import { defineAction } from "@/lib/server/action-client";

/** One version's document, for the diff view. */
export const getPlanVersion = defineAction(
  { input: z.object({ planId: z.string().min(1), number: z.number().int().min(1) }), permission: "plan:read" },
  async (input, { app, caller }) => {
    const version = await getVersion(app.db.client, caller.teamId, input.planId, input.number);
    return { number: version.number, document: version.graph as unknown, isDraft: version.isDraft, message: version.message };
  },
);
