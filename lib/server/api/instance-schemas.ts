/** Bodies of the instance administration endpoints (teams, settings, administrators). */
import * as z from "zod";
import { TeamName } from "../../auth/schemas";

export const CreateTeamBody = z.object({ name: TeamName });
export const InstanceSettingsBody = z.object({ selfServiceTeams: z.boolean().optional() }).strict();
export const InstanceUserParams = z.object({ userId: z.string().min(1) });
export const InstanceUserBody = z.object({ isAdmin: z.boolean() }).strict();

/** Responses. */
export const CreatedTeam = z.object({ team: z.object({ id: z.string(), name: z.string(), slug: z.string() }) });
export const InstanceSettingsEnvelope = z.object({
  settings: z.object({ selfServiceTeams: z.boolean().describe("Whether anyone signed in may create a team") }),
});
export const InstanceUserList = z.object({
  users: z.array(
    z.object({ id: z.string(), email: z.string(), name: z.string(), isAdmin: z.boolean().describe("An instance administrator") }),
  ),
});
export const UpdatedInstanceUser = z.object({ userId: z.string(), isAdmin: z.boolean() });
