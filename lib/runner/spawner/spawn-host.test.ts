/**
 * The spawn host with real processes: what it starts talks over the pipes it
 * hands back and is the host's child, not this process's; an idle child does
 * not keep this process alive; the host ends with its parent.
 */
import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { isProcessAlive } from "../../testing/processes";
import { createSpawnHost } from "./spawn-host";

const REPO_ROOT = path.resolve(import.meta.dirname, "../../..");

/** A process's parent, from /proc. */
function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
}

describe("the spawn host", () => {
  it("starts a process whose pipes come back here, as the host's child, and reports its exit", async () => {
    const host = createSpawnHost();
    const output: string[] = [];
    let exits = 0;
    const child = host.start(
      { file: "/bin/sh", args: ["-c", 'echo "pid $$"; while read line; do echo "got $line"; echo "err $line" >&2; done'] },
      { stdout: (chunk) => output.push(chunk.toString()), stderr: (chunk) => output.push(chunk.toString()), exit: () => exits++ },
    );
    // Written before the host has handed back the pipes: held, then sent.
    child.write("one\n");
    await vi.waitFor(() => expect(output.join("")).toMatch(/got one\n/));
    child.write("two\n");
    await vi.waitFor(() => expect(output.join("")).toMatch(/err two\n/));
    const pid = Number(/pid (\d+)/.exec(output.join(""))?.[1]);
    expect(parentOf(pid)).not.toBe(process.pid);
    expect(parentOf(parentOf(pid))).toBe(process.pid);
    await child.close();
    expect(exits).toBe(1);
    expect(isProcessAlive(pid)).toBe(false);
    host.close();
  });

  it("reports a program that cannot start as an exit, with the reason", async () => {
    const host = createSpawnHost();
    const errors: string[] = [];
    const exited = new Promise<void>((resolve) =>
      host.start(
        { file: "/nonexistent/program", args: [] },
        { stdout: () => undefined, stderr: (chunk) => errors.push(chunk.toString()), exit: resolve },
      ),
    );
    await exited;
    expect(errors.join("")).toMatch(/ENOENT/);
    host.close();
  });

  it("lets this process exit while what it started is idle, and ends with this process", () => {
    // A process whose last handle is a hosted `sleep 30` gone idle: it must exit by itself, not in 30 s.
    const script = `
      import { createSpawnHost } from "./lib/runner/spawner/spawn-host.ts";
      const child = createSpawnHost().start({ file: "/bin/sleep", args: ["30"] }, { stdout() {}, stderr() {}, exit() {} });
      setTimeout(() => {
        child.keepAlive(false);
        console.log("idle");
      }, 1000);
    `;
    const started = Date.now();
    const output = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      timeout: 40_000,
    });
    expect(output.trim()).toBe("idle");
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it("ends when the process that started it is killed", async () => {
    const script = `
      import { createSpawnHost } from "./lib/runner/spawner/spawn-host.ts";
      createSpawnHost().start({ file: "/bin/sleep", args: ["30"] }, { stdout() {}, stderr() {}, exit() {} });
      setInterval(() => {}, 1000);
    `;
    const owner = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: REPO_ROOT, stdio: "ignore" });
    const findHost = () => {
      try {
        return Number(
          // The host among the owner's children (tsx has one too): the one running the host's source.
          execFileSync("pgrep", ["-P", String(owner.pid), "-f", "process.on"], { encoding: "utf8" })
            .trim()
            .split("\n")[0],
        );
      } catch {
        return 0;
      }
    };
    await vi.waitFor(() => expect(findHost()).toBeGreaterThan(0), { timeout: 15_000 });
    const hostPid = findHost();
    // At once: the host may not even be listening on its channel yet.
    owner.kill("SIGKILL");
    await vi.waitFor(() => expect(isProcessAlive(hostPid)).toBe(false), { timeout: 5_000 });
  }, 30_000);
});
