import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ShellParams } from "../../plan/schema";
import { AbortedError } from "../errors";
import { groupAlive } from "../process-group";
import { executorContext, memoryResources, plan, runPlan, temporaryDirectory } from "../testing/harness";
import { shellExecutor, type ShellResult } from "./shell";
import { isProcessAlive } from "../../testing/processes";

let ws: ReturnType<typeof temporaryDirectory>;
beforeEach(() => {
  ws = temporaryDirectory();
});
afterEach(() => ws.cleanup());

describe("shell", () => {
  it("runs in the workspace with a clean environment and streams output", async () => {
    process.env.BATCHBOARD_TEST_SECRET = "hunter2";
    const { ctx, output } = await executorContext(ws.dir);
    const result = await shellExecutor(
      ShellParams.parse({
        command: 'pwd; echo "home=$HOME"; echo "secret=${BATCHBOARD_TEST_SECRET:-none}"; echo "mine=$MINE"; echo err >&2',
        env: { MINE: "yes" },
      }),
      ctx,
    );
    expect(result.exitCode).toBe(0);
    expect(result.stdout.tail).toBe(`${ctx.workspace.root}\nhome=${ctx.commands.home.HOME}\nsecret=none\nmine=yes\n`);
    expect(result.stderr.tail).toBe("err\n");
    expect(output.some((event) => event.type === "pid")).toBe(true);
    expect(output.filter((event) => event.type === "output").map((event) => event.type === "output" && event.stream)).toContain("stderr");
  });

  it("fails with the exit code and keeps the output; refuses a cwd outside the workspace", async () => {
    const { ctx } = await executorContext(ws.dir);
    await expect(shellExecutor(ShellParams.parse({ command: "echo oops; exit 7" }), ctx)).rejects.toMatchObject({
      code: "exit-code",
      result: { exitCode: 7, stdout: { tail: "oops\n" } },
    });
    await expect(shellExecutor(ShellParams.parse({ command: "true", cwd: ".." }), ctx)).rejects.toMatchObject({ code: "path-escape" });
  });

  it("timeout kills the whole process group, grandchildren included", async () => {
    const resources = memoryResources();
    const document = plan({
      nodes: [
        { id: "slow", type: "shell", timeoutMs: 1000, params: { command: "sh -c 'sleep 30 & echo $! > grandchild.pid; wait' & wait" } },
      ],
    });
    const started = Date.now();
    const { outcome } = await runPlan(resources, document, ws.dir);
    expect(Date.now() - started).toBeLessThan(5000);
    const node = outcome.nodes.get("slow");
    expect(node).toMatchObject({ status: "failed", error: { code: "timeout" } });
    const grandchild = Number(readFileSync(path.join(ws.dir, "grandchild.pid"), "utf8"));
    // The node is reported once the KILL is sent; the kernel may take a moment longer.
    for (let waited = 0; isProcessAlive(grandchild) && waited < 2000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(isProcessAlive(grandchild)).toBe(false);
    expect(groupAlive(node?.pid as number)).toBe(false);
  });

  it("a finished command's leftovers in its process group are killed", async () => {
    const { ctx } = await executorContext(ws.dir);
    const result = await shellExecutor(ShellParams.parse({ command: "sleep 30 & echo $! > left.pid" }), ctx);
    expect(result.exitCode).toBe(0);
    // The leftover held the output pipe, so it was killed before the node finished; its last exit steps may lag.
    const leftover = Number(readFileSync(path.join(ws.dir, "left.pid"), "utf8"));
    for (let waited = 0; waited < 1000 && isProcessAlive(leftover); waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(isProcessAlive(leftover)).toBe(false);
    expect(groupAlive(result.pid as number)).toBe(false);
  });

  it("cancellation leaves no process behind", async () => {
    const controller = new AbortController();
    const { ctx, output } = await executorContext(ws.dir, { signal: controller.signal });
    const running = shellExecutor(ShellParams.parse({ command: "trap '' TERM; (sleep 30 &) ; sleep 30" }), ctx);
    await new Promise((resolve) => setTimeout(resolve, 200));
    controller.abort(new AbortedError("cancelled"));
    await expect(running).rejects.toBeInstanceOf(AbortedError);
    const pid = output.find((event) => event.type === "pid");
    expect(pid && pid.type === "pid" && pid.pid !== undefined && groupAlive(pid.pid)).toBe(false);
  });

  it("background commands are ready on an output pattern or a port and stopped at run end", async () => {
    const server =
      "node -e \"require('net').createServer(()=>{}).listen(Number(process.argv[1]),'127.0.0.1',()=>console.log('listening'))\"";
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, "127.0.0.1", () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
      });
    });
    const resources = memoryResources();
    const document = plan({
      nodes: [
        { id: "server", type: "shell", params: { command: `${server} ${port}`, background: true, readyWhen: { port } } },
        { id: "logger", type: "shell", params: { command: "echo ready; sleep 30", background: true, readyWhen: { output: "^ready" } } },
        {
          id: "client",
          type: "shell",
          params: { command: `node -e "require('net').connect(${port},'127.0.0.1',()=>process.exit(0)).on('error',()=>process.exit(1))"` },
        },
      ],
      edges: [
        { from: "server", to: "client" },
        { from: "logger", to: "client" },
      ],
    });
    const { outcome } = await runPlan(resources, document, ws.dir);
    expect(outcome.status).toBe("succeeded");
    for (const id of ["server", "logger"]) {
      const node = outcome.nodes.get(id);
      expect((node?.result as ShellResult).background).toBe(true);
      expect(groupAlive(node?.pid as number)).toBe(false);
    }
  });

  it("a background command's output after it is ready keeps streaming, and its final result holds it", async () => {
    const resources = memoryResources();
    const document = plan({
      nodes: [
        {
          id: "server",
          type: "shell",
          params: { command: "echo ready; sleep 0.3; echo later; sleep 30", background: true, readyWhen: { output: "^ready" } },
        },
        { id: "client", type: "shell", params: { command: "sleep 1" } },
      ],
      edges: [{ from: "server", to: "client" }],
    });
    const { outcome } = await runPlan(resources, document, ws.dir);
    expect(outcome.status).toBe("succeeded");
    const streamed = resources.events
      .filter((event) => event.type === "node.output" && event.nodeId === "server")
      .map((event) => event.type === "node.output" && event.data);
    expect(streamed.join("")).toBe("ready\nlater\n");
    const server = outcome.nodes.get("server");
    expect(server?.status).toBe("succeeded");
    expect(server?.result).toMatchObject({ background: true, signal: "SIGTERM", stdout: { tail: "ready\nlater\n" } });
  });

  it("a background command that exits before it is ready fails", async () => {
    const { ctx } = await executorContext(ws.dir);
    await expect(
      shellExecutor(ShellParams.parse({ command: "exit 4", background: true, readyWhen: { output: "never" } }), ctx),
    ).rejects.toMatchObject({
      code: "exited-before-ready",
    });
  });

  it("200 MB of output leaves the runner's memory bounded", async () => {
    writeFileSync(path.join(ws.dir, ".keep"), "");
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", path.join(__dirname, "../testing/flood-output.ts"), ws.dir, String(200_000_000)],
      {
        cwd: path.join(__dirname, "../../.."),
      },
    );
    const report = JSON.parse(stdout.trim().split("\n").pop() as string);
    console.log(`200 MB output: peak RSS ${report.peakRssMb} MB`, report);
    expect(report.status).toBe("succeeded");
    expect(report.stdoutBytes).toBe(200_000_000);
    expect(report.truncated).toBe(true);
    expect(report.storedChars).toBeLessThan(4.2 * 1024 * 1024);
    expect(report.peakRssMb).toBeLessThan(200);
  }, 60_000);
});
