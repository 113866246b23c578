"use server";

import { z } from "zod";
import { TeamName } from "@/lib/auth/schemas";
import { createTeam as create } from "@/lib/db/teams";
import { defineAction } from "@/lib/server/action-client";
import { switchSessionTeam } from "@/lib/server/session-cookie";

/** Anyone signed in may start a team of their own (as its owner) and switches to it. */
export const createTeam = defineAction(
  { input: z.object({ name: TeamName }), permission: "plan:read" },
  async ({ name }, { app, caller }) => {
    const team = await create(app.db.client, { name, ownerId: caller.userId, workspaceRoot: app.env.BATCHBOARD_WORKSPACE_ROOT });
    await switchSessionTeam(team.id);
    return { teamId: team.id };
  },
);
