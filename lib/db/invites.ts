/**
 * One-time invitation links. Accepting is a conditional update on `usedAt`,
 * so a link used twice at the same moment still admits one person.
 */
import { DomainError, NotFoundError } from "./errors";
import type { Role } from "./generated/sqlite/enums";
import { addMember } from "./teams";
import { withinTransaction, type DbExecutor } from "./transaction";

export async function createInvite(
  client: DbExecutor,
  invite: { teamId: string; role: Role; tokenHash: string; createdById: string; expiresAt: Date },
) {
  return client.invite.create({ data: invite });
}

/** An unused, unexpired invite with its team's name; null otherwise (the page says the link is no longer valid). */
export async function findUsableInvite(client: DbExecutor, tokenHash: string, now = new Date()) {
  return client.invite.findFirst({
    where: { tokenHash, usedAt: null, expiresAt: { gt: now } },
    include: { team: { select: { id: true, name: true } }, createdBy: { select: { name: true } } },
  });
}

export async function listPendingInvites(client: DbExecutor, teamId: string, now = new Date()) {
  return client.invite.findMany({
    where: { teamId, usedAt: null, expiresAt: { gt: now } },
    orderBy: { createdAt: "desc" },
    select: { id: true, role: true, expiresAt: true, createdAt: true, createdBy: { select: { name: true } } },
  });
}

/** Withdraws an invite: it is marked used, so the link stops working. */
export async function revokeInvite(client: DbExecutor, teamId: string, inviteId: string): Promise<void> {
  const { count } = await client.invite.updateMany({ where: { id: inviteId, teamId, usedAt: null }, data: { usedAt: new Date() } });
  if (count === 0) throw new NotFoundError("Invite");
}

/** Uses the invite for `userId`: marks it used and adds the membership, atomically. */
export async function acceptInvite(client: DbExecutor, tokenHash: string, userId: string, now = new Date()) {
  return withinTransaction(client, async (tx) => {
    const invite = await findUsableInvite(tx, tokenHash, now);
    if (!invite) throw new DomainError("invalid", "This invitation link is no longer valid");
    const { count } = await tx.invite.updateMany({ where: { id: invite.id, usedAt: null }, data: { usedAt: now } });
    if (count === 0) throw new DomainError("invalid", "This invitation link is no longer valid");
    await addMember(tx, invite.teamId, userId, invite.role);
    return { teamId: invite.teamId, teamName: invite.team.name, role: invite.role };
  });
}
