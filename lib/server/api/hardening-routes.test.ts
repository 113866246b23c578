/**
 * The edges of the JSON API on the real routes and databases: bodies over
 * the limit (413) and of another type (415) in the error shape, and an
 * event stream that ends soon after its member is removed or its token
 * revoked (the re-check interval is shortened for the test).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeMember } from "../../db/teams";
import { addMemberWithRole, createTeamWithMember, createTokenFor } from "../../testing/fixtures";
import { callRoute, createTestApp } from "../../testing/test-app";
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from "../../testing/test-database";
import type { AppContext } from "../app-context";
import { createPlanRoute } from "./plan-routes";
import { MAX_JSON_BODY_BYTES } from "../route-handler";
import { cancelRunRoute, startRunRoute, streamRunEventsRoute } from "./run-routes";

describe.each(TEST_PROVIDERS)("API edges on %s", (provider) => {
  let db: TestDatabase;
  let app: AppContext;
  let teamId: string;
  let editor: string;
  const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

  beforeAll(async () => {
    db = await createTestDatabase(provider);
    const { team, user } = await createTeamWithMember(db.client, "owner");
    teamId = team.id;
    const base = createTestApp(db, { team, owner: user, workspace: { id: "unused", name: "default", directory: "/nonexistent" } });
    app = { ...base, env: { ...base.env, BATCHBOARD_STREAM_ACCESS_CHECK_MS: 100 } };
    editor = (await createTokenFor(db.client, (await addMemberWithRole(db.client, team.id, "editor")).id, team.id)).secret;
  });
  afterAll(async () => {
    for (let waited = 0; waited < 5_000; waited += 50) {
      if ((await db.client.run.count({ where: { status: { in: ["queued", "running"] } } })) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await db.destroy();
  });

  it("answers a body over the limit with 413 and a non-JSON body with 415, in the error shape, storing nothing", async () => {
    const plansBefore = await db.client.plan.count();
    const huge = {
      document: {
        name: "Huge",
        nodes: [{ id: "w", type: "file.write", params: { path: "a", content: "x".repeat(MAX_JSON_BODY_BYTES + 10) } }],
      },
    };
    const tooLarge = await callRoute(createPlanRoute.withApp(app), {
      method: "POST",
      path: "/api/v1/plans",
      headers: bearer(editor),
      body: huge,
    });
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toMatchObject({
      error: { code: "payload_too_large", message: expect.stringMatching(/larger than 8 MiB/) },
    });

    const form = await createPlanRoute.withApp(app)(
      new Request("http://batchboard.test/api/v1/plans", {
        method: "POST",
        headers: { ...bearer(editor), "content-type": "application/x-www-form-urlencoded" },
        body: JSON.stringify({ document: { name: "Form", nodes: [] } }),
      }),
      { params: Promise.resolve({}) },
    );
    expect(form.status).toBe(415);
    expect(await form.json()).toMatchObject({ error: { code: "unsupported_media_type" } });
    const jsonWithCharset = await createPlanRoute.withApp(app)(
      new Request("http://batchboard.test/api/v1/plans", {
        method: "POST",
        headers: { ...bearer(editor), "content-type": "application/json; charset=utf-8" },
        body: JSON.stringify({
          document: { name: "Charset", nodes: [{ id: "w", type: "file.write", params: { path: "a.txt", content: "" } }] },
        }),
      }),
      { params: Promise.resolve({}) },
    );
    expect(jsonWithCharset.status).toBe(201);
    expect(await db.client.plan.count()).toBe(plansBefore + 1);
  });

  it.each(["the member is removed from the team", "the token is revoked"] as const)("closes an open event stream once %s", async (how) => {
    const member = await addMemberWithRole(db.client, teamId, "viewer");
    const token = await createTokenFor(db.client, member.id, teamId);
    const started = await callRoute(startRunRoute.withApp(app), {
      method: "POST",
      path: "/x",
      headers: bearer(editor),
      body: { plan: { name: `long ${how}`, nodes: [{ id: "wait", type: "shell", params: { command: "sleep 30" } }] } },
    });
    const { runId } = (await started.json()) as { runId: string };
    const stream = await callRoute(streamRunEventsRoute.withApp(app), { path: "/x", params: { runId }, headers: bearer(token.secret) });
    const reading = stream.text();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const since = Date.now();
    if (how === "the member is removed from the team") await removeMember(db.client, teamId, member.id);
    else await db.client.apiToken.update({ where: { id: token.row.id }, data: { revokedAt: new Date() } });
    const text = await reading;
    expect(Date.now() - since).toBeLessThan(5_000);
    expect(text).toContain("running");
    expect(text).not.toMatch(/"status":"cancelled"/);
    await callRoute(cancelRunRoute.withApp(app), { method: "POST", path: "/x", params: { runId }, headers: bearer(editor) });
  });
});
