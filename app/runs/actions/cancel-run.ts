"use server";

import { z } from "zod";
import { defineAction } from "@/lib/server/action-client";

/** Cancels the whole run, or one node of it when `nodeId` is given. */
export const cancelRun = defineAction(
  { input: z.object({ runId: z.string().min(1), nodeId: z.string().min(1).optional() }), permission: "run:repair" },
  async ({ runId, nodeId }, { app, caller }) => {
    const scope = { teamId: caller.teamId, userId: caller.userId };
    if (nodeId) await app.runs.cancelNode(scope, runId, nodeId);
    else await app.runs.cancelRun(scope, runId);
    return { runId };
  },
);
