"use server";

import * as z from "zod";
import { listPlans as listPlanSummaries } from "@/lib/db/plans";
import { defineAction } from "@/lib/server/action-client";

/** The library's rows for a search, tag and archived filter. */
export const listPlans = defineAction(
  {
    input: z.object({
      search: z.string().max(200).default(""),
      tag: z.string().max(100).default(""),
      archived: z.boolean().default(false),
    }),
    permission: "plan:read",
  },
  async (input, { app, caller }) =>
    listPlanSummaries(app.db.client, { teamId: caller.teamId, search: input.search, tag: input.tag, archived: input.archived }),
);
