"use server";

import { defineAction } from "@/lib/server/action-client";
import { StartRunRequest } from "@/lib/server/start-run-request";

/** Starts a run of a stored plan version in a team workspace or a fresh scratch directory. */
export const startRun = defineAction(
  {
    input: StartRunRequest,
    permission: "run:start",
  },
  async (input, { app, caller }) => app.runs.startPlanRun({ teamId: caller.teamId, userId: caller.userId }, input),
);
