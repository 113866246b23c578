/**
 * Personal API tokens, each bound to one user and one team. Revocation is a
 * timestamp checked on every lookup, so a revoked token stops at once.
 */
import { NotFoundError } from "./errors";
import { translated, type DbExecutor } from "./transaction";

export async function createApiToken(
  client: DbExecutor,
  token: { userId: string; teamId: string; name: string; tokenHash: string; prefix: string },
) {
  return translated(client.apiToken.create({ data: token }));
}

/** A user's tokens for one team, newest first, never with the hash. */
export async function listApiTokens(client: DbExecutor, userId: string, teamId: string) {
  return client.apiToken.findMany({
    where: { userId, teamId },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
}

/** Only the token's own user may revoke it; anyone else's token reads as missing. */
export async function revokeApiToken(client: DbExecutor, userId: string, tokenId: string): Promise<void> {
  const { count } = await client.apiToken.updateMany({
    where: { id: tokenId, userId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (count === 0) throw new NotFoundError("Token");
}

/**
 * The unrevoked token with this hash and the owner's current role in its
 * team; null when revoked, unknown, or the user has left the team.
 */
export async function findActiveApiToken(client: DbExecutor, tokenHash: string) {
  const token = await client.apiToken.findFirst({ where: { tokenHash, revokedAt: null } });
  if (!token) return null;
  const membership = await client.membership.findUnique({
    where: { userId_teamId: { userId: token.userId, teamId: token.teamId } },
  });
  if (!membership) return null;
  return { token, role: membership.role };
}

/** Records use, at most once per `intervalMs`, so busy scripts don't write on every request. */
export async function touchApiToken(client: DbExecutor, tokenId: string, intervalMs: number, now = new Date()): Promise<void> {
  await client.apiToken.updateMany({
    where: { id: tokenId, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - intervalMs) } }] },
    data: { lastUsedAt: now },
  });
}
