/** Signed-in browser sessions: only the sha-256 of the cookie's secret is stored. */
import type { DbExecutor } from "./transaction";

export async function createSession(
  client: DbExecutor,
  session: { userId: string; tokenHash: string; expiresAt: Date; currentTeam?: string | null },
) {
  return client.session.create({ data: { ...session, currentTeam: session.currentTeam ?? null } });
}

/** The live session for a cookie, with its user; expired sessions read as missing. */
export async function findActiveSession(client: DbExecutor, tokenHash: string, now = new Date()) {
  return client.session.findFirst({
    where: { tokenHash, expiresAt: { gt: now } },
    include: { user: { select: { id: true, email: true, name: true } } },
  });
}

export async function setSessionTeam(client: DbExecutor, tokenHash: string, teamId: string): Promise<void> {
  await client.session.updateMany({ where: { tokenHash }, data: { currentTeam: teamId } });
}

export async function deleteSession(client: DbExecutor, tokenHash: string): Promise<void> {
  await client.session.deleteMany({ where: { tokenHash } });
}

/** Housekeeping: expired rows are never read, this only keeps the table small. */
export async function deleteExpiredSessions(client: DbExecutor, now = new Date()): Promise<number> {
  const { count } = await client.session.deleteMany({ where: { expiresAt: { lte: now } } });
  return count;
}
