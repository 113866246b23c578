"use server";

import * as z from "zod";
import { listTags as listTeamTags } from "@/lib/db/plans";
import { defineAction } from "@/lib/server/action-client";

/** Tags in use in the caller's team, for the library's filter. */
export const listTags = defineAction({ input: z.object({}), permission: "plan:read" }, async (_input, { app, caller }) =>
  listTeamTags(app.db.client, caller.teamId),
);
