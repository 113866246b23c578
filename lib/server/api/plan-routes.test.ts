/**
 * The plan API on real databases: every permission both ways for every role,
 * another team's plans indistinguishable from missing ones, revoked tokens,
 * and cross-site cookie writes refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RoleName } from "../../auth/schemas";
import { addMemberWithRole, createSessionFor, createTeamWithMember, createTokenFor } from "../../testing/fixtures";
import { callRoute, createTestApp } from "../../testing/test-app";
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from "../../testing/test-database";
import type { AppContext } from "../app-context";
import {
  createPlanRoute,
  getMeRoute,
  getPlanRoute,
  getVersionRoute,
  listPlansRoute,
  listVersionsRoute,
  saveVersionRoute,
  updatePlanRoute,
} from "./plan-routes";

const ROLES = RoleName.options;
const CAN_EDIT: Record<RoleName, boolean> = { owner: true, editor: true, runner: false, viewer: false };

const planDocument = (name: string) => ({
  name,
  nodes: [{ id: "write", type: "file.write", params: { path: "hello.txt", content: "hi" } }],
  edges: [],
});

describe.each(TEST_PROVIDERS)("plan API on %s", (provider) => {
  let db: TestDatabase;
  let app: AppContext;
  let teamId: string;
  const tokens = {} as Record<RoleName, string>;
  let outsiderToken: string;
  let planId: string;

  const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

  beforeAll(async () => {
    db = await createTestDatabase(provider);
    const { team, user } = await createTeamWithMember(db.client, "owner");
    teamId = team.id;
    app = createTestApp(db, {
      team,
      owner: user,
      workspace: { id: "unused", name: "default", directory: "/nonexistent" },
    });
    tokens.owner = (await createTokenFor(db.client, user.id, team.id)).secret;
    for (const role of ROLES.slice(1)) {
      const member = await addMemberWithRole(db.client, team.id, role);
      tokens[role] = (await createTokenFor(db.client, member.id, team.id)).secret;
    }
    const outsider = await createTeamWithMember(db.client, "owner");
    outsiderToken = (await createTokenFor(db.client, outsider.user.id, outsider.team.id)).secret;

    const created = await callRoute(createPlanRoute.withApp(app), {
      method: "POST",
      path: "/api/v1/plans",
      headers: bearer(tokens.owner),
      body: { document: planDocument("Shared plan"), tags: ["api"] },
    });
    expect(created.status).toBe(201);
    planId = ((await created.json()) as { plan: { id: string } }).plan.id;
  });
  afterAll(async () => {
    await db.destroy();
  });

  it("tells a bare plan to be wrapped, names unknown plan keys, and stores nothing", async () => {
    const bare = await callRoute(createPlanRoute.withApp(app), {
      method: "POST",
      path: "/api/v1/plans",
      headers: bearer(tokens.owner),
      body: planDocument("Bare"),
    });
    expect(bare.status).toBe(400);
    const bareBody = (await bare.json()) as { error: { issues: { message: string }[] } };
    expect(bareBody.error.issues.map((issue) => issue.message)).toContain('This looks like a bare plan: wrap it as {"document": …}');

    const document = {
      name: "Aliases",
      nodes: [
        { id: "build", type: "shell", params: { cmd: "make" } },
        { id: "test", type: "shell", dependsOn: ["build"], params: { command: "make test" } },
      ],
    };
    const wrapped = await callRoute(createPlanRoute.withApp(app), {
      method: "POST",
      path: "/api/v1/plans",
      headers: bearer(tokens.owner),
      body: { document },
    });
    expect(wrapped.status).toBe(422);
    const { error } = (await wrapped.json()) as { error: { issues: { path: string; code: string; nodeId?: string; message: string }[] } };
    expect(error.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: "document.nodes.0.params.cmd",
          code: "unknown-field",
          nodeId: "build",
          message: expect.stringContaining('use "command"'),
        }),
        expect.objectContaining({
          path: "document.nodes.1.dependsOn",
          code: "unknown-field",
          nodeId: "test",
          message: expect.stringContaining('{"from":"build","to":"test"}'),
        }),
      ]),
    );
    const listed = await callRoute(listPlansRoute.withApp(app), { path: "/api/v1/plans", headers: bearer(tokens.owner) });
    expect(((await listed.json()) as { plans: { name: string }[] }).plans.map((plan) => plan.name)).not.toContain("Aliases");
  });

  it("says who a token belongs to", async () => {
    const response = await callRoute(getMeRoute.withApp(app), { path: "/api/v1/me", headers: bearer(tokens.runner) });
    expect(await response.json()).toMatchObject({ role: "runner", team: { id: teamId } });
  });

  it.each(ROLES)("lets %s read plans and versions", async (role) => {
    const headers = bearer(tokens[role]);
    const list = await callRoute(listPlansRoute.withApp(app), { path: "/api/v1/plans", headers });
    expect(list.status).toBe(200);
    expect(((await list.json()) as { plans: { id: string }[] }).plans.map((plan) => plan.id)).toContain(planId);
    expect((await callRoute(getPlanRoute.withApp(app), { path: `/api/v1/plans/${planId}`, params: { planId }, headers })).status).toBe(200);
    expect((await callRoute(listVersionsRoute.withApp(app), { path: "/x", params: { planId }, headers })).status).toBe(200);
    const version = await callRoute(getVersionRoute.withApp(app), { path: "/x", params: { planId, number: "1" }, headers });
    expect(await version.json()).toMatchObject({ version: { number: 1, document: { name: "Shared plan" } } });
  });

  it.each(ROLES)("lets %s create, update and save plans only with plan:edit", async (role) => {
    const headers = bearer(tokens[role]);
    const expected = CAN_EDIT[role] ? [201, 200, 201] : [403, 403, 403];
    const created = await callRoute(createPlanRoute.withApp(app), {
      method: "POST",
      path: "/api/v1/plans",
      headers,
      body: { document: planDocument(`By ${role}`) },
    });
    const updated = await callRoute(updatePlanRoute.withApp(app), {
      method: "PATCH",
      path: "/x",
      params: { planId },
      headers,
      body: { description: `Touched by ${role}` },
    });
    const current = (await (await callRoute(getPlanRoute.withApp(app), { path: "/x", params: { planId }, headers })).json()) as {
      plan: { latestVersion: number };
    };
    const saved = await callRoute(saveVersionRoute.withApp(app), {
      method: "POST",
      path: "/x",
      params: { planId },
      headers,
      body: { baseVersion: current.plan.latestVersion, document: planDocument("Shared plan"), message: role },
    });
    expect([created.status, updated.status, saved.status]).toEqual(expected);
    if (!CAN_EDIT[role]) expect(await saved.json()).toMatchObject({ error: { code: "forbidden" } });
  });

  it("makes another team's plan read exactly like a missing one, for every endpoint", async () => {
    const headers = bearer(outsiderToken);
    for (const [handler, params, method, body] of [
      [getPlanRoute, { planId }, "GET", undefined],
      [listVersionsRoute, { planId }, "GET", undefined],
      [getVersionRoute, { planId, number: "1" }, "GET", undefined],
      [updatePlanRoute, { planId }, "PATCH", { name: "Stolen" }],
      [saveVersionRoute, { planId }, "POST", { baseVersion: 1, document: planDocument("Stolen") }],
    ] as const) {
      const theirs = await callRoute(handler.withApp(app), { method, path: "/x", params, headers, body });
      const missing = await callRoute(handler.withApp(app), {
        method,
        path: "/x",
        params: { ...params, planId: "c0000000000000000000000000" },
        headers,
        body,
      });
      expect(theirs.status).toBe(404);
      expect(await theirs.json()).toEqual(await missing.json());
    }
    const list = (await (await callRoute(listPlansRoute.withApp(app), { path: "/api/v1/plans", headers })).json()) as { plans: unknown[] };
    expect(list.plans).toEqual([]);
  });

  it("answers invalid plans with every problem at its field path", async () => {
    const response = await callRoute(createPlanRoute.withApp(app), {
      method: "POST",
      path: "/api/v1/plans",
      headers: bearer(tokens.editor),
      body: { document: { name: "Bad", nodes: [{ id: "w", type: "file.write", params: { path: "/etc/passwd", content: "" } }] } },
    });
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: { code: string; issues: { path: string; code?: string; nodeId?: string }[] } };
    expect(body.error.code).toBe("invalid");
    expect(body.error.issues).toContainEqual(expect.objectContaining({ path: "document.nodes.0.params.path", nodeId: "w" }));

    const shape = await callRoute(createPlanRoute.withApp(app), {
      method: "POST",
      path: "/api/v1/plans",
      headers: bearer(tokens.editor),
      body: { document: planDocument("x"), tags: "not-a-list" },
    });
    expect(shape.status).toBe(400);
    expect(await shape.json()).toMatchObject({ error: { code: "validation", issues: [{ path: "tags" }] } });
  });

  it("refuses a stale save with the newest version number", async () => {
    const response = await callRoute(saveVersionRoute.withApp(app), {
      method: "POST",
      path: "/x",
      params: { planId },
      headers: bearer(tokens.editor),
      body: { baseVersion: 0, document: planDocument("Shared plan") },
    });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: { code: "stale", latestVersion: expect.any(Number) } });
  });

  it("stops a revoked token at once, and refuses unknown or missing credentials", async () => {
    const { user } = await createTeamWithMember(db.client, "editor");
    await db.client.membership.create({ data: { teamId, userId: user.id, role: "editor" } });
    const { secret, row } = await createTokenFor(db.client, user.id, teamId);
    const call = () => callRoute(listPlansRoute.withApp(app), { path: "/api/v1/plans", headers: bearer(secret) });
    expect((await call()).status).toBe(200);
    expect((await db.client.apiToken.findUniqueOrThrow({ where: { id: row.id } })).lastUsedAt).not.toBeNull();
    await db.client.apiToken.update({ where: { id: row.id }, data: { revokedAt: new Date() } });
    const revoked = await call();
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toMatchObject({ error: { code: "unauthenticated" } });

    expect((await callRoute(listPlansRoute.withApp(app), { path: "/api/v1/plans" })).status).toBe(401);
    expect(
      (await callRoute(listPlansRoute.withApp(app), { path: "/api/v1/plans", headers: bearer("bbt_made-up-token-000000000000") })).status,
    ).toBe(401);
  });

  it("accepts a session cookie from our own pages and refuses a cross-site write with it", async () => {
    const owner = await db.client.membership.findFirstOrThrow({ where: { teamId, role: "owner" } });
    const cookie = `batchboard_session=${await createSessionFor(db.client, owner.userId, teamId)}`;
    const body = { document: planDocument("From the browser") };
    const crossSite = await callRoute(createPlanRoute.withApp(app), {
      method: "POST",
      path: "/api/v1/plans",
      headers: { cookie, origin: "https://evil.example" },
      body,
    });
    expect(crossSite.status).toBe(403);
    expect(await crossSite.json()).toMatchObject({ error: { code: "cross_origin" } });
    const sameSite = await callRoute(createPlanRoute.withApp(app), {
      method: "POST",
      path: "/api/v1/plans",
      headers: { cookie, origin: "http://batchboard.test" },
      body,
    });
    expect(sameSite.status).toBe(201);
    const read = await callRoute(listPlansRoute.withApp(app), {
      path: "/api/v1/plans",
      headers: { cookie, origin: "https://evil.example" },
    });
    expect(read.status).toBe(200);
  });
});
