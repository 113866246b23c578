"use server";

import { z } from "zod";
import { defineAction } from "@/lib/server/action-client";

/** Reverts a run's file changes; refuses files changed since, unless forced. */
export const undoRun = defineAction(
  { input: z.object({ runId: z.string().min(1), force: z.boolean().default(false) }), permission: "run:repair" },
  async ({ runId, force }, { app, caller }) => app.runs.undo({ teamId: caller.teamId, userId: caller.userId }, runId, { force }),
);
