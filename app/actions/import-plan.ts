"use server";

import * as z from "zod";
import { importPlan as importPlanFile } from "@/lib/server/plan-library";
import { defineAction } from "@/lib/server/action-client";

/** Imports a plan JSON file; the server validates again, whatever the browser said. */
export const importPlan = defineAction(
  {
    input: z.object({
      text: z
        .string()
        .min(1, "The file is empty")
        .max(32 * 1024 * 1024, "The file is larger than 32 MB"),
      tags: z.array(z.string().trim().min(1).max(50)).max(20).default([]),
    }),
    permission: "plan:edit",
  },
  async (input, { app, caller }) => importPlanFile(app.db.client, caller, input),
);
