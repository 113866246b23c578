/** Bodies of the instance administration endpoints (teams, settings, administrators). */
import { z } from "zod";
import { TeamName } from "../../auth/schemas";

export const CreateTeamBody = z.object({ name: TeamName });
export const InstanceSettingsBody = z.object({ selfServiceTeams: z.boolean().optional() }).strict();
export const InstanceUserParams = z.object({ userId: z.string().min(1) });
export const InstanceUserBody = z.object({ isAdmin: z.boolean() }).strict();
