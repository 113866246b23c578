import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../auth/password";
import { generateSecret, hashSecret } from "../auth/secret-tokens";
import { createInvite } from "../db/invites";
import { listTeamsOfUser } from "../db/teams";
import { createTeamWithMember } from "../testing/fixtures";
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from "../testing/test-database";
import { completeSetup, joinWithInvite, signInWithPassword, signUpWithInvite } from "./account-service";
import { createSignInLimiters } from "./sign-in-limiter";

const limitersFor = () => createSignInLimiters(5);

describe.each(TEST_PROVIDERS)("accounts on %s", (provider) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(provider);
  });
  afterAll(async () => {
    await db.destroy();
  });

  it("sets up the built-in owner once; the owner then signs in with the new password", async () => {
    const { team, user } = await createTeamWithMember(db.client, "owner");
    const input = { email: "boss@example.test", name: "Boss", password: "long enough", teamName: "Boss team" };
    const local = { clientAddress: "127.0.0.1", setupCode: "K7Q2MX9PTA" };
    const result = await completeSetup(db.client, { ownerId: user.id, teamId: team.id }, input, local);
    expect(result).toEqual({ userId: user.id, teamId: team.id });
    await expect(completeSetup(db.client, { ownerId: user.id, teamId: team.id }, input, local)).rejects.toMatchObject({ code: "conflict" });
    const limiters = limitersFor();
    expect(await signInWithPassword(db.client, limiters, { email: "BOSS@example.test", password: "long enough" }, "1.2.3.4")).toEqual({
      ok: true,
      userId: user.id,
    });
  });

  it("locks an account out from one address after five failures, even for the right password, but not from another address", async () => {
    const email = `locked-${Date.now()}@example.test`;
    const user = await db.client.user.create({ data: { email, name: "L", passwordHash: await hashPassword("the right one") } });
    const limiters = limitersFor();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect(await signInWithPassword(db.client, limiters, { email, password: "wrong" }, "5.6.7.8")).toMatchObject({
        ok: false,
        reason: "wrong_credentials",
      });
    }
    const locked = await signInWithPassword(db.client, limiters, { email, password: "the right one" }, "5.6.7.8");
    expect(locked).toMatchObject({ ok: false, reason: "rate_limited" });
    expect(await signInWithPassword(db.client, limiters, { email: "nobody@example.test", password: "x" }, "5.6.7.8")).toMatchObject({
      reason: "wrong_credentials",
    });
    // The stranger guessing from 5.6.7.8 has not locked the owner out of their own address.
    expect(await signInWithPassword(db.client, limiters, { email, password: "the right one" }, "10.0.0.1")).toEqual({
      ok: true,
      userId: user.id,
    });
  });

  it("lets at most the limit through when 60 attempts arrive at once (counted before the password is checked)", async () => {
    const email = `parallel-${Date.now()}@example.test`;
    await db.client.user.create({ data: { email, name: "P", passwordHash: await hashPassword("the right one") } });
    const limiters = limitersFor();
    const outcomes = await Promise.all(
      Array.from({ length: 60 }, () => signInWithPassword(db.client, limiters, { email, password: "wrong" }, "7.7.7.7")),
    );
    expect(outcomes.filter((outcome) => !outcome.ok && outcome.reason === "wrong_credentials")).toHaveLength(5);
    expect(outcomes.filter((outcome) => !outcome.ok && outcome.reason === "rate_limited")).toHaveLength(55);
  });

  it("locks a client address out after many failures across emails", async () => {
    const limiters = createSignInLimiters(1);
    for (let attempt = 0; attempt < 10; attempt += 1) {
      await signInWithPassword(db.client, limiters, { email: `spray-${attempt}@example.test`, password: "x" }, "9.9.9.9");
    }
    expect(await signInWithPassword(db.client, limiters, { email: "another@example.test", password: "x" }, "9.9.9.9")).toMatchObject({
      reason: "rate_limited",
    });
  });

  it("asks for the printed setup code when setup comes from another machine, and changes nothing without it", async () => {
    const { team, user } = await createTeamWithMember(db.client, "owner");
    const defaults = { ownerId: user.id, teamId: team.id };
    const input = { email: `remote-${Date.now()}@example.test`, name: "Remote", password: "long enough", teamName: "Remote team" };
    const remote = { clientAddress: "203.0.113.9", setupCode: "K7Q2MX9PTA" };
    for (const setupCode of [undefined, "", "WRONGCODE1", "K7Q2MX9PT"]) {
      await expect(completeSetup(db.client, defaults, { ...input, setupCode }, remote)).rejects.toMatchObject({
        code: "invalid",
        fieldErrors: { setupCode: [expect.stringMatching(/setup code/)] },
      });
    }
    expect((await db.client.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBeNull();
    for (const address of ["::1", "::ffff:127.0.0.1"]) {
      await expect(completeSetup(db.client, defaults, input, { ...remote, clientAddress: address })).rejects.not.toMatchObject({
        code: "invalid",
      });
    }
  });

  it("never signs in an account without a password (the built-in owner before setup)", async () => {
    const { user } = await createTeamWithMember(db.client, "owner");
    expect(await signInWithPassword(db.client, limitersFor(), { email: user.email, password: "" }, "a")).toMatchObject({ ok: false });
  });

  it("signs a new person up from an invite; an existing email must sign in first; a used link is dead", async () => {
    const { team, user: owner } = await createTeamWithMember(db.client, "owner");
    const token = generateSecret("invite");
    await createInvite(db.client, {
      teamId: team.id,
      role: "viewer",
      tokenHash: hashSecret(token),
      createdById: owner.id,
      expiresAt: new Date(Date.now() + 60_000),
    });
    await expect(signUpWithInvite(db.client, { token, email: owner.email, name: "X", password: "long enough" })).rejects.toMatchObject({
      code: "conflict",
    });
    const joined = await signUpWithInvite(db.client, {
      token,
      email: `new-${Date.now()}@example.test`,
      name: "New",
      password: "long enough",
    });
    expect(await listTeamsOfUser(db.client, joined.userId)).toEqual([expect.objectContaining({ teamId: team.id, role: "viewer" })]);
    await expect(
      signUpWithInvite(db.client, { token, email: `late-${Date.now()}@example.test`, name: "L", password: "long enough" }),
    ).rejects.toMatchObject({
      code: "invalid",
    });

    const second = generateSecret("invite");
    const { user: member } = await createTeamWithMember(db.client, "owner");
    await createInvite(db.client, {
      teamId: team.id,
      role: "runner",
      tokenHash: hashSecret(second),
      createdById: owner.id,
      expiresAt: new Date(Date.now() + 60_000),
    });
    expect(await joinWithInvite(db.client, member.id, second)).toMatchObject({ teamId: team.id, role: "runner" });
    expect((await listTeamsOfUser(db.client, member.id)).map((entry) => entry.role)).toEqual(["owner", "runner"]);
  });
});
