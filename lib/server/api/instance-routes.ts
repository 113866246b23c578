/**
 * Instance administration over /api/v1: creating teams (administrators, or
 * everyone with self-service teams on), the instance settings, and who is an
 * administrator. A token acts as its person, so these follow the person's
 * administrator flag, not their team role.
 */
import { listInstanceUsers } from "../../db/instance";
import { defineRoute } from "../route-handler";
import { CreateTeamBody, InstanceSettingsBody, InstanceUserBody, InstanceUserParams } from "./instance-schemas";
import { assertInstanceAdmin, changeInstanceAdmin, createTeamFor, readInstanceSettings, updateInstanceSettings } from "../instance-admin";

/** POST /api/v1/teams — a new team with the caller as owner; 403 forbidden unless they may create teams. */
export const createTeamRoute = defineRoute({ permission: "plan:read", body: CreateTeamBody }, async ({ app, caller, body }) => {
  const team = await createTeamFor(app.db.client, app.env, caller.userId, body.name);
  return Response.json({ team: { id: team.id, name: team.name, slug: team.slug } }, { status: 201 });
});

/** GET /api/v1/instance — the instance settings (any member may read them). */
export const getInstanceRoute = defineRoute({ permission: "plan:read" }, async ({ app }) => ({
  settings: await readInstanceSettings(app.db.client, app.env),
}));

/** PATCH /api/v1/instance — administrators only. */
export const updateInstanceRoute = defineRoute({ permission: "plan:read", body: InstanceSettingsBody }, async ({ app, caller, body }) => ({
  settings: await updateInstanceSettings(app.db.client, app.env, caller.userId, body),
}));

/** GET /api/v1/instance/users — administrators only. */
export const listInstanceUsersRoute = defineRoute({ permission: "plan:read" }, async ({ app, caller }) => {
  await assertInstanceAdmin(app.db.client, caller.userId);
  return { users: await listInstanceUsers(app.db.client) };
});

/** PATCH /api/v1/instance/users/{userId} — promote or demote an administrator. */
export const updateInstanceUserRoute = defineRoute(
  { permission: "plan:read", params: InstanceUserParams, body: InstanceUserBody },
  async ({ app, caller, params, body }) => {
    await changeInstanceAdmin(app.db.client, caller.userId, params.userId, body.isAdmin);
    return { userId: params.userId, isAdmin: body.isAdmin };
  },
);
