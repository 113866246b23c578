/**
 * Workspaces through the real routes on real databases and real
 * directories: registering a new or an existing directory, refusals that
 * name the field (`..`, outside the root, a symlink out, the data directory,
 * another team's directory), rename, archive (no new runs, history stays),
 * and sandbox settings stored validated and handed to the run.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMemberWithRole, createTeamWithMember, createTokenFor } from "../../testing/fixtures";
import { callRoute, createTestApp } from "../../testing/test-app";
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from "../../testing/test-database";
import type { AppContext } from "../app-context";
import { startRunRoute } from "./run-routes";
import { getWorkspaceRoute, listWorkspacesRoute, registerWorkspaceRoute, updateWorkspaceRoute } from "./workspace-routes";

interface WorkspaceBody {
  workspace: {
    id: string;
    name: string;
    directory: string;
    archivedAt: string | null;
    sandbox: { network: boolean; limits: Record<string, number> };
  };
}

describe.each(TEST_PROVIDERS)("workspace API on %s", (provider) => {
  let db: TestDatabase;
  let app: AppContext;
  let owner: string;
  let editor: string;
  let outsider: string;
  let outsiderTeamId: string;
  const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
  const register = (body: unknown, secret = owner) =>
    callRoute(registerWorkspaceRoute.withApp(app), { method: "POST", path: "/api/v1/workspaces", headers: bearer(secret), body });
  const update = (workspaceId: string, body: unknown, secret = owner) =>
    callRoute(updateWorkspaceRoute.withApp(app), { method: "PATCH", path: "/x", params: { workspaceId }, headers: bearer(secret), body });

  beforeAll(async () => {
    db = await createTestDatabase(provider);
    const { team, user } = await createTeamWithMember(db.client, "owner");
    app = createTestApp(db, { team, owner: user, workspace: { id: "unused", name: "default", directory: "/nonexistent" } });
    owner = (await createTokenFor(db.client, user.id, team.id)).secret;
    editor = (await createTokenFor(db.client, (await addMemberWithRole(db.client, team.id, "editor")).id, team.id)).secret;
    const other = await createTeamWithMember(db.client, "owner");
    outsider = (await createTokenFor(db.client, other.user.id, other.team.id)).secret;
    outsiderTeamId = other.team.id;
  });
  afterAll(async () => {
    await db.destroy();
  });

  it("registers a new directory, or an existing checkout under the root with its files", async () => {
    const created = await register({ name: "fresh" });
    expect(created.status).toBe(201);
    const fresh = ((await created.json()) as WorkspaceBody).workspace;
    expect(fresh.directory.startsWith(app.env.BATCHBOARD_WORKSPACE_ROOT)).toBe(true);
    expect(fresh.sandbox).toEqual({ network: true, limits: {} });

    const checkout = path.join(app.env.BATCHBOARD_WORKSPACE_ROOT, "checkouts", "site");
    mkdirSync(checkout, { recursive: true });
    writeFileSync(path.join(checkout, "README.md"), "existing\n");
    const existing = await register({ name: "site", directory: "checkouts/site" });
    expect(existing.status).toBe(201);
    expect(((await existing.json()) as WorkspaceBody).workspace.directory).toBe(checkout);
    const absolute = await register({ name: "site-again", directory: checkout });
    expect(absolute.status).toBe(201);

    expect((await register({ name: "nope" }, editor)).status).toBe(403);
  });

  it("refuses directories outside the root, through '..' or symlinks, the data directory and another team's, naming the field", async () => {
    const root = app.env.BATCHBOARD_WORKSPACE_ROOT;
    const outside = mkdtempSync(path.join(os.tmpdir(), "bb-outside-"));
    symlinkSync(outside, path.join(root, "link-out"));
    mkdirSync(path.join(root, "plain-file-parent"), { recursive: true });
    writeFileSync(path.join(root, "plain-file-parent", "file"), "x");
    const theirs = await callRoute(registerWorkspaceRoute.withApp(app), {
      method: "POST",
      path: "/x",
      headers: bearer(outsider),
      body: { name: "theirs" },
    });
    const theirDirectory = ((await theirs.json()) as WorkspaceBody).workspace.directory;
    for (const [directory, message] of [
      ["../escape", /'\.\.'/],
      ["checkouts/../../x", /'\.\.'/],
      [outside, /inside the workspace root/],
      ["/etc", /inside the workspace root/],
      ["link-out", /symbolic link/],
      [".", /Enter a directory|inside the workspace root/],
      [app.env.BATCHBOARD_DATA_DIR, /data directory|inside the workspace root/],
      ["does-not-exist", /No such directory/],
      ["plain-file-parent/file", /Not a directory/],
      [theirDirectory, /another team/],
      [outsiderTeamId, /another team/],
    ] as const) {
      const response = await register({ name: "bad", directory });
      expect(response.status, directory).toBe(422);
      const body = (await response.json()) as { error: { issues: { path: string; message: string }[] } };
      expect(body.error.issues[0]?.path, directory).toBe("directory");
      expect(body.error.issues[0]?.message, directory).toMatch(message);
    }
    expect(await db.client.workspace.count({ where: { name: "bad" } })).toBe(0);
  });

  it("refuses a root that is the data directory's own folder for its internals", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "bb-data-root-"));
    const dataApp: AppContext = { ...app, env: { ...app.env, BATCHBOARD_DATA_DIR: dataDir, BATCHBOARD_WORKSPACE_ROOT: dataDir } };
    mkdirSync(path.join(dataDir, "change-logs"));
    const response = await callRoute(registerWorkspaceRoute.withApp(dataApp), {
      method: "POST",
      path: "/x",
      headers: bearer(owner),
      body: { name: "logs", directory: "change-logs" },
    });
    expect(response.status).toBe(422);
    expect(JSON.stringify(await response.json())).toMatch(/inside the data directory/);
  });

  it("renames, archives (no new runs, history kept) and restores a workspace", async () => {
    const { workspace } = (await (await register({ name: "to-archive" })).json()) as WorkspaceBody;
    const renamed = await update(workspace.id, { name: "archivable" });
    expect(((await renamed.json()) as WorkspaceBody).workspace.name).toBe("archivable");
    expect((await update(workspace.id, { name: "Bad Name" })).status).toBe(422);

    const archived = (await (await update(workspace.id, { archived: true })).json()) as WorkspaceBody;
    expect(archived.workspace.archivedAt).not.toBeNull();
    const plan = { name: "in archived", nodes: [{ id: "hi", type: "shell", params: { command: "true" } }] };
    const refused = await callRoute(startRunRoute.withApp(app), {
      method: "POST",
      path: "/x",
      headers: bearer(owner),
      body: { plan, workspaceId: workspace.id },
    });
    expect(refused.status).toBe(409);
    expect(JSON.stringify(await refused.json())).toMatch(/archived/);
    const active = (await (
      await callRoute(listWorkspacesRoute.withApp(app), { path: "/api/v1/workspaces", headers: bearer(owner) })
    ).json()) as { workspaces: { id: string }[] };
    expect(active.workspaces.map((entry) => entry.id)).not.toContain(workspace.id);
    const all = (await (
      await callRoute(listWorkspacesRoute.withApp(app), { path: "/api/v1/workspaces?archived=true", headers: bearer(owner) })
    ).json()) as { workspaces: { id: string }[] };
    expect(all.workspaces.map((entry) => entry.id)).toContain(workspace.id);

    await update(workspace.id, { archived: false });
    const started = await callRoute(startRunRoute.withApp(app), {
      method: "POST",
      path: "/x",
      headers: bearer(owner),
      body: { plan, workspaceId: workspace.id },
    });
    expect(started.status).toBe(202);
  });

  it("stores sandbox settings validated by their schema and hands them to the run it starts", async () => {
    const { workspace } = (await (await register({ name: "sandboxed" })).json()) as WorkspaceBody;
    const bad = await update(workspace.id, { sandbox: { network: "no", limits: { memoryMb: 1 } } });
    expect(bad.status).toBe(400);
    const issues = ((await bad.json()) as { error: { issues: { path: string }[] } }).error.issues.map((issue) => issue.path);
    expect(issues).toEqual(expect.arrayContaining(["sandbox.network", "sandbox.limits.memoryMb"]));
    expect((await update(workspace.id, { sandbox: { limits: { surprise: 1 } } })).status).toBe(400);

    const saved = await update(workspace.id, { sandbox: { network: false, limits: { processes: 64, memoryMb: 512 } } });
    expect(((await saved.json()) as WorkspaceBody).workspace.sandbox).toEqual({ network: false, limits: { processes: 64, memoryMb: 512 } });
    const read = (await (
      await callRoute(getWorkspaceRoute.withApp(app), { path: "/x", params: { workspaceId: workspace.id }, headers: bearer(editor) })
    ).json()) as WorkspaceBody;
    expect(read.workspace.sandbox.network).toBe(false);
    expect((await update(workspace.id, { sandbox: { network: true } }, editor)).status).toBe(403);

    const plan = { name: "sandbox settings", nodes: [{ id: "hi", type: "shell", params: { command: "true" } }] };
    const started = await callRoute(startRunRoute.withApp(app), {
      method: "POST",
      path: "/x",
      headers: bearer(owner),
      body: { plan, workspaceId: workspace.id },
    });
    const { runId } = (await started.json()) as { runId: string };
    const run = await db.client.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run.settings).toMatchObject({ sandbox: { network: false, limits: { processes: 64, memoryMb: 512 } } });
    for (let waited = 0; waited < 5_000; waited += 50) {
      if ((await db.client.run.count({ where: { status: { in: ["queued", "running"] } } })) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  it("keeps another team's workspace out of reach: reading or changing it answers 404", async () => {
    const { workspace } = (await (await register({ name: "private-ws" })).json()) as WorkspaceBody;
    expect(
      (await callRoute(getWorkspaceRoute.withApp(app), { path: "/x", params: { workspaceId: workspace.id }, headers: bearer(outsider) }))
        .status,
    ).toBe(404);
    expect((await update(workspace.id, { archived: true }, outsider)).status).toBe(404);
  });
});
