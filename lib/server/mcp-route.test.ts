/**
 * The MCP server driven by the SDK's own client, as an agent would, over
 * both transports: Streamable HTTP on /api/mcp (the real route handler behind
 * a real HTTP server, authenticated with API tokens) and stdio
 * (`batchboard mcp` as a child process on its own SQLite file). A batch with
 * a deliberate failure, the error read back, a retry with the fix, the
 * output read by offset, the whole chain undone.
 */
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeOutput, RunToolResult, UndoOutcome } from "../mcp/agent-backend";
import { temporaryDirectory } from "../runner/testing/harness";
import { addMemberWithRole, createTeamWithMember, createTokenFor } from "../testing/fixtures";
import { serveRoute } from "../testing/serve-route";
import { createTestApp } from "../testing/test-app";
import { createTestDatabase, type TestDatabase } from "../testing/test-database";
import type { AppContext } from "./app-context";
import { mcpRoute } from "./mcp-route";

const REPO = path.join(__dirname, "../..");
const TOOLS = [
  "validate_plan",
  "plan_batches",
  "run_plan",
  "run_batch",
  "get_run",
  "read_output",
  "retry_run",
  "cancel_run",
  "undo_run",
  "list_plans",
  "get_plan",
];

async function call<T>(client: Client, name: string, args: Record<string, unknown>): Promise<T> {
  const result = await client.callTool({ name, arguments: args });
  if (result.isError) throw new Error(JSON.stringify(result.content));
  return result.structuredContent as T;
}

async function callFailing(client: Client, name: string, args: Record<string, unknown>): Promise<string> {
  const result = await client.callTool({ name, arguments: args });
  expect(result.isError).toBe(true);
  return (result.content as Array<{ text: string }>).map((part) => part.text).join("");
}

/** The agent's session: list, run a batch with a broken edit, fix it by retrying with a revised plan, read the output, undo. */
async function agentSession(client: Client) {
  const { tools } = await client.listTools();
  expect(tools.map((tool) => tool.name).sort()).toEqual([...TOOLS].sort());
  expect(tools.every((tool) => tool.description && tool.inputSchema && tool.outputSchema)).toBe(true);

  const first = await call<RunToolResult>(client, "run_batch", {
    name: `mcp batch ${Math.random().toString(36).slice(2)}`,
    waitSeconds: 60,
    calls: [
      { name: "Write", input: { file_path: "greeting.txt", content: "hello world\n" } },
      { name: "Edit", input: { file_path: "greeting.txt", old_string: "hello wrold", new_string: "hello there" } },
      { name: "Bash", input: { command: "cat greeting.txt" } },
    ],
  });
  expect(first).toMatchObject({ finished: true, status: "failed" });
  const edit = first.report?.nodes.find((node) => node.id === "call1-edit");
  expect(edit).toMatchObject({ status: "failed", error: { code: "edit-not-found", editIndex: 0 } });
  expect(first.report?.retry.nodeIds).toEqual(["call1-edit"]);
  expect(first.compiled?.calls.map((entry) => entry.nodeId)).toEqual(["call0-write", "call1-edit", "call2-bash"]);

  const plan = structuredClone(first.compiled?.plan) as { nodes: Array<{ id: string; params: { edits?: Array<{ find: string }> } }> };
  const brokenEdit = plan.nodes.find((node) => node.id === "call1-edit");
  if (brokenEdit?.params.edits?.[0]) brokenEdit.params.edits[0].find = "hello world";
  const fixed = await call<RunToolResult>(client, "retry_run", { runId: first.runId, plan, waitSeconds: 60 });
  expect(fixed).toMatchObject({ finished: true, status: "succeeded" });
  expect(fixed.report?.nodes.map((node) => [node.id, node.reused])).toEqual([
    ["call0-write", true],
    ["call1-edit", false],
    ["call2-bash", false],
  ]);
  expect(fixed.report?.nodes[2]?.output?.stdout).toBe("hello there\n");

  const output = await call<NodeOutput>(client, "read_output", { runId: fixed.runId, nodeId: "call2-bash" });
  expect(output).toMatchObject({ output: "hello there\n", nextOffset: 12, finished: true });
  expect((await call<NodeOutput>(client, "read_output", { runId: fixed.runId, nodeId: "call2-bash", offset: 6 })).output).toBe("there\n");

  const undone = await call<UndoOutcome>(client, "undo_run", { runId: fixed.runId });
  expect(undone).toEqual({ restored: ["greeting.txt"], conflicts: [] });
  expect(await callFailing(client, "undo_run", { runId: fixed.runId })).toContain("already undone");

  const schema = await client.readResource({ uri: "batchboard://schema/plan.json" });
  expect(JSON.parse((schema.contents[0] as { text: string }).text).title).toBe("Batchboard plan");
  return { fixed };
}

describe("MCP over Streamable HTTP at /api/mcp", () => {
  let db: TestDatabase;
  let app: AppContext;
  let served: Awaited<ReturnType<typeof serveRoute>>;
  let url: URL;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
    const { team, user } = await createTeamWithMember(db.client, "owner");
    app = createTestApp(db, { team, owner: user, workspace: { id: "unused", name: "default", directory: "/nonexistent" } });
    tokens.owner = (await createTokenFor(db.client, user.id, team.id)).secret;
    tokens.viewer = (await createTokenFor(db.client, (await addMemberWithRole(db.client, team.id, "viewer")).id, team.id)).secret;
    served = await serveRoute(mcpRoute.withApp(app));
    url = new URL(`${served.url}/api/mcp`);
  });
  afterAll(async () => {
    await served.close();
    await db.destroy();
  });

  const connect = async (token?: string) => {
    const client = new Client({ name: "test-agent", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(url, { requestInit: { headers: token ? { authorization: `Bearer ${token}` } : {} } }),
    );
    return client;
  };

  it("runs an agent's fail, fix, retry and undo session with an API token", async () => {
    const client = await connect(tokens.owner);
    const { fixed } = await agentSession(client);
    const plans = await call<{ plans: Array<{ id: string; name: string }> }>(client, "list_plans", { search: "mcp batch" });
    expect(plans.plans).toHaveLength(1);
    const stored = await call<{ versionNumber: number; document: { nodes: unknown[] } }>(client, "get_plan", {
      planId: plans.plans[0]?.id,
    });
    expect(stored.versionNumber).toBe(2);
    expect(stored.document.nodes).toHaveLength(3);
    expect((await call<{ status: string }>(client, "get_run", { runId: fixed.runId })).status).toBe("succeeded");
    await client.close();
  }, 180_000);

  it("refuses requests without a token, and what the token's role may not do", async () => {
    await expect(connect()).rejects.toThrow();
    const viewer = await connect(tokens.viewer);
    expect(await callFailing(viewer, "run_plan", { plan: { name: "x", nodes: [] }, waitSeconds: 1 })).toContain("needs run:start");
    expect(
      (
        await call<{ ok: boolean }>(viewer, "validate_plan", {
          plan: { name: "x", nodes: [{ id: "a", type: "file.write", params: { path: "../x", content: "" } }] },
        })
      ).ok,
    ).toBe(false);
    await viewer.close();
  });
});

describe("MCP over stdio (batchboard mcp)", () => {
  const home = temporaryDirectory("batchboard-mcp-");
  afterAll(() => home.cleanup());

  it("runs the same session on the local database", async () => {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined && key !== "DATABASE_URL") env[key] = value;
    env.BATCHBOARD_DATA_DIR = path.join(home.dir, "data");
    const transport: Transport = new StdioClientTransport({
      command: process.execPath,
      args: ["--import", "tsx", path.join(REPO, "lib/cli/main.ts"), "mcp"],
      cwd: REPO,
      env,
      stderr: "pipe",
    });
    const client = new Client({ name: "test-agent", version: "1.0.0" });
    await client.connect(transport);
    await agentSession(client);
    await client.close();
  }, 300_000);
});
