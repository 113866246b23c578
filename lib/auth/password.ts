/**
 * Password hashing with argon2id (OWASP's first choice), through
 * @node-rs/argon2's prebuilt binaries so no machine needs a compiler.
 */
import { hash, verify } from "@node-rs/argon2";

/** Parameters from the OWASP password storage cheat sheet (19 MiB, 2 passes). */
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Hashes a password into a self-describing PHC string (algorithm, parameters and salt included). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** Compares in constant time; a malformed stored hash counts as a mismatch, never a crash. */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

/**
 * A hash of a random password, verified against when the email is unknown or
 * has no password, so a failed sign-in takes as long whether the account
 * exists or not.
 */
let decoyHash: Promise<string> | undefined;
export function getDecoyHash(): Promise<string> {
  decoyHash ??= hashPassword(crypto.randomUUID());
  return decoyHash;
}
