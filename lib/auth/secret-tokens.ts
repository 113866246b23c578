/**
 * Random secrets for sessions, API tokens and invites. Only their sha-256 is
 * stored, so a leaked database does not leak a usable credential; sha-256 is
 * enough (no slow hash needed) because the secrets carry 256 random bits.
 */
import { createHash, randomBytes } from "node:crypto";

export type SecretKind = "session" | "api" | "invite";

const PREFIXES: Record<SecretKind, string> = { session: "bbs_", api: "bbt_", invite: "bbi_" };

/** Characters of an API token shown in lists so people can tell tokens apart. */
export const VISIBLE_PREFIX_LENGTH = 10;

/** A new secret such as `bbt_…`; the prefix says what it is when it turns up in a log or a leak scanner. */
export function generateSecret(kind: SecretKind): string {
  return PREFIXES[kind] + randomBytes(32).toString("base64url");
}

/** The value stored in `tokenHash` columns. */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export function isSecretOfKind(secret: string, kind: SecretKind): boolean {
  return secret.startsWith(PREFIXES[kind]) && secret.length > PREFIXES[kind].length + 20;
}
