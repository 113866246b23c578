"use server";

import * as z from "zod";
import { TeamName } from "@/lib/auth/schemas";
import { defineAction } from "@/lib/server/action-client";
import { createTeamFor } from "@/lib/server/instance-admin";
import { switchSessionTeam } from "@/lib/server/session-cookie";

/** Instance administrators (everyone, with self-service teams on) start a team as its owner and switch to it. */
export const createTeam = defineAction(
  { input: z.object({ name: TeamName }), permission: "plan:read" },
  async ({ name }, { app, caller }) => {
    const team = await createTeamFor(app.db.client, app.env, caller.userId, name);
    await switchSessionTeam(team.id);
    return { teamId: team.id };
  },
);
