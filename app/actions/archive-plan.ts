"use server";

import * as z from "zod";
import { setPlanArchived } from "@/lib/db/plans";
import { defineAction } from "@/lib/server/action-client";

/** Moves a plan out of the library's main list; its versions and runs stay. */
export const archivePlan = defineAction(
  { input: z.object({ planId: z.string().min(1) }), permission: "plan:edit" },
  async (input, { app, caller }) => {
    await setPlanArchived(app.db.client, caller.teamId, input.planId, true);
    return { planId: input.planId };
  },
);
