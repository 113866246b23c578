"use server";

import * as z from "zod";
import { defineAction } from "@/lib/server/action-client";

/** Starts a run of a stored plan version in a team workspace or a fresh scratch directory. */
export const startRun = defineAction(
  {
    input: z.object({
      planId: z.string().min(1),
      versionNumber: z.number().int().positive().optional(),
      workspaceId: z.string().min(1).optional(),
      dryRun: z.boolean().default(false),
      concurrency: z.number().int().min(1).max(256).optional(),
    }),
    permission: "run:start",
  },
  async (input, { app, caller }) => app.runs.startPlanRun({ teamId: caller.teamId, userId: caller.userId }, input),
);
