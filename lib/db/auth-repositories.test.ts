import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from "../testing/test-database";
import { createTeamWithMember } from "../testing/fixtures";
import { ConflictError, DomainError, NotFoundError } from "./errors";
import { createApiToken, findActiveApiToken, listApiTokens, revokeApiToken, touchApiToken } from "./api-tokens";
import { acceptInvite, createInvite, findUsableInvite, listPendingInvites, revokeInvite } from "./invites";
import { createSession, deleteSession, findActiveSession, setSessionTeam } from "./sessions";
import { addMember, changeMemberRole, createTeam, listMembers, listTeamsOfUser, removeMember } from "./teams";
import { claimFirstStartOwner, createUser, findUserByEmail, isSetupPending } from "./users";

const DAY = 24 * 60 * 60 * 1000;
let counter = 0;
const unique = (label: string) => `${label}-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 7)}`;

describe.each(TEST_PROVIDERS)("auth repositories on %s", (provider) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(provider);
  });
  afterAll(async () => {
    await db.destroy();
  });

  it("lets exactly one setup claim the built-in owner of a fresh install", async () => {
    // The shape ensureFirstStartData leaves behind: an owner without a password.
    const { team, user } = await createTeamWithMember(db.client, "owner");
    const defaults = { team, owner: user };
    expect(await isSetupPending(db.client)).toBe(true);
    const claim = { ownerId: defaults.owner.id, teamId: defaults.team.id, name: "Ada", passwordHash: "hash", teamName: "Engines" };
    const claims = await Promise.allSettled([
      claimFirstStartOwner(db.client, { ...claim, email: "Ada@Example.test" }),
      claimFirstStartOwner(db.client, { ...claim, email: "mallory@example.test" }),
    ]);
    expect(claims.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    expect(await isSetupPending(db.client)).toBe(false);
    await expect(claimFirstStartOwner(db.client, { ...claim, email: "late@example.test" })).rejects.toBeInstanceOf(ConflictError);
    const teams = await listTeamsOfUser(db.client, defaults.owner.id);
    expect(teams).toEqual([expect.objectContaining({ teamId: defaults.team.id, teamName: "Engines", role: "owner" })]);
  });

  it("stores users with lower-cased emails and refuses duplicates", async () => {
    const email = `${unique("Person")}@Example.test`;
    const user = await createUser(db.client, { email, name: "P", passwordHash: "h" });
    expect((await findUserByEmail(db.client, email.toUpperCase()))?.id).toBe(user.id);
    await expect(createUser(db.client, { email, name: "Q", passwordHash: "h" })).rejects.toBeInstanceOf(ConflictError);
  });

  it("finds live sessions, forgets expired and deleted ones, and remembers the chosen team", async () => {
    const { user, team } = await createTeamWithMember(db.client);
    const live = unique("live");
    await createSession(db.client, { userId: user.id, tokenHash: live, expiresAt: new Date(Date.now() + DAY) });
    await createSession(db.client, { userId: user.id, tokenHash: unique("old"), expiresAt: new Date(Date.now() - 1) });
    expect((await findActiveSession(db.client, live))?.user.id).toBe(user.id);
    await setSessionTeam(db.client, live, team.id);
    expect((await findActiveSession(db.client, live))?.currentTeam).toBe(team.id);
    await deleteSession(db.client, live);
    expect(await findActiveSession(db.client, live)).toBeNull();
  });

  it("never leaves a team without an owner, and removing a member revokes their tokens", async () => {
    const { user: owner, team } = await createTeamWithMember(db.client, "owner");
    const { user: other } = await createTeamWithMember(db.client, "viewer");
    await addMember(db.client, team.id, other.id, "editor");
    await expect(addMember(db.client, team.id, other.id, "viewer")).rejects.toBeInstanceOf(ConflictError);
    await expect(changeMemberRole(db.client, team.id, owner.id, "viewer")).rejects.toBeInstanceOf(DomainError);
    await expect(removeMember(db.client, team.id, owner.id)).rejects.toMatchObject({ code: "invalid" });
    await changeMemberRole(db.client, team.id, other.id, "owner");
    await changeMemberRole(db.client, team.id, owner.id, "runner");
    expect((await listMembers(db.client, team.id)).map((member) => member.role).sort()).toEqual(["owner", "runner"]);

    const tokenHash = unique("token");
    await createApiToken(db.client, { userId: owner.id, teamId: team.id, name: "ci", tokenHash, prefix: "bbt_abc" });
    expect(await findActiveApiToken(db.client, tokenHash)).toMatchObject({ role: "runner" });
    await removeMember(db.client, team.id, owner.id);
    expect(await findActiveApiToken(db.client, tokenHash)).toBeNull();
    await expect(removeMember(db.client, team.id, owner.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("revokes a token at once, only for its own user, and throttles last-used writes", async () => {
    const { user, team } = await createTeamWithMember(db.client, "editor");
    const { user: stranger } = await createTeamWithMember(db.client, "owner");
    const tokenHash = unique("token");
    const token = await createApiToken(db.client, { userId: user.id, teamId: team.id, name: "deploy", tokenHash, prefix: "bbt_x" });
    const first = new Date("2030-01-01T00:00:00Z");
    await touchApiToken(db.client, token.id, 60_000, first);
    await touchApiToken(db.client, token.id, 60_000, new Date(first.getTime() + 1000));
    const [listed] = await listApiTokens(db.client, user.id, team.id);
    expect(listed).toMatchObject({ name: "deploy", prefix: "bbt_x", revokedAt: null });
    expect(listed?.lastUsedAt?.toISOString()).toBe(first.toISOString());
    expect(listed).not.toHaveProperty("tokenHash");

    await expect(revokeApiToken(db.client, stranger.id, token.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await findActiveApiToken(db.client, tokenHash)).not.toBeNull();
    await revokeApiToken(db.client, user.id, token.id);
    expect(await findActiveApiToken(db.client, tokenHash)).toBeNull();
  });

  it("admits exactly one person per invite link, and not after it expires or is withdrawn", async () => {
    const { user: owner, team } = await createTeamWithMember(db.client, "owner");
    const first = await createUser(db.client, { email: `${unique("a")}@example.test`, name: "A", passwordHash: "h" });
    const second = await createUser(db.client, { email: `${unique("b")}@example.test`, name: "B", passwordHash: "h" });
    const tokenHash = unique("invite");
    await createInvite(db.client, {
      teamId: team.id,
      role: "runner",
      tokenHash,
      createdById: owner.id,
      expiresAt: new Date(Date.now() + DAY),
    });
    expect(await listPendingInvites(db.client, team.id)).toHaveLength(1);
    const results = await Promise.allSettled([acceptInvite(db.client, tokenHash, first.id), acceptInvite(db.client, tokenHash, second.id)]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    expect(await findUsableInvite(db.client, tokenHash)).toBeNull();
    expect(await listPendingInvites(db.client, team.id)).toHaveLength(0);

    const expired = unique("expired");
    await createInvite(db.client, {
      teamId: team.id,
      role: "viewer",
      tokenHash: expired,
      createdById: owner.id,
      expiresAt: new Date(Date.now() - 1),
    });
    await expect(acceptInvite(db.client, expired, second.id)).rejects.toMatchObject({ code: "invalid" });

    const withdrawn = await createInvite(db.client, {
      teamId: team.id,
      role: "viewer",
      tokenHash: unique("withdrawn"),
      createdById: owner.id,
      expiresAt: new Date(Date.now() + DAY),
    });
    const { team: otherTeam } = await createTeamWithMember(db.client);
    await expect(revokeInvite(db.client, otherTeam.id, withdrawn.id)).rejects.toBeInstanceOf(NotFoundError);
    await revokeInvite(db.client, team.id, withdrawn.id);
    await expect(acceptInvite(db.client, withdrawn.tokenHash, second.id)).rejects.toMatchObject({ code: "invalid" });
  });

  it("creates a new team with its creator as owner and a default workspace", async () => {
    const { user } = await createTeamWithMember(db.client, "viewer");
    const workspaceRoot = mkdtempSync(path.join(os.tmpdir(), "bb-auth-ws-"));
    const team = await createTeam(db.client, {
      name: "Night Shift!",
      ownerId: user.id,
      placement: { root: workspaceRoot, dataDir: `${workspaceRoot}-data` },
    });
    expect(team.slug).toMatch(/^night-shift-/);
    const teams = await listTeamsOfUser(db.client, user.id);
    expect(teams.map((entry) => entry.role)).toEqual(["viewer", "owner"]);
    expect(await db.client.workspace.count({ where: { teamId: team.id } })).toBe(1);
  });
});
