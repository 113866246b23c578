/**
 * The caller of a page or server action, from the session cookie. Signed-out
 * visitors are sent to sign-in, or to setup on a fresh install, so every
 * screen and action can assume a caller with a team.
 */
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { SESSION_COOKIE } from "../auth/session-policy";
import { isSetupPending } from "../db/users";
import { getAppContext } from "./app-context";
import { authenticateSession, type SessionCaller } from "./authenticate";

export type { Caller, SessionCaller } from "./authenticate";

/** The signed-in caller, or null; cached per request so a page and its parts look it up once. */
export const findSessionCaller = cache(async (): Promise<SessionCaller | null> => {
  // The cookie first: no session, no database work; and reading it marks the page dynamic, so a build never prerenders against a database.
  const secret = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!secret) return null;
  const { db } = await getAppContext();
  return authenticateSession(db.client, secret);
});

/** Where a signed-out visitor goes: setup on a fresh install, sign-in otherwise. */
export async function redirectSignedOut(): Promise<never> {
  const { db } = await getAppContext();
  redirect((await isSetupPending(db.client)) ? "/setup" : "/sign-in");
}

/**
 * The signed-in caller with their current team and role. Pages call it for
 * the team id every query is scoped to; defineAction calls it for every
 * server action.
 */
export async function resolveCaller(): Promise<SessionCaller> {
  return (await findSessionCaller()) ?? redirectSignedOut();
}
