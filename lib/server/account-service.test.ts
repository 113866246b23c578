import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../auth/password";
import { createRateLimiter } from "../auth/rate-limiter";
import { generateSecret, hashSecret } from "../auth/secret-tokens";
import { createInvite } from "../db/invites";
import { listTeamsOfUser } from "../db/teams";
import { createTeamWithMember } from "../testing/fixtures";
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from "../testing/test-database";
import { completeSetup, joinWithInvite, signInWithPassword, signUpWithInvite } from "./account-service";
import type { SignInLimiters } from "./sign-in-limiter";

const limitersFor = (): SignInLimiters => ({
  byEmail: createRateLimiter({ maxFailures: 5, windowMs: 60_000 }),
  byAddress: createRateLimiter({ maxFailures: 50, windowMs: 60_000 }),
});

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
    const result = await completeSetup(db.client, { ownerId: user.id, teamId: team.id }, input);
    expect(result).toEqual({ userId: user.id, teamId: team.id });
    await expect(completeSetup(db.client, { ownerId: user.id, teamId: team.id }, input)).rejects.toMatchObject({ code: "conflict" });
    const limiters = limitersFor();
    expect(await signInWithPassword(db.client, limiters, { email: "BOSS@example.test", password: "long enough" }, "1.2.3.4")).toEqual({
      ok: true,
      userId: user.id,
    });
  });

  it("locks an email out after five failures, even for the right password, and not other emails", async () => {
    const email = `locked-${Date.now()}@example.test`;
    await db.client.user.create({ data: { email, name: "L", passwordHash: await hashPassword("the right one") } });
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
  });

  it("locks a client address out after many failures across emails", async () => {
    const limiters = { byEmail: createRateLimiter({ maxFailures: 5, windowMs: 60_000 }), byAddress: createRateLimiter({ maxFailures: 3, windowMs: 60_000 }) };
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await signInWithPassword(db.client, limiters, { email: `spray-${attempt}@example.test`, password: "x" }, "9.9.9.9");
    }
    expect(await signInWithPassword(db.client, limiters, { email: "another@example.test", password: "x" }, "9.9.9.9")).toMatchObject({
      reason: "rate_limited",
    });
  });

  it("never signs in an account without a password (the built-in owner before setup)", async () => {
    const { user } = await createTeamWithMember(db.client, "owner");
    expect(await signInWithPassword(db.client, limitersFor(), { email: user.email, password: "" }, "a")).toMatchObject({ ok: false });
  });

  it("signs a new person up from an invite; an existing email must sign in first; a used link is dead", async () => {
    const { team, user: owner } = await createTeamWithMember(db.client, "owner");
    const token = generateSecret("invite");
    await createInvite(db.client, { teamId: team.id, role: "viewer", tokenHash: hashSecret(token), createdById: owner.id, expiresAt: new Date(Date.now() + 60_000) });
    await expect(signUpWithInvite(db.client, { token, email: owner.email, name: "X", password: "long enough" })).rejects.toMatchObject({
      code: "conflict",
    });
    const joined = await signUpWithInvite(db.client, { token, email: `new-${Date.now()}@example.test`, name: "New", password: "long enough" });
    expect(await listTeamsOfUser(db.client, joined.userId)).toEqual([expect.objectContaining({ teamId: team.id, role: "viewer" })]);
    await expect(signUpWithInvite(db.client, { token, email: `late-${Date.now()}@example.test`, name: "L", password: "long enough" })).rejects.toMatchObject({
      code: "invalid",
    });

    const second = generateSecret("invite");
    const { user: member } = await createTeamWithMember(db.client, "owner");
    await createInvite(db.client, { teamId: team.id, role: "runner", tokenHash: hashSecret(second), createdById: owner.id, expiresAt: new Date(Date.now() + 60_000) });
    expect(await joinWithInvite(db.client, member.id, second)).toMatchObject({ teamId: team.id, role: "runner" });
    expect((await listTeamsOfUser(db.client, member.id)).map((entry) => entry.role)).toEqual(["owner", "runner"]);
  });
});
