"use server";

import * as z from "zod";
import { restoreVersion } from "@/lib/server/plan-library";
import { defineAction } from "@/lib/server/action-client";

/** Makes an old version the newest again, as a new version. */
export const restorePlanVersion = defineAction(
  {
    input: z.object({ planId: z.string().min(1), number: z.number().int().min(1), baseVersion: z.number().int().nonnegative() }),
    permission: "plan:edit",
  },
  async (input, { app, caller }) => restoreVersion(app.db.client, caller, input),
);
