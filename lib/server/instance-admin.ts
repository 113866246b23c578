/**
 * Who may create teams and administer the instance. Administrators create
 * teams (the setup owner is the first; they promote others); an instance
 * setting lets everyone create teams. Server actions and API routes both go
 * through here, so the rule is written once.
 */
import { DomainError } from "../db/errors";
import { getInstanceSettings, isInstanceAdmin, saveInstanceSettings, setInstanceAdmin, type InstanceSettings } from "../db/instance";
import { createTeam } from "../db/teams";
import type { DbExecutor } from "../db/transaction";
import { workspacePlacementOf, type Env } from "../env";

export const TEAM_CREATION_REFUSED =
  "Only instance administrators can create teams; ask an administrator to create it, or to allow self-service teams in Settings → Instance";

const defaultsOf = (env: Env): InstanceSettings => ({ selfServiceTeams: env.BATCHBOARD_SELF_SERVICE_TEAMS });

export async function readInstanceSettings(client: DbExecutor, env: Env): Promise<InstanceSettings> {
  return getInstanceSettings(client, defaultsOf(env));
}

/** Whether this person may create a team now, and if not, why. */
export async function teamCreationAllowance(
  client: DbExecutor,
  env: Env,
  userId: string,
): Promise<{ allowed: boolean; reason: string | null }> {
  if (await isInstanceAdmin(client, userId)) return { allowed: true, reason: null };
  if ((await readInstanceSettings(client, env)).selfServiceTeams) return { allowed: true, reason: null };
  return { allowed: false, reason: TEAM_CREATION_REFUSED };
}

/** A new team owned by the caller, when they may create one; DomainError "forbidden" otherwise. */
export async function createTeamFor(client: DbExecutor, env: Env, userId: string, name: string) {
  const { allowed, reason } = await teamCreationAllowance(client, env, userId);
  if (!allowed) throw new DomainError("forbidden", reason ?? TEAM_CREATION_REFUSED);
  return createTeam(client, { name, ownerId: userId, placement: workspacePlacementOf(env) });
}

export async function assertInstanceAdmin(client: DbExecutor, userId: string): Promise<void> {
  if (!(await isInstanceAdmin(client, userId))) throw new DomainError("forbidden", "Only instance administrators may change this");
}

export async function updateInstanceSettings(client: DbExecutor, env: Env, userId: string, patch: Partial<InstanceSettings>) {
  await assertInstanceAdmin(client, userId);
  await saveInstanceSettings(client, patch);
  return readInstanceSettings(client, env);
}

export async function changeInstanceAdmin(client: DbExecutor, userId: string, targetUserId: string, isAdmin: boolean): Promise<void> {
  await assertInstanceAdmin(client, userId);
  await setInstanceAdmin(client, targetUserId, isAdmin);
}
