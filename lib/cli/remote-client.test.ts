/**
 * The CLI's --server mode against the real API route handlers (and the real
 * in-process runner and database), with fetch routed straight to them.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerWorkspace } from "../db/workspaces";
import { listWorkspacesRoute } from "../server/api/workspace-routes";
import { getRunReportRoute, startRunRoute, streamRunEventsRoute } from "../server/api/run-routes";
import { createTeamWithMember, createTokenFor } from "../testing/fixtures";
import { createTestApp } from "../testing/test-app";
import { createTestDatabase, type TestDatabase } from "../testing/test-database";
import type { AppContext } from "../server/app-context";
import { runRemotely } from "./remote-client";

describe("batchboard run --server", () => {
  let db: TestDatabase;
  let app: AppContext;
  let token: string;
  let teamId: string;
  const dir = mkdtempSync(path.join(os.tmpdir(), "bb-remote-"));

  /** fetch, answered by the route handlers Next would call. */
  const routedFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const { pathname } = new URL(request.url);
    if (pathname === "/api/v1/runs") return startRunRoute.withApp(app)(request, { params: Promise.resolve({}) });
    const events = /^\/api\/v1\/runs\/([^/]+)\/events$/.exec(pathname);
    if (events) return streamRunEventsRoute.withApp(app)(request, { params: Promise.resolve({ runId: events[1] }) });
    const report = /^\/api\/v1\/runs\/([^/]+)\/report$/.exec(pathname);
    if (report) return getRunReportRoute.withApp(app)(request, { params: Promise.resolve({ runId: report[1] }) });
    if (pathname === "/api/v1/workspaces") return listWorkspacesRoute.withApp(app)(request, { params: Promise.resolve({}) });
    return new Response("not routed", { status: 599 });
  };

  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
    const { team, user } = await createTeamWithMember(db.client, "editor");
    app = createTestApp(db, { team, owner: user, workspace: { id: "unused", name: "default", directory: "/nonexistent" } });
    token = (await createTokenFor(db.client, user.id, team.id)).secret;
    teamId = team.id;
  });
  afterAll(async () => {
    await db.destroy();
  });

  function writePlan(name: string, command: string): string {
    const file = path.join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify({ name, nodes: [{ id: "step", type: "shell", params: { command } }] }));
    return file;
  }

  it("runs the plan on the server, prints each node's outcome, and exits 0 on success and 1 on failure", async () => {
    let printed = "";
    const out = { write: (text: string) => ((printed += text), true) };
    const options = { server: "http://remote.test/", token, dryRun: false, json: false, fetch: routedFetch };
    expect(await runRemotely(writePlan("ok", "echo fine"), options, out)).toBe(0);
    expect(printed).toMatch(/✓ step succeeded/);
    expect(printed).toMatch(/Run \S+ succeeded — http:\/\/remote\.test\/runs\//);
    expect(await runRemotely(writePlan("bad", "exit 4"), options, out)).toBe(1);
    expect(printed).toMatch(/✗ step failed/);
  });

  it("reports a refused token with the server's error", async () => {
    const options = {
      server: "http://remote.test",
      token: "bbt_revoked-or-made-up-0000000000",
      dryRun: false,
      json: true,
      fetch: routedFetch,
    };
    await expect(runRemotely(writePlan("refused", "true"), options, { write: () => true })).rejects.toThrow(/401 unauthenticated/);
  });

  it("runs in the workspace named by --workspace and prints the run report with --json", async () => {
    const workspace = await registerWorkspace(
      db.client,
      teamId,
      { name: "site", source: { kind: "new" } },
      { root: path.join(dir, "workspaces"), dataDir: path.join(dir, "data") },
    );
    writeFileSync(path.join(workspace.directory, "index.html"), "<h1>site</h1>\n");
    let printed = "";
    const out = { write: (text: string) => ((printed += text), true) };
    const options = { server: "http://remote.test", token, dryRun: false, json: true, workspace: "site", fetch: routedFetch };
    expect(await runRemotely(writePlan("in-site", "cat index.html"), options, out)).toBe(0);
    const report = JSON.parse(printed) as { status: string; finished: boolean; nodes: Array<{ output?: { stdout: string } }> };
    expect(report).toMatchObject({ status: "succeeded", finished: true });
    expect(report.nodes[0]?.output?.stdout).toBe("<h1>site</h1>\n");
    await expect(runRemotely(writePlan("nowhere", "true"), { ...options, workspace: "missing" }, out)).rejects.toThrow(
      'no workspace "missing" in your team; registered: site',
    );
  });
});
