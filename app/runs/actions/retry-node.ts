"use server";

import { z } from "zod";
import { defineAction } from "@/lib/server/action-client";

/** A new run of one node and its dependents, reusing everything else. */
export const retryNode = defineAction(
  { input: z.object({ runId: z.string().min(1), nodeId: z.string().min(1) }), permission: "run:repair" },
  async ({ runId, nodeId }, { app, caller }) => app.runs.retryNode({ teamId: caller.teamId, userId: caller.userId }, runId, nodeId),
);
