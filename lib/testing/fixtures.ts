/** Rows most repository tests need: a team with one member of a given role. */
import type { DbClient } from "../db/client";
import type { Role } from "../db/generated/sqlite/enums";

let counter = 0;

export async function createTeamWithMember(client: DbClient, role: Role = "owner") {
  counter += 1;
  const suffix = `${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
  const team = await client.team.create({ data: { name: `Team ${suffix}`, slug: `team-${suffix}` } });
  const user = await client.user.create({ data: { email: `user-${suffix}@example.test`, name: `User ${suffix}` } });
  await client.membership.create({ data: { teamId: team.id, userId: user.id, role } });
  return { team, user };
}
