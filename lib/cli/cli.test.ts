/**
 * The CLI as users run it: real processes, a real SQLite file, real files —
 * including a crash (SIGKILL of the CLI mid-run) and the resume after it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../db/client";
import { parseDatabaseUrl } from "../db/database-config";
import { temporaryDirectory } from "../runner/testing/harness";
import { countProcessesRunning } from "../testing/processes";

const REPO = path.join(__dirname, "../..");
let home: ReturnType<typeof temporaryDirectory>;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  home = temporaryDirectory("batchboard-cli-");
  env = { ...process.env, BATCHBOARD_DATA_DIR: path.join(home.dir, "data"), DATABASE_URL: "" };
  delete env.DATABASE_URL;
});
afterAll(() => home.cleanup());

function startCli(args: string[]): { child: ChildProcess; result: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [path.join(REPO, "scripts/batchboard.cjs"), ...args], { cwd: REPO, env });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const result = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("close", (code) => resolve({ code, stdout, stderr })),
  );
  return { child, result };
}

const cli = (args: string[]) => startCli(args).result;

function writePlan(name: string, document: unknown): string {
  const file = path.join(home.dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(document));
  return file;
}

async function waitFor(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("Timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("batchboard CLI", () => {
  it("validate and plan report problems and batches with exit codes", async () => {
    const bad = writePlan("bad", { name: "bad", nodes: [{ id: "x", type: "file.write", params: { path: "../out", content: "" } }] });
    const validated = await cli(["validate", bad]);
    expect(validated.code).toBe(1);
    expect(validated.stdout).toContain("path-escapes-workspace");
    // The CLI loads only zod's mini build, which has no messages until lib/plan/mini-zod.ts sets English.
    const outOfRange = writePlan("out-of-range", {
      name: "r",
      nodes: [{ id: "x", type: "shell", retries: 50, params: { command: "true" } }],
    });
    expect((await cli(["validate", outOfRange])).stdout).toContain('node "x" · retries: "retries": Too big: expected number to be <=20');
    const good = writePlan("good", {
      name: "good",
      nodes: [
        { id: "a", type: "file.write", params: { path: "a.txt", content: "a" } },
        { id: "b", type: "file.write", params: { path: "b.txt", content: "b" } },
      ],
    });
    const planned = await cli(["plan", good]);
    expect(planned.code).toBe(0);
    expect(planned.stdout).toContain("w0:file-change [file-change, atomic]");
  }, 30_000);

  it("run --json prints per-node results and exits 1 on failure; dry run writes nothing", async () => {
    const ws = temporaryDirectory();
    try {
      const file = writePlan("json", {
        name: "json plan",
        nodes: [
          { id: "w", type: "file.write", params: { path: "out.txt", content: "hello\n" } },
          { id: "fail", type: "shell", params: { command: "exit 5" } },
        ],
      });
      const dry = await cli(["run", file, "--workspace", ws.dir, "--dry-run"]);
      expect(dry.stdout).toContain("+hello");
      expect(dry.stdout).toContain("· 1 file change (atomic)");
      expect(dry.stdout).toContain("· 1 command\n");
      expect(existsSync(path.join(ws.dir, "out.txt"))).toBe(false);
      const run = await cli(["run", file, "--workspace", ws.dir, "--json", "--concurrency", "2"]);
      expect(run.code).toBe(1);
      const report = JSON.parse(run.stdout);
      expect(report.status).toBe("failed");
      expect(report.nodes.find((node: { id: string }) => node.id === "fail")).toMatchObject({ status: "failed", exitCode: 5, changes: [] });
      expect(report.nodes.find((node: { id: string }) => node.id === "w")).toMatchObject({
        result: { path: "out.txt", outcome: "created" },
        changes: [{ path: "out.txt", operation: "create", diff: expect.stringContaining("+hello") }],
      });
      expect(readFileSync(path.join(ws.dir, "out.txt"), "utf8")).toBe("hello\n");
      const undone = await cli(["undo", report.runId]);
      expect(undone.code).toBe(0);
      expect(existsSync(path.join(ws.dir, "out.txt"))).toBe(false);
    } finally {
      ws.cleanup();
    }
  }, 60_000);

  it("survives SIGKILL mid-run: finished results stay, its commands die with it, resume succeeds", async () => {
    const ws = temporaryDirectory();
    const marker = `6${Date.now() % 10000}.5`;
    try {
      const file = writePlan("crash", {
        name: "crash plan",
        nodes: [
          { id: "first", type: "shell", params: { command: "echo ran >> first.log" } },
          // First attempt hangs (and is orphaned by the crash); the resumed attempt succeeds at once.
          {
            id: "second",
            type: "shell",
            params: { command: `n=$(cat second.pids 2>/dev/null | wc -l); echo started >> second.pids; [ "$n" -ge 1 ] || sleep ${marker}` },
          },
          { id: "third", type: "file.write", params: { path: "third.txt", content: "done" } },
        ],
        edges: [
          { from: "first", to: "second" },
          { from: "second", to: "third" },
        ],
      });
      const { child, result } = startCli(["run", file, "--workspace", ws.dir]);
      let runId = "";
      child.stdout?.on("data", (chunk: Buffer) => {
        const match = /Run (\S+) of/.exec(chunk.toString());
        if (match) runId = match[1] as string;
      });
      await waitFor(() => existsSync(path.join(ws.dir, "second.pids")) && runId !== "");
      await new Promise((resolve) => setTimeout(resolve, 300)); // let a flush or two happen
      child.kill("SIGKILL");
      await result;
      // The run's sandbox died with the CLI, and the hanging command in it.
      await waitFor(() => countProcessesRunning("sleep", marker) === 0, 3_000);

      const database = await openDatabase(parseDatabaseUrl(`file:${path.join(home.dir, "data", "batchboard.db")}`));
      try {
        const run = await database.client.run.findUniqueOrThrow({ where: { id: runId }, include: { nodeRuns: true } });
        expect(run.status).toBe("running");
        const byId = new Map(run.nodeRuns.map((node) => [node.nodeId, node]));
        expect(byId.get("first")).toMatchObject({ status: "succeeded", exitCode: 0 });
        expect(byId.get("second")?.status).toBe("running");
        // A sandboxed command's pid means nothing outside its sandbox: none is stored for recovery to kill.
        expect(byId.get("second")?.pid).toBeNull();
      } finally {
        await database.close();
      }

      const resumed = await cli(["resume", runId, "--json"]);
      expect(resumed.stderr).toContain("marked interrupted");
      expect(resumed.code).toBe(0);
      const report = JSON.parse(resumed.stdout);
      expect(report.status).toBe("succeeded");
      expect(report.runId).toBe(runId);
      expect(readFileSync(path.join(ws.dir, "first.log"), "utf8")).toBe("ran\n");
      expect(readFileSync(path.join(ws.dir, "third.txt"), "utf8")).toBe("done");
    } finally {
      ws.cleanup();
    }
  }, 60_000);
});
