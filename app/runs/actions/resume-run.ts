"use server";

import { z } from "zod";
import { defineAction } from "@/lib/server/action-client";

/** Continues an interrupted run in place. */
export const resumeRun = defineAction(
  { input: z.object({ runId: z.string().min(1) }), permission: "run:repair" },
  async ({ runId }, { app, caller }) => app.runs.resume({ teamId: caller.teamId, userId: caller.userId }, runId),
);
