/**
 * One-call runs for agents through the real route handlers, runner and
 * databases: POST /runs?wait= answering the finished run's report (or 202
 * with progress), the report endpoint, and tool-call batches compiled,
 * recorded and run, with a call that cannot be mapped named by its index.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerWorkspace } from "../../db/workspaces";
import { RunReport } from "../../runner/run-report";
import { temporaryDirectory } from "../../runner/testing/harness";
import { createTeamWithMember, createTokenFor } from "../../testing/fixtures";
import { callRoute, createTestApp } from "../../testing/test-app";
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from "../../testing/test-database";
import type { AppContext } from "../app-context";
import { undoRunRoute } from "./run-repair-routes";
import { getRunReportRoute, retryRunRoute, startRunRoute } from "./run-routes";

describe.each(TEST_PROVIDERS)("agent run API on %s", (provider) => {
  let db: TestDatabase;
  let app: AppContext;
  let token: string;
  let teamId: string;
  const root = temporaryDirectory("batchboard-agent-ws-");
  const post = (body: unknown, query = "") =>
    callRoute(startRunRoute.withApp(app), {
      method: "POST",
      path: `/api/v1/runs${query}`,
      headers: { authorization: `Bearer ${token}` },
      body,
    });

  beforeAll(async () => {
    db = await createTestDatabase(provider);
    const { team, user } = await createTeamWithMember(db.client, "owner");
    teamId = team.id;
    app = createTestApp(db, { team, owner: user, workspace: { id: "unused", name: "default", directory: "/nonexistent" } });
    token = (await createTokenFor(db.client, user.id, team.id)).secret;
  });
  afterAll(async () => {
    for (let waited = 0; waited < 5_000; waited += 50) {
      if ((await db.client.run.count({ where: { status: { in: ["queued", "running"] } } })) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await db.destroy();
    root.cleanup();
  });

  it("answers ?wait= with the finished run's report, the same document GET /report serves", async () => {
    const response = await post(
      {
        plan: {
          name: "wait for me",
          nodes: [
            { id: "build", type: "shell", params: { command: "echo compiling; exit 2" } },
            { id: "test", type: "shell", params: { command: "echo never" } },
          ],
          edges: [{ from: "build", to: "test" }],
        },
      },
      "?wait=30",
    );
    expect(response.status).toBe(200);
    const report = RunReport.parse(await response.json());
    expect(report).toMatchObject({ status: "failed", finished: true, retry: { nodeIds: ["build", "test"] } });
    expect(report.nodes).toMatchObject([
      { id: "build", status: "failed", exitCode: 2, output: { stdout: "compiling\n" } },
      { id: "test", status: "skipped", skipped: '"build" failed' },
    ]);
    const again = await callRoute(getRunReportRoute.withApp(app), {
      path: "/x",
      params: { runId: report.runId },
      headers: { authorization: `Bearer ${token}` },
    });
    expect(RunReport.parse(await again.json())).toEqual(report);
  });

  it("answers 202 with the run id and progress when the wait ends first", async () => {
    const response = await post(
      { plan: { name: "slow", nodes: [{ id: "sleep", type: "shell", params: { command: "sleep 1" } }] } },
      "?wait=0.1",
    );
    expect(response.status).toBe(202);
    const body = (await response.json()) as { runId: string; status: string; counts: { total: number } };
    expect(body.runId).toBeTruthy();
    expect(["queued", "running"]).toContain(body.status);
    expect(body.counts.total).toBe(1);
  });

  it("compiles a tool-call batch in a registered workspace, returns the plan and runs it", async () => {
    const workspace = await registerWorkspace(
      db.client,
      teamId,
      { name: "agent", source: { kind: "new" } },
      { root: root.dir, dataDir: path.join(root.dir, "data") },
    );
    writeFileSync(path.join(workspace.directory, "lib.ts"), "export const oldName = 1;\n");
    const calls = [
      { name: "Edit", input: { file_path: path.join(workspace.directory, "lib.ts"), old_string: "oldName", new_string: "newName" } },
      { name: "Write", input: { file_path: "notes.md", content: "renamed\n" } },
      { name: "Bash", input: { command: "grep -c newName lib.ts" } },
    ];
    const response = await post({ calls, name: "rename", workspaceId: workspace.id }, "?wait=30");
    expect(response.status).toBe(200);
    const body = (await response.json()) as RunReport & { compiled: { plan: { edges: unknown[] }; calls: { nodeId: string }[] } };
    expect(body.status).toBe("succeeded");
    expect(body.planName).toBe("rename");
    expect(body.compiled.calls.map((call) => call.nodeId)).toEqual(["call0-edit", "call1-write", "call2-bash"]);
    expect(body.compiled.plan.edges).toHaveLength(2);
    expect(body.nodes[0]?.changes[0]?.diff).toContain("+export const newName = 1;");
    expect(body.nodes[2]?.output?.stdout).toBe("1\n");
    expect(readFileSync(path.join(workspace.directory, "lib.ts"), "utf8")).toBe("export const newName = 1;\n");
  });

  it("refuses a batch with a call it cannot map, naming the call, and changes nothing", async () => {
    const before = await db.client.plan.count();
    const response = await post({
      calls: [
        { name: "Write", input: { file_path: "a", content: "" } },
        { name: "Edit", input: { file_path: "/etc/passwd", old_string: "x", new_string: "y" } },
      ],
    });
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: { issues: { path: string; message: string }[] } };
    expect(body.error.issues).toEqual([{ path: "calls.1.file_path", message: expect.stringContaining("Call 1 (file_path)") }]);
    expect(await db.client.plan.count()).toBe(before);
  });

  it("retries with a revised plan, then undoes the whole chain, and refuses a second undo", async () => {
    const workspace = await registerWorkspace(
      db.client,
      teamId,
      { name: "retry", source: { kind: "new" } },
      { root: root.dir, dataDir: path.join(root.dir, "data") },
    );
    writeFileSync(path.join(workspace.directory, "b.txt"), "broken\n");
    const document = (find: string) => ({
      name: "fix me",
      settings: { fileBatchMode: "independent" },
      nodes: [
        { id: "write", type: "file.write", params: { path: "a.txt", content: "a\n" } },
        { id: "edit", type: "file.edit", params: { path: "b.txt", edits: [{ find, replace: "fixed" }] } },
        { id: "check", type: "shell", params: { command: "cat b.txt" } },
      ],
      edges: [{ from: "edit", to: "check" }],
    });
    const failed = RunReport.parse(await (await post({ plan: document("typo"), workspaceId: workspace.id }, "?wait=30")).json());
    expect(failed.nodes.find((node) => node.id === "edit")?.error?.code).toBe("edit-not-found");
    const auth = { authorization: `Bearer ${token}` };
    const retried = await callRoute(retryRunRoute.withApp(app), {
      method: "POST",
      path: "/x?wait=30",
      params: { runId: failed.runId },
      headers: auth,
      body: { plan: document("broken") },
    });
    expect(retried.status).toBe(200);
    const report = RunReport.parse(await retried.json());
    expect(report).toMatchObject({ status: "succeeded", parentRunId: failed.runId });
    expect(report.nodes.map((node) => [node.id, node.reused])).toEqual([
      ["write", true],
      ["edit", false],
      ["check", false],
    ]);
    expect(report.nodes[2]?.output?.stdout).toBe("fixed\n");

    const undo = () =>
      callRoute(undoRunRoute.withApp(app), { method: "POST", path: "/x", params: { runId: report.runId }, headers: auth, body: {} });
    expect(await (await undo()).json()).toEqual({ restored: expect.arrayContaining(["a.txt", "b.txt"]), conflicts: [] });
    expect(readFileSync(path.join(workspace.directory, "b.txt"), "utf8")).toBe("broken\n");
    const again = await undo();
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { message: string } }).error.message).toContain("already undone");
  });
});
