/** Rows most repository tests need: a team with one member of a given role. */
import { generateSecret, hashSecret, VISIBLE_PREFIX_LENGTH } from "../auth/secret-tokens";
import type { DbClient } from "../db/client";
import type { RoleName } from "../auth/schemas";
import { toJsonColumn } from "../db/json";
import { PlanDocument, type PlanDocumentInput } from "../plan/schema";

let counter = 0;

export async function createTeamWithMember(client: DbClient, role: RoleName = "owner") {
  counter += 1;
  const suffix = `${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
  const team = await client.team.create({ data: { name: `Team ${suffix}`, slug: `team-${suffix}` } });
  const user = await client.user.create({ data: { email: `user-${suffix}@example.test`, name: `User ${suffix}` } });
  await client.membership.create({ data: { teamId: team.id, userId: user.id, role } });
  return { team, user };
}

/** An API token for a member, as a script would hold it; returns the secret and the row. */
export async function createTokenFor(client: DbClient, userId: string, teamId: string, name = "test") {
  const secret = generateSecret("api");
  const row = await client.apiToken.create({
    data: { userId, teamId, name, tokenHash: hashSecret(secret), prefix: secret.slice(0, VISIBLE_PREFIX_LENGTH) },
  });
  return { secret, row };
}

/** A live browser session for a user, as the cookie's secret. */
export async function createSessionFor(client: DbClient, userId: string, teamId?: string) {
  const secret = generateSecret("session");
  await client.session.create({
    data: { userId, tokenHash: hashSecret(secret), expiresAt: new Date(Date.now() + 60 * 60 * 1000), currentTeam: teamId ?? null },
  });
  return secret;
}

/** Adds another member with `role` to an existing team. */
export async function addMemberWithRole(client: DbClient, teamId: string, role: RoleName) {
  counter += 1;
  const suffix = `${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
  const user = await client.user.create({ data: { email: `${role}-${suffix}@example.test`, name: `${role} ${suffix}` } });
  await client.membership.create({ data: { teamId, userId: user.id, role } });
  return user;
}

/** A team, its member and version 1 of a plan: what a run of `input` needs to be stored (its ownership). */
export async function seedPlan(client: DbClient, input: PlanDocumentInput) {
  const document = PlanDocument.parse(input);
  const suffix = Math.random().toString(36).slice(2, 8);
  const team = await client.team.create({ data: { name: "T", slug: `t-${suffix}` } });
  const user = await client.user.create({ data: { email: `u-${suffix}@x.test`, name: "U" } });
  const plan = await client.plan.create({ data: { teamId: team.id, ownerId: user.id, name: document.name, latestVersion: 1 } });
  const version = await client.planVersion.create({
    data: { planId: plan.id, number: 1, graph: toJsonColumn(document), graphHash: suffix, authorId: user.id },
  });
  return { document, ownership: { teamId: team.id, planId: plan.id, planVersionId: version.id, startedById: user.id } };
}

/** A shell node. */
export const shellNode = (id: string, command: string) => ({ id, type: "shell" as const, params: { command } });
