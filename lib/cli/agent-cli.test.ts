/**
 * Agents and people without a browser, through the real CLI processes on a
 * real SQLite file: setup with the password on stdin, an API token with a
 * role, a workspace registered from an existing directory, a tool-call batch
 * with a broken edit, the retry with a fixed plan, and the undo of the chain.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticateApiToken } from "../server/authenticate";
import { openDatabase } from "../db/client";
import { parseDatabaseUrl } from "../db/database-config";
import { temporaryDirectory } from "../runner/testing/harness";

const REPO = path.join(__dirname, "../..");
let home: ReturnType<typeof temporaryDirectory>;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  home = temporaryDirectory("batchboard-agent-cli-");
  env = { ...process.env, BATCHBOARD_DATA_DIR: path.join(home.dir, "data") };
  delete env.DATABASE_URL;
});
afterAll(() => home.cleanup());

function cli(args: string[], stdin = ""): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO, "lib/cli/main.ts"), ...args], { cwd: REPO, env });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

describe("batchboard without a browser", () => {
  it("sets up the owner from stdin, creates a runner token and registers a workspace", async () => {
    const weak = await cli(["setup", "--email", "ada@example.com", "--name", "Ada", "--team", "Acme"], "short\n");
    expect(weak.code).toBe(2);
    expect(weak.stderr).toContain("the password on stdin");
    const setup = await cli(["setup", "--email", "ada@example.com", "--name", "Ada", "--team", "Acme"], "correct horse battery\n");
    expect(setup.stderr).toBe("");
    expect(setup.stdout).toContain('Ada <ada@example.com> owns team "Acme"');
    expect((await cli(["setup", "--email", "bob@example.com", "--name", "Bob", "--team", "B"], "another password\n")).stderr).toContain(
      "already set up",
    );

    const created = await cli(["token", "create", "--name", "ci", "--role", "runner", "--json"]);
    const { token, role } = JSON.parse(created.stdout) as { token: string; role: string };
    expect(role).toBe("runner");
    const database = await openDatabase(parseDatabaseUrl(`file:${path.join(home.dir, "data", "batchboard.db")}`));
    try {
      expect(await authenticateApiToken(database.client, token)).toMatchObject({ role: "runner" });
    } finally {
      await database.close();
    }

    // An existing checkout under the workspace root registers; one outside it is refused.
    const existing = path.join(home.dir, "data", "workspaces", "checkouts", "site");
    mkdirSync(existing, { recursive: true });
    const added = await cli(["workspace", "add", "site", "--path", existing, "--json"]);
    expect(JSON.parse(added.stdout)).toMatchObject({ name: "site", directory: existing });
    expect((await cli(["workspace", "add", "site", "--path", existing])).code).toBe(1);
    const outside = temporaryDirectory("batchboard-agent-outside-");
    try {
      const refused = await cli(["workspace", "add", "elsewhere", "--path", outside.dir]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/directory/);
    } finally {
      outside.cleanup();
    }
  }, 300_000);

  it("runs a tool-call batch, retries it with a fixed plan, and undoes the chain", async () => {
    const ws = temporaryDirectory();
    try {
      writeFileSync(path.join(ws.dir, "lib.js"), "exports.oldName = 1;\n");
      const calls = path.join(home.dir, "calls.json");
      writeFileSync(
        calls,
        JSON.stringify({
          calls: [
            { name: "Write", input: { file_path: path.join(ws.dir, "README.md"), content: "uses newName\n" } },
            { name: "Edit", input: { file_path: "lib.js", old_string: "oldNaem", new_string: "newName" } },
            { name: "Bash", input: { command: "grep -c newName lib.js README.md" } },
          ],
        }),
      );
      const first = await cli(["run", "--calls", calls, "--workspace", ws.dir, "--name", "rename", "--json"]);
      expect(first.code).toBe(1);
      const report = JSON.parse(first.stdout) as {
        runId: string;
        nodes: Array<{ id: string; status: string; error: { code: string } | null }>;
        compiled: { plan: { nodes: Array<{ id: string; params: { edits?: Array<{ find: string }> } }> } };
      };
      expect(report.nodes.find((node) => node.id === "call1-edit")).toMatchObject({ status: "failed", error: { code: "edit-not-found" } });

      const fixed = report.compiled.plan;
      const edit = fixed.nodes.find((node) => node.id === "call1-edit");
      if (edit?.params.edits?.[0]) edit.params.edits[0].find = "oldName";
      const planFile = path.join(home.dir, "fixed.json");
      writeFileSync(planFile, JSON.stringify(fixed));
      const retried = await cli(["retry", report.runId, "--plan", planFile, "--json"]);
      expect(retried.code).toBe(0);
      const retry = JSON.parse(retried.stdout) as {
        runId: string;
        parentRunId: string;
        nodes: Array<{ id: string; reused: boolean; output?: { stdout: string } }>;
      };
      expect(retry.parentRunId).toBe(report.runId);
      expect(retry.nodes.map((node) => [node.id, node.reused])).toEqual([
        ["call0-write", true],
        ["call1-edit", false],
        ["call2-bash", false],
      ]);
      expect(retry.nodes[2]?.output?.stdout).toBe("lib.js:1\nREADME.md:1\n");

      const undone = await cli(["undo", retry.runId]);
      expect(undone.code).toBe(0);
      expect(undone.stdout).toContain("Restored 2 file(s)");
      expect(readFileSync(path.join(ws.dir, "lib.js"), "utf8")).toBe("exports.oldName = 1;\n");
      expect(existsSync(path.join(ws.dir, "README.md"))).toBe(false);
      const again = await cli(["undo", retry.runId]);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain("Nothing to undo");
    } finally {
      ws.cleanup();
    }
  }, 300_000);
});
