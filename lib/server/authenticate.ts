/**
 * Turns a credential (a session cookie's secret or an API token) into a
 * caller: who, in which team, with which role. Framework-free so it is tested
 * against real databases; caller.ts and route-handler.ts feed it from Next.
 */
import { hashSecret, isSecretOfKind } from "../auth/secret-tokens";
import { API_TOKEN_TOUCH_INTERVAL_MS } from "../auth/session-policy";
import { findActiveApiToken, touchApiToken } from "../db/api-tokens";
import type { DbClient } from "../db/client";
import type { RoleName } from "../auth/schemas";
import { findActiveSession } from "../db/sessions";
import { listTeamsOfUser, type TeamMembership } from "../db/teams";

/** Who is calling, in which team, with which role. */
export interface Caller {
  userId: string;
  teamId: string;
  role: RoleName;
  /** How the caller proved who they are; cookies need a same-origin check, tokens do not. */
  via: "session" | "token";
}

/** A signed-in person in the browser: the caller plus what the UI shows (name, team switcher). */
export interface SessionCaller extends Caller {
  via: "session";
  user: { id: string; email: string; name: string };
  teams: TeamMembership[];
  team: TeamMembership;
}

/**
 * The session's chosen team when the user still belongs to it, otherwise
 * their oldest team; null when the session is unknown or expired, or the
 * person belongs to no team any more.
 */
export async function authenticateSession(client: DbClient, secret: string | undefined): Promise<SessionCaller | null> {
  if (!secret || !isSecretOfKind(secret, "session")) return null;
  const session = await findActiveSession(client, hashSecret(secret));
  if (!session) return null;
  const teams = await listTeamsOfUser(client, session.userId);
  const team = teams.find((entry) => entry.teamId === session.currentTeam) ?? teams[0];
  if (!team) return null;
  return { userId: session.user.id, teamId: team.teamId, role: team.role, via: "session", user: session.user, teams, team };
}

/** An unrevoked API token whose user is still in the token's team, with the role they have now. */
export async function authenticateApiToken(client: DbClient, secret: string): Promise<Caller | null> {
  if (!isSecretOfKind(secret, "api")) return null;
  const found = await findActiveApiToken(client, hashSecret(secret));
  if (!found) return null;
  await touchApiToken(client, found.token.id, API_TOKEN_TOUCH_INTERVAL_MS);
  return { userId: found.token.userId, teamId: found.token.teamId, role: found.role, via: "token" };
}
