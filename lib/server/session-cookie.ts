/**
 * Starting and ending browser sessions: a random secret in an httpOnly,
 * SameSite=Lax cookie, its sha-256 in the Session table. Lax keeps people
 * signed in when they follow a link into the app while a cross-site form
 * post arrives without the cookie.
 */
import { cookies, headers } from "next/headers";
import { generateSecret, hashSecret } from "../auth/secret-tokens";
import { SESSION_COOKIE, SESSION_LIFETIME_MS } from "../auth/session-policy";
import { createSession, deleteExpiredSessions, deleteSession, setSessionTeam } from "../db/sessions";
import { getAppContext } from "./app-context";

async function isHttps(): Promise<boolean> {
  const forwarded = (await headers()).get("x-forwarded-proto");
  return forwarded?.split(",")[0]?.trim() === "https";
}

/** Signs `userId` in on this browser, optionally straight into `teamId`. */
export async function startSession(userId: string, teamId?: string): Promise<void> {
  const { db } = await getAppContext();
  const secret = generateSecret("session");
  const expiresAt = new Date(Date.now() + SESSION_LIFETIME_MS);
  await createSession(db.client, { userId, tokenHash: hashSecret(secret), expiresAt, currentTeam: teamId ?? null });
  // Expired rows are never read; sweeping them at sign-in keeps the table small without a scheduler.
  await deleteExpiredSessions(db.client);
  (await cookies()).set(SESSION_COOKIE, secret, {
    httpOnly: true,
    sameSite: "lax",
    secure: await isHttps(),
    path: "/",
    expires: expiresAt,
  });
}

/** Signs out this browser: the row goes, so the secret is useless even if it was copied. */
export async function endSession(): Promise<void> {
  const store = await cookies();
  const secret = store.get(SESSION_COOKIE)?.value;
  if (secret) {
    const { db } = await getAppContext();
    await deleteSession(db.client, hashSecret(secret));
  }
  store.delete(SESSION_COOKIE);
}

/** Remembers which team this browser works in (the caller must have checked membership). */
export async function switchSessionTeam(teamId: string): Promise<void> {
  const secret = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!secret) return;
  const { db } = await getAppContext();
  await setSessionTeam(db.client, hashSecret(secret), teamId);
}
