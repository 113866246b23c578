/**
 * Who may create teams, through the real routes on real databases: only
 * instance administrators, unless an administrator turns on self-service
 * teams; administrators promote and demote each other, never the last one.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMemberWithRole, createTeamWithMember, createTokenFor } from "../../testing/fixtures";
import { callRoute, createTestApp } from "../../testing/test-app";
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from "../../testing/test-database";
import type { AppContext } from "../app-context";
import { createTeamRoute, getInstanceRoute, listInstanceUsersRoute, updateInstanceRoute, updateInstanceUserRoute } from "./instance-routes";

describe.each(TEST_PROVIDERS)("instance administration on %s", (provider) => {
  let db: TestDatabase;
  let app: AppContext;
  let admin: { id: string; token: string };
  let owner: { id: string; token: string };
  let viewer: { id: string; token: string };
  const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
  const createTeam = (token: string, name: string) =>
    callRoute(createTeamRoute.withApp(app), { method: "POST", path: "/api/v1/teams", headers: bearer(token), body: { name } });

  beforeAll(async () => {
    db = await createTestDatabase(provider);
    const first = await createTeamWithMember(db.client, "owner");
    await db.client.user.update({ where: { id: first.user.id }, data: { isAdmin: true, passwordHash: "x" } });
    app = createTestApp(db, {
      team: first.team,
      owner: first.user,
      workspace: { id: "unused", name: "default", directory: "/nonexistent" },
    });
    admin = { id: first.user.id, token: (await createTokenFor(db.client, first.user.id, first.team.id)).secret };
    const second = await createTeamWithMember(db.client, "owner");
    await db.client.user.update({ where: { id: second.user.id }, data: { passwordHash: "x" } });
    owner = { id: second.user.id, token: (await createTokenFor(db.client, second.user.id, second.team.id)).secret };
    const viewerUser = await addMemberWithRole(db.client, first.team.id, "viewer");
    viewer = { id: viewerUser.id, token: (await createTokenFor(db.client, viewerUser.id, first.team.id)).secret };
  });
  afterAll(async () => {
    await db.destroy();
  });

  it("lets only administrators create teams; a team owner or a viewer gets a 403 that says why", async () => {
    const teamsBefore = await db.client.team.count();
    for (const caller of [viewer, owner]) {
      const refused = await createTeam(caller.token, "Mine");
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({
        error: { code: "forbidden", message: expect.stringMatching(/Only instance administrators can create teams/) },
      });
    }
    expect(await db.client.team.count()).toBe(teamsBefore);
    const created = await createTeam(admin.token, "Admins' team");
    expect(created.status).toBe(201);
    const { team } = (await created.json()) as { team: { id: string } };
    expect(await db.client.membership.findFirst({ where: { teamId: team.id, userId: admin.id, role: "owner" } })).not.toBeNull();
  });

  it("lets anyone create a team once an administrator turns on self-service teams, and only an administrator may", async () => {
    const patch = (token: string, selfServiceTeams: boolean) =>
      callRoute(updateInstanceRoute.withApp(app), { method: "PATCH", path: "/x", headers: bearer(token), body: { selfServiceTeams } });
    expect((await patch(owner.token, true)).status).toBe(403);
    expect(await (await patch(admin.token, true)).json()).toEqual({ settings: { selfServiceTeams: true } });
    expect(await (await callRoute(getInstanceRoute.withApp(app), { path: "/x", headers: bearer(viewer.token) })).json()).toEqual({
      settings: { selfServiceTeams: true },
    });
    expect((await createTeam(viewer.token, "Viewer's own")).status).toBe(201);
    await patch(admin.token, false);
    expect((await createTeam(viewer.token, "Another")).status).toBe(403);
  });

  it("lets administrators promote and demote others, but never demote the last one", async () => {
    const setAdmin = (token: string, userId: string, isAdmin: boolean) =>
      callRoute(updateInstanceUserRoute.withApp(app), {
        method: "PATCH",
        path: "/x",
        params: { userId },
        headers: bearer(token),
        body: { isAdmin },
      });
    expect((await setAdmin(owner.token, owner.id, true)).status).toBe(403);
    expect((await callRoute(listInstanceUsersRoute.withApp(app), { path: "/x", headers: bearer(owner.token) })).status).toBe(403);
    expect((await setAdmin(admin.token, owner.id, true)).status).toBe(200);
    expect((await createTeam(owner.token, "Promoted")).status).toBe(201);
    expect((await setAdmin(owner.token, admin.id, false)).status).toBe(200);
    const last = await setAdmin(owner.token, owner.id, false);
    expect(last.status).toBe(422);
    expect(JSON.stringify(await last.json())).toMatch(/at least one administrator/);
    const users = (await (await callRoute(listInstanceUsersRoute.withApp(app), { path: "/x", headers: bearer(owner.token) })).json()) as {
      users: { id: string; isAdmin: boolean }[];
    };
    expect(users.users.filter((user) => user.isAdmin).map((user) => user.id)).toEqual([owner.id]);
    expect((await setAdmin(owner.token, "c0000000000000000000000000", true)).status).toBe(404);
  });
});
