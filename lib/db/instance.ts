/**
 * Instance-wide administration: who the administrators are (they create
 * teams and promote or demote each other) and the instance settings row.
 */
import { DomainError, NotFoundError } from "./errors";
import { withinTransaction, type DbExecutor } from "./transaction";

const SETTINGS_ID = "instance";

export interface InstanceSettings {
  /** Whether any signed-in person may create a team, not only administrators. */
  selfServiceTeams: boolean;
}

/** The stored settings; a setting never saved takes its default (from the environment). */
export async function getInstanceSettings(client: DbExecutor, defaults: InstanceSettings): Promise<InstanceSettings> {
  const row = await client.instanceSettings.findUnique({ where: { id: SETTINGS_ID } });
  return { selfServiceTeams: row?.selfServiceTeams ?? defaults.selfServiceTeams };
}

export async function saveInstanceSettings(client: DbExecutor, settings: Partial<InstanceSettings>): Promise<void> {
  await client.instanceSettings.upsert({ where: { id: SETTINGS_ID }, create: { id: SETTINGS_ID, ...settings }, update: settings });
}

export async function isInstanceAdmin(client: DbExecutor, userId: string): Promise<boolean> {
  return (await client.user.findUnique({ where: { id: userId }, select: { isAdmin: true } }))?.isAdmin ?? false;
}

/** Everyone with an account, administrators first, for the administrators' screen. */
export async function listInstanceUsers(client: DbExecutor) {
  return client.user.findMany({
    where: { passwordHash: { not: null } },
    orderBy: [{ isAdmin: "desc" }, { createdAt: "asc" }],
    select: { id: true, email: true, name: true, isAdmin: true },
  });
}

/** Promotes or demotes an administrator; the last one cannot be demoted, or nobody could create teams again. */
export async function setInstanceAdmin(client: DbExecutor, userId: string, isAdmin: boolean): Promise<void> {
  await withinTransaction(client, async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { isAdmin: true } });
    if (!user) throw new NotFoundError("User");
    if (user.isAdmin && !isAdmin && (await tx.user.count({ where: { isAdmin: true, id: { not: userId } } })) === 0) {
      throw new DomainError("invalid", "The instance needs at least one administrator", { isAdmin: ["Promote someone else first"] });
    }
    await tx.user.update({ where: { id: userId }, data: { isAdmin } });
  });
}
