/**
 * Teams and their members. Role changes and removals never leave a team
 * without an owner, because nobody could then manage it.
 */
import { ConflictError, DomainError, NotFoundError } from "./errors";
import type { Role } from "./generated/sqlite/enums";
import { translated, withinTransaction, type DbExecutor } from "./transaction";
import { registerWorkspace, type WorkspacePlacement } from "./workspaces";

export interface TeamMembership {
  teamId: string;
  teamName: string;
  teamSlug: string;
  role: Role;
}

/** Every team a person belongs to, oldest membership first (the default team). */
export async function listTeamsOfUser(client: DbExecutor, userId: string): Promise<TeamMembership[]> {
  const rows = await client.membership.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    include: { team: { select: { name: true, slug: true } } },
  });
  return rows.map((row) => ({ teamId: row.teamId, teamName: row.team.name, teamSlug: row.team.slug, role: row.role }));
}

export async function findMembership(client: DbExecutor, teamId: string, userId: string) {
  return client.membership.findUnique({ where: { userId_teamId: { userId, teamId } } });
}

export async function listMembers(client: DbExecutor, teamId: string) {
  const rows = await client.membership.findMany({
    where: { teamId },
    orderBy: { createdAt: "asc" },
    include: { user: { select: { id: true, email: true, name: true } } },
  });
  return rows.map((row) => ({ userId: row.user.id, email: row.user.email, name: row.user.name, role: row.role, joinedAt: row.createdAt }));
}

async function assertAnotherOwnerRemains(tx: DbExecutor, teamId: string, userId: string): Promise<void> {
  const otherOwners = await tx.membership.count({ where: { teamId, role: "owner", userId: { not: userId } } });
  if (otherOwners === 0) {
    throw new DomainError("invalid", "A team needs at least one owner", { role: ["Make someone else owner first"] });
  }
}

export async function changeMemberRole(client: DbExecutor, teamId: string, userId: string, role: Role): Promise<void> {
  await withinTransaction(client, async (tx) => {
    const membership = await findMembership(tx, teamId, userId);
    if (!membership) throw new NotFoundError("Member");
    if (membership.role === "owner" && role !== "owner") await assertAnotherOwnerRemains(tx, teamId, userId);
    await tx.membership.update({ where: { id: membership.id }, data: { role } });
  });
}

/** Removes a member and revokes their tokens for this team, so a removed person's scripts stop at once. */
export async function removeMember(client: DbExecutor, teamId: string, userId: string): Promise<void> {
  await withinTransaction(client, async (tx) => {
    const membership = await findMembership(tx, teamId, userId);
    if (!membership) throw new NotFoundError("Member");
    if (membership.role === "owner") await assertAnotherOwnerRemains(tx, teamId, userId);
    await tx.membership.delete({ where: { id: membership.id } });
    await tx.apiToken.updateMany({ where: { teamId, userId, revokedAt: null }, data: { revokedAt: new Date() } });
  });
}

export async function addMember(client: DbExecutor, teamId: string, userId: string, role: Role) {
  const existing = await findMembership(client, teamId, userId);
  if (existing) throw new ConflictError("Already a member of this team");
  return translated(client.membership.create({ data: { teamId, userId, role } }));
}

function slugOf(name: string): string {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 40) || "team";
  return `${base}-${Math.random().toString(36).slice(2, 8)}`;
}

/** A new team with its creator as owner and a `default` workspace, ready to use. */
export async function createTeam(client: DbExecutor, input: { name: string; ownerId: string; placement: WorkspacePlacement }) {
  return withinTransaction(client, async (tx) => {
    const team = await tx.team.create({ data: { name: input.name, slug: slugOf(input.name) } });
    await tx.membership.create({ data: { teamId: team.id, userId: input.ownerId, role: "owner" } });
    await registerWorkspace(tx, team.id, { name: "default", source: { kind: "new" } }, input.placement);
    return team;
  });
}

export async function getTeam(client: DbExecutor, teamId: string) {
  const team = await client.team.findUnique({ where: { id: teamId }, select: { id: true, name: true } });
  if (!team) throw new NotFoundError("Team");
  return team;
}
