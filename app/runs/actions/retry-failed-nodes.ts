"use server";

import { z } from "zod";
import { defineAction } from "@/lib/server/action-client";

/** A new run of only the failed, skipped, cancelled and interrupted nodes, reusing what succeeded. */
export const retryFailedNodes = defineAction(
  { input: z.object({ runId: z.string().min(1) }), permission: "run:repair" },
  async ({ runId }, { app, caller }) => app.runs.retryFailed({ teamId: caller.teamId, userId: caller.userId }, runId),
);
