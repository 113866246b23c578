"use server";

import * as z from "zod";
import { NotFoundError } from "@/lib/db/errors";
import { findMembership } from "@/lib/db/teams";
import { defineAction } from "@/lib/server/action-client";
import { switchSessionTeam } from "@/lib/server/session-cookie";

/** Switches this browser to another of the caller's teams; a team they are not in reads as missing. */
export const switchTeam = defineAction(
  { input: z.object({ teamId: z.string().min(1) }), permission: "plan:read" },
  async ({ teamId }, { app, caller }) => {
    if (!(await findMembership(app.db.client, teamId, caller.userId))) throw new NotFoundError("Team");
    await switchSessionTeam(teamId);
  },
);
