/** People who can sign in, and the one-time claim of a fresh install's built-in owner. */
import { ConflictError, NotFoundError } from "./errors";
import { translated, withinTransaction, type DbExecutor } from "./transaction";

export async function findUserByEmail(client: DbExecutor, email: string) {
  return client.user.findUnique({ where: { email: email.toLowerCase() } });
}

export async function getUser(client: DbExecutor, userId: string) {
  const user = await client.user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true } });
  if (!user) throw new NotFoundError("User");
  return user;
}

export async function createUser(client: DbExecutor, user: { email: string; name: string; passwordHash: string }) {
  return translated(client.user.create({ data: { email: user.email.toLowerCase(), name: user.name, passwordHash: user.passwordHash } }));
}

/** True until someone has set a password: a fresh install must show the setup screen, not sign-in. */
export async function isSetupPending(client: DbExecutor): Promise<boolean> {
  return (await client.user.count({ where: { passwordHash: { not: null } } })) === 0;
}

export interface SetupClaim {
  ownerId: string;
  teamId: string;
  email: string;
  name: string;
  passwordHash: string;
  teamName: string;
}

/**
 * Gives the built-in owner and team of a fresh install their real email,
 * name, password and team name. Conditional on nobody having a password yet,
 * so of two people racing to set up only the first one wins.
 */
export async function claimFirstStartOwner(client: DbExecutor, claim: SetupClaim) {
  return withinTransaction(client, async (tx) => {
    if (!(await isSetupPending(tx))) throw new ConflictError("This Batchboard is already set up; sign in instead");
    const { count } = await tx.user.updateMany({
      where: { id: claim.ownerId, passwordHash: null },
      data: { email: claim.email.toLowerCase(), name: claim.name, passwordHash: claim.passwordHash },
    });
    if (count === 0) throw new ConflictError("This Batchboard is already set up; sign in instead");
    await tx.team.update({ where: { id: claim.teamId }, data: { name: claim.teamName } });
    return tx.user.findUniqueOrThrow({ where: { id: claim.ownerId } });
  });
}

/**
 * A member that exists only to hold API tokens of a given role (created from
 * the CLI): no password, so nobody signs in as it, and it does not count as
 * the person who set the install up.
 */
export async function findOrCreateServiceUser(client: DbExecutor, user: { email: string; name: string }) {
  const existing = await findUserByEmail(client, user.email);
  if (existing) return existing;
  return translated(client.user.create({ data: { email: user.email.toLowerCase(), name: user.name, passwordHash: null } }));
}
