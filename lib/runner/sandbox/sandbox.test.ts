/**
 * Commands in the real bubblewrap sandbox, run through the real runner:
 * what they can see and touch, how timeouts end them, escapes included,
 * and the limits that protect the server.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { countProcessesRunning } from "../../testing/processes";
import { memoryResources, plan, runPlan, temporaryDirectory } from "../testing/harness";
import { createSandboxLauncher } from "./bubblewrap";
import type { WorkspaceSandboxSettings } from "./sandbox-settings";
import { readEtcMasks } from "./system-view";

const bwrapInstalled = existsSync("/usr/bin/bwrap");
const data = temporaryDirectory("batchboard-sandbox-data-");
const workspace = path.join(data.dir, "workspaces", "ws");
const otherWorkspace = path.join(data.dir, "workspaces", "other");
/**
 * Whether the describe block running now starts sandboxes as servers do
 * (through a spawn host, /etc's masks listed once) or as the CLI does
 * (forked, each sandbox's start listing them).
 */
let longLived = false;
const launcher = () =>
  createSandboxLauncher({
    helperCacheDirectory: path.join(data.dir, "bin"),
    stateDirectory: path.join(data.dir, "sandboxes"),
    longLived,
  });

beforeAll(() => {
  mkdirSync(workspace, { recursive: true });
  mkdirSync(otherWorkspace, { recursive: true });
  writeFileSync(path.join(data.dir, "batchboard.db"), "every user's email and hash");
  writeFileSync(path.join(otherWorkspace, "theirs.txt"), "another team's file");
});
afterAll(() => data.cleanup());

/** What the sandbox must hide, found here independently of it: entries others may not read (directories: nor enter). */
function privateEtcEntries(dir: string, depth = 0, found: { files: string[]; directories: string[] } = { files: [], directories: [] }) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const { mode } = lstatSync(full);
    if (entry.isDirectory()) {
      if ((mode & 0o005) !== 0o005) found.directories.push(full);
      else if (depth < 6) privateEtcEntries(full, depth + 1, found);
    } else if (entry.isFile() && (mode & 0o004) === 0) found.files.push(full);
  }
  return found;
}

/** The bubblewrap processes holding a run's sandbox (their arguments bind the run's HOME). */
function sandboxProcessesOf(runId: string): string[] {
  const homes = path.join(data.dir, "sandboxes", runId) + path.sep;
  return readdirSync("/proc").filter((entry) => {
    if (!/^\d+$/.test(entry)) return false;
    try {
      return readFileSync(`/proc/${entry}/cmdline`, "utf8")
        .split("\0")
        .some((argument) => argument.startsWith(homes) && argument.endsWith(`${path.sep}home`));
    } catch {
      return false;
    }
  });
}

const shellRequest = (commands: { home: { HOME: string; TMPDIR: string } }) => ({
  command: "true",
  cwd: workspace,
  env: { PATH: "/usr/bin:/bin", ...commands.home },
});

/** Runs one shell node in the sandbox and returns its final state. */
async function runShell(
  command: string,
  options: { timeoutMs?: number; settings?: Partial<WorkspaceSandboxSettings>; background?: boolean } = {},
) {
  const commands = launcher();
  const resources = memoryResources({}, commands);
  const document = plan({
    nodes: [{ id: "cmd", type: "shell", params: { command }, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) }],
  });
  const started = performance.now();
  const { outcome } = await runPlan(resources, document, workspace, { sandbox: { network: true, limits: {}, ...options.settings } });
  await commands.close();
  const node = outcome.nodes.get("cmd");
  const result = node?.result as { stdout: { tail: string }; stderr: { tail: string }; exitCode: number | null } | undefined;
  return { node, stdout: result?.stdout.tail ?? "", stderr: result?.stderr.tail ?? "", elapsedMs: performance.now() - started };
}

describe.runIf(bwrapInstalled).each([
  ["forked by the runner's process, /etc listed by its start", false],
  ["started through a spawn host, /etc listed once", true],
])("the command sandbox, %s", (_, hosted) => {
  beforeAll(async () => {
    longLived = hosted;
    // Every sandbox of this block then takes its masks from the process's list.
    if (hosted) await readEtcMasks();
    // What the other block's killed runner left, as recovery would discard it.
    rmSync(path.join(data.dir, "sandboxes"), { recursive: true, force: true });
  });

  it("runs as an unprivileged user with only its workspace, a private HOME and TMPDIR, and a clean environment", async () => {
    const { node, stdout } = await runShell(
      [
        "id -u",
        "echo home=$HOME tmp=$TMPDIR",
        "env | sort | cut -d= -f1 | tr '\\n' ' '; echo",
        `ls -A ${data.dir} | tr '\\n' ' '; echo`,
        `cat ${path.join(data.dir, "batchboard.db")} 2>&1 || true`,
        `cat ${path.join(otherWorkspace, "theirs.txt")} 2>&1 || true`,
        "touch $HOME/.npmrc $TMPDIR/scratch && echo home-writable",
        "touch /usr/pwned 2>/dev/null || echo system-read-only",
        // The path down to the workspace exists inside only as empty directories in the sandbox's own TMPDIR.
        `touch ${path.join(data.dir, "pwned")} 2>/dev/null; echo attempted`,
        "echo inside > made-here.txt",
        "ls /proc | grep -c '^[0-9]'",
        "cat /proc/[0-9]*/comm | sort -u | tr '\\n' ' '",
      ].join("; "),
    );
    expect(node?.status).toBe("succeeded");
    const lines = stdout.trim().split("\n");
    expect(lines[0]).toBe("65534");
    expect(lines[1]).toBe("home=/home/batchboard tmp=/tmp");
    expect(lines[2]?.trim().split(" ").sort()).toEqual(["HOME", "LANG", "LC_ALL", "PATH", "PWD", "TERM", "TMPDIR"].sort());
    // The data directory shows only the path down to the workspace.
    expect(lines[3]?.trim()).toBe("workspaces");
    expect(lines[4]).toMatch(/No such file or directory/);
    expect(lines[5]).toMatch(/No such file or directory/);
    expect(lines.slice(6, 9)).toEqual(["home-writable", "system-read-only", "attempted"]);
    // Only the sandbox's processes: bubblewrap's init, the helper, the command's init, the shell and its pipeline; no server.
    expect(Number(lines[9])).toBeLessThanOrEqual(8);
    expect(lines[10]?.trim().split(" ").sort()).toEqual(expect.not.arrayContaining(["node", "postgres", "next-server"]));
    expect(lines[10]).toMatch(/helper/);
    expect(readFileSync(path.join(workspace, "made-here.txt"), "utf8")).toBe("inside\n");
    expect(existsSync(path.join(workspace, ".npmrc"))).toBe(false);
    expect(existsSync(path.join(data.dir, "pwned"))).toBe(false);
    // The run's HOME and TMPDIR go with the run (a long-lived process removes them in the background).
    await vi.waitFor(() => expect(readdirSync(path.join(data.dir, "sandboxes"))).toEqual([]));
  });

  it("hides files and directories of /etc that only their owner may read, at any depth", async () => {
    const hidden = privateEtcEntries("/etc");
    expect(hidden.files).toContain("/etc/shadow");
    const probes = [
      ...hidden.files.map((file) => `echo "${file} $(wc -c < ${file} 2>/dev/null || echo 0)"`),
      ...hidden.directories.map((dir) => `echo "${dir} $(ls -A ${dir} 2>/dev/null | wc -l)"`),
    ];
    const { stdout } = await runShell(probes.join("; "));
    expect(stdout.trim().split("\n")).toEqual([...hidden.files, ...hidden.directories].map((entry) => `${entry} 0`));
  });

  it("ends a timed-out command within a second of its limit, setsid and double-fork escapes included", async () => {
    const marker = `9${Date.now() % 100000}.25`;
    const { node } = await runShell(`setsid sleep ${marker} & (setsid sh -c 'sleep ${marker} > /dev/null 2>&1 &' &); sleep ${marker}`, {
      timeoutMs: 1000,
    });
    expect(node?.error?.code).toBe("timeout");
    const nodeMs = (node?.finishedAt?.getTime() ?? Infinity) - (node?.startedAt?.getTime() ?? 0);
    expect(nodeMs).toBeLessThan(2000);
    expect(countProcessesRunning("sleep", marker)).toBe(0);
  });

  it("kills what a finished command left running", async () => {
    const marker = `8${Date.now() % 100000}.5`;
    const { node } = await runShell(`setsid sleep ${marker} > /dev/null 2>&1 & echo started`);
    expect(node?.status).toBe("succeeded");
    expect(countProcessesRunning("sleep", marker)).toBe(0);
  });

  it("names the limit a command ran into", async () => {
    const fileSize = await runShell("head -c 8M /dev/zero > big.bin", { settings: { limits: { fileSizeMb: 1 } } });
    expect(fileSize.node?.error).toMatchObject({ code: "limit-exceeded" });
    expect(fileSize.node?.error?.message).toMatch(/file size limit \(1 MiB per file\)/);

    const memory = await runShell(`perl -e '$x = "a" x (512 * 1024 * 1024); print length $x'`, { settings: { limits: { memoryMb: 128 } } });
    expect(memory.node?.error?.message).toMatch(/memory limit \(128 MiB\)/);

    const cpu = await runShell("while :; do :; done", { settings: { limits: { cpuSeconds: 1 } }, timeoutMs: 60_000 });
    expect(cpu.node?.error?.message).toMatch(/CPU time limit \(1 s per process\)/);
  }, 120_000);

  it("contains a fork bomb and ends it at its timeout", async () => {
    const { node } = await runShell("bomb() { bomb | bomb & }; bomb; sleep 30", {
      settings: { limits: { processes: 64 } },
      timeoutMs: 3000,
    });
    expect(node?.error?.code).toBe("timeout");
    // Reported within a second of its limit; the run itself ends once the kernel has torn the bomb down.
    const nodeMs = (node?.finishedAt?.getTime() ?? Infinity) - (node?.startedAt?.getTime() ?? 0);
    expect(nodeMs).toBeLessThan(4000 + 500);
    // The machine can still start processes.
    expect(execFileSync("/bin/echo", ["alive"]).toString()).toBe("alive\n");
  }, 30_000);

  it("turns the network off when the workspace says so", async () => {
    const server = net.createServer((socket) => socket.end("hello\n"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    const probe = `perl -MIO::Socket::INET -e 'my $s = IO::Socket::INET->new("127.0.0.1:${port}") or do { print "unreachable\\n"; exit 0 }; print scalar <$s>'`;
    try {
      expect((await runShell(probe)).stdout).toBe("hello\n");
      expect((await runShell(probe, { settings: { network: false } })).stdout).toBe("unreachable\n");
    } finally {
      server.close();
    }
  });

  it("leaves nothing of a run that died with its runner once recovery discards it", async () => {
    const commands = launcher().openRun({
      runId: "crashed-run",
      workspaceRoot: workspace,
      settings: { network: true, limits: {} },
      concurrency: 1,
    });
    const started = await commands.spawn(
      { command: "echo cache > $HOME/cache", cwd: workspace, env: { PATH: "/usr/bin:/bin", ...commands.home } },
      () => undefined,
    );
    await started.closed;
    expect(readdirSync(path.join(data.dir, "sandboxes"))).toContain("crashed-run");
    launcher().discardRun("crashed-run");
    expect(readdirSync(path.join(data.dir, "sandboxes"))).not.toContain("crashed-run");
    await commands.close();
  });

  it("starts a prepared run's sandbox before its first command, and the run's commands use that sandbox", async () => {
    const sandboxes = launcher();
    const request = { runId: "prepared-run", workspaceRoot: workspace, settings: { network: true, limits: {} }, concurrency: 1 };
    const discard = sandboxes.prepareRun(request);
    // Up once its start's shell has become bubblewrap, and bubblewrap has forked into the new namespaces.
    await vi.waitFor(() => expect(sandboxProcessesOf("prepared-run")).toHaveLength(2));
    const prepared = sandboxProcessesOf("prepared-run");
    const commands = sandboxes.openRun(request);
    await (await commands.spawn(shellRequest(commands), () => undefined)).closed;
    expect(sandboxProcessesOf("prepared-run")).toEqual(prepared);
    // Opened by its run: discarding leaves it to the run.
    expect(discard()).toBe(false);
    expect(sandboxProcessesOf("prepared-run")).toEqual(prepared);
    await commands.close();
    await vi.waitFor(() => expect(sandboxProcessesOf("prepared-run")).toEqual([]));
    await vi.waitFor(() => expect(readdirSync(path.join(data.dir, "sandboxes"))).not.toContain("prepared-run"));
  });

  it("ends a prepared sandbox that its run never opens, or opens with other settings", async () => {
    const sandboxes = launcher();
    const request = { runId: "claimed-elsewhere", workspaceRoot: workspace, settings: { network: true, limits: {} }, concurrency: 1 };
    expect(sandboxes.prepareRun(request)()).toBe(true);
    await vi.waitFor(() => expect(sandboxProcessesOf("claimed-elsewhere")).toEqual([]));
    await vi.waitFor(() => expect(readdirSync(path.join(data.dir, "sandboxes"))).not.toContain("claimed-elsewhere"));

    const discard = sandboxes.prepareRun({ ...request, runId: "reconfigured" });
    await vi.waitFor(() => expect(sandboxProcessesOf("reconfigured")).toHaveLength(2));
    const prepared = sandboxProcessesOf("reconfigured");
    const commands = sandboxes.openRun({ ...request, runId: "reconfigured", settings: { network: false, limits: {} } });
    await (await commands.spawn(shellRequest(commands), () => undefined)).closed;
    expect(discard()).toBe(true);
    await vi.waitFor(() => expect(sandboxProcessesOf("reconfigured").filter((pid) => prepared.includes(pid))).toEqual([]));
    expect(sandboxProcessesOf("reconfigured")).not.toEqual([]);
    await commands.close();
    await vi.waitFor(() => expect(sandboxProcessesOf("reconfigured")).toEqual([]));
  });

  it("fails shell nodes with one clear error where bubblewrap is missing", async () => {
    const resources = memoryResources(
      {},
      createSandboxLauncher({
        bwrapPath: "/nonexistent/bwrap",
        helperCacheDirectory: path.join(data.dir, "bin"),
        stateDirectory: path.join(data.dir, "sandboxes"),
      }),
    );
    const { outcome } = await runPlan(resources, plan({ nodes: [{ id: "cmd", type: "shell", params: { command: "true" } }] }), workspace);
    expect(outcome.nodes.get("cmd")?.error).toMatchObject({ code: "sandbox-unavailable" });
    expect(outcome.nodes.get("cmd")?.error?.message).toMatch(/apt-get install bubblewrap.*BATCHBOARD_SANDBOX=off/);
  });

  it("explains a sandbox that cannot start, in the node's error", async () => {
    // A stand-in for a bubblewrap that the kernel refuses: what bwrap prints where user namespaces are off.
    const refused = path.join(data.dir, "refusing-bwrap");
    writeFileSync(refused, "#!/bin/sh\necho 'bwrap: setting up uid map: Permission denied' >&2\nexit 1\n", { mode: 0o755 });
    const resources = memoryResources(
      {},
      createSandboxLauncher({
        bwrapPath: refused,
        helperCacheDirectory: path.join(data.dir, "bin"),
        stateDirectory: path.join(data.dir, "sandboxes"),
      }),
    );
    const { outcome } = await runPlan(resources, plan({ nodes: [{ id: "cmd", type: "shell", params: { command: "true" } }] }), workspace);
    expect(outcome.nodes.get("cmd")?.error).toMatchObject({ code: "sandbox-unavailable" });
    expect(outcome.nodes.get("cmd")?.error?.message).toMatch(
      /cannot start here: bwrap: setting up uid map: Permission denied\. This usually means unprivileged user namespaces are disabled/,
    );
  });

  it("a killed runner's commands die with it", async () => {
    const marker = `7${Date.now() % 100000}.75`;
    const script = `
      import { createSandboxLauncher } from "./lib/runner/sandbox/bubblewrap.ts";
      import { memoryResources, plan, runPlan } from "./lib/runner/testing/harness.ts";
      const resources = memoryResources({}, createSandboxLauncher({ helperCacheDirectory: ${JSON.stringify(path.join(data.dir, "bin"))}, stateDirectory: ${JSON.stringify(path.join(data.dir, "sandboxes"))}, longLived: ${hosted} }));
      await runPlan(resources, plan({ nodes: [{ id: "cmd", type: "shell", params: { command: "setsid sleep ${marker} & sleep ${marker}" } }] }), ${JSON.stringify(workspace)});
    `;
    const runner = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: path.join(__dirname, "../../.."),
      stdio: "ignore",
    });
    for (let waited = 0; countProcessesRunning("sleep", marker) < 2 && waited < 20_000; waited += 50)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(countProcessesRunning("sleep", marker)).toBe(2);
    runner.kill("SIGKILL");
    for (let waited = 0; countProcessesRunning("sleep", marker) > 0 && waited < 2000; waited += 50)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(countProcessesRunning("sleep", marker)).toBe(0);
  }, 30_000);
});
