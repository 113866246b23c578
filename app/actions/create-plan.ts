"use server";

import * as z from "zod";
import { createBlankPlan } from "@/lib/server/plan-library";
import { defineAction } from "@/lib/server/action-client";

/** Creates an empty plan to draw in the editor. */
export const createPlan = defineAction(
  {
    input: z.object({
      name: z.string().trim().min(1, "Give the plan a name").max(200),
      description: z.string().max(10_000).default(""),
      tags: z.array(z.string().trim().min(1).max(50)).max(20).default([]),
    }),
    permission: "plan:edit",
  },
  async (input, { app, caller }) => createBlankPlan(app.db.client, caller, input),
);
