"use server";

import * as z from "zod";
import { setPlanArchived } from "@/lib/db/plans";
import { defineAction } from "@/lib/server/action-client";

/** Brings an archived plan back into the library. */
export const restorePlan = defineAction(
  { input: z.object({ planId: z.string().min(1) }), permission: "plan:edit" },
  async (input, { app, caller }) => {
    await setPlanArchived(app.db.client, caller.teamId, input.planId, false);
    return { planId: input.planId };
  },
);
