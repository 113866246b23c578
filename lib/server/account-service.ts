/**
 * Accounts: sign-in with rate limiting, first-start setup, and joining a
 * team by invitation. Framework-free (the actions in app/ set the cookie), so
 * each rule is tested on real databases.
 */
import { getDecoyHash, hashPassword, verifyPassword } from "../auth/password";
import type { SetupInput, SignInInput, SignUpWithInviteInput } from "../auth/schemas";
import { hashSecret } from "../auth/secret-tokens";
import type { DbClient } from "../db/client";
import { ConflictError, DomainError } from "../db/errors";
import { acceptInvite, findUsableInvite } from "../db/invites";
import { inTransaction } from "../db/transaction";
import { claimFirstStartOwner, createUser, findUserByEmail } from "../db/users";
import { setupCodeMatches, setupNeedsCode } from "./setup-code";
import type { SignInLimiters } from "./sign-in-limiter";

export type SignInOutcome =
  | { ok: true; userId: string }
  | { ok: false; reason: "wrong_credentials" | "rate_limited"; message: string; retryAfterMs: number };

const WRONG = "Wrong email or password";

/**
 * Checks the password. The attempt is counted against the account+address
 * pair and the address *before* the password is verified, so parallel
 * guesses cannot slip past the limit while earlier ones are still being
 * checked; a correct password takes its attempt back.
 */
export async function signInWithPassword(
  client: DbClient,
  limiters: SignInLimiters,
  input: Pick<SignInInput, "email" | "password">,
  clientAddress: string,
): Promise<SignInOutcome> {
  const emailKey = input.email.toLowerCase();
  const pairKey = `${emailKey}\u0000${clientAddress}`;
  const byAddress = limiters.byAddress.attempt(clientAddress);
  const byPair = byAddress.allowed ? limiters.byAccountAndAddress.attempt(pairKey) : byAddress;
  if (!byAddress.allowed || !byPair.allowed) {
    if (byAddress.allowed) limiters.byAddress.forgive(clientAddress);
    const blocked = byAddress.allowed ? byPair : byAddress;
    const minutes = Math.ceil(blocked.retryAfterMs / 60_000);
    return {
      ok: false,
      reason: "rate_limited",
      message: `Too many failed attempts; try again in ${minutes} minute${minutes === 1 ? "" : "s"}`,
      retryAfterMs: blocked.retryAfterMs,
    };
  }
  const user = await findUserByEmail(client, emailKey);
  // Verify against a decoy when there is no password, so timing does not reveal which emails exist.
  const matches = await verifyPassword(user?.passwordHash ?? (await getDecoyHash()), input.password);
  if (!user?.passwordHash || !matches) return { ok: false, reason: "wrong_credentials", message: WRONG, retryAfterMs: 0 };
  limiters.byAccountAndAddress.reset(pairKey);
  limiters.byAddress.forgive(clientAddress);
  return { ok: true, userId: user.id };
}

/**
 * Turns the fresh install's built-in owner and team into the real ones.
 * From another machine it also needs the setup code the server printed.
 */
export async function completeSetup(
  client: DbClient,
  defaults: { ownerId: string; teamId: string },
  input: SetupInput,
  origin: { clientAddress: string; setupCode: string },
): Promise<{ userId: string; teamId: string }> {
  if (setupNeedsCode(origin.clientAddress) && !setupCodeMatches(origin.setupCode, input.setupCode)) {
    const message = "Enter the setup code the server printed when it started";
    throw new DomainError("invalid", message, { setupCode: [message] });
  }
  const passwordHash = await hashPassword(input.password);
  const { setupCode: _code, ...details } = input;
  const user = await claimFirstStartOwner(client, { ...defaults, ...details, passwordHash });
  return { userId: user.id, teamId: defaults.teamId };
}

/** A new person creates their account from an invitation link and joins its team in one step. */
export async function signUpWithInvite(client: DbClient, input: SignUpWithInviteInput): Promise<{ userId: string; teamId: string }> {
  const tokenHash = hashSecret(input.token);
  if (!(await findUsableInvite(client, tokenHash))) throw new DomainError("invalid", "This invitation link is no longer valid");
  if (await findUserByEmail(client, input.email)) {
    throw new ConflictError("An account with this email exists; sign in, then open the link again", {
      email: ["Already has an account: sign in first"],
    });
  }
  const passwordHash = await hashPassword(input.password);
  return inTransaction(client, async (tx) => {
    const user = await createUser(tx, { email: input.email, name: input.name, passwordHash });
    const joined = await acceptInvite(tx, tokenHash, user.id);
    return { userId: user.id, teamId: joined.teamId };
  });
}

/** A signed-in person joins the invitation's team. */
export async function joinWithInvite(client: DbClient, userId: string, token: string) {
  return acceptInvite(client, hashSecret(token), userId);
}
