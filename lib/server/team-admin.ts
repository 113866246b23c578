/**
 * Owner and member self-service behind the settings screens: invitation
 * links and API tokens. Secrets are generated here, returned once, and only
 * their hashes are stored.
 */
import { generateSecret, hashSecret, VISIBLE_PREFIX_LENGTH } from "../auth/secret-tokens";
import { INVITE_LIFETIME_MS } from "../auth/session-policy";
import { createApiToken } from "../db/api-tokens";
import type { DbExecutor } from "../db/transaction";
import type { RoleName } from "../auth/schemas";
import { createInvite } from "../db/invites";
import type { Caller } from "./authenticate";

/** A one-time link for someone to join the caller's team with `role`; the path is shown once. */
export async function createInviteLink(client: DbExecutor, caller: Caller, role: RoleName) {
  const secret = generateSecret("invite");
  const expiresAt = new Date(Date.now() + INVITE_LIFETIME_MS);
  await createInvite(client, { teamId: caller.teamId, role, tokenHash: hashSecret(secret), createdById: caller.userId, expiresAt });
  return { path: `/invite/${secret}`, role, expiresAt };
}

/** A new API token for the caller in their current team; the secret is returned once and never again. */
export async function issueApiToken(client: DbExecutor, caller: Caller, name: string) {
  const secret = generateSecret("api");
  const token = await createApiToken(client, {
    userId: caller.userId,
    teamId: caller.teamId,
    name,
    tokenHash: hashSecret(secret),
    prefix: secret.slice(0, VISIBLE_PREFIX_LENGTH),
  });
  return { secret, id: token.id, name: token.name, prefix: token.prefix };
}
