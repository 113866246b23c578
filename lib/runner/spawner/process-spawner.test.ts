import os from "node:os";
import { afterAll, describe, expect, it } from "vitest";
import { groupAlive, signalGroup } from "../process-group";
import { temporaryDirectory } from "../testing/harness";
import { createNodeSpawner, createZygoteSpawner, ensureNativeZygote, type ProcessSpawner } from "./process-spawner";

const cache = temporaryDirectory("batchboard-zygote-");
afterAll(() => cache.cleanup());
const nativeAvailable = ensureNativeZygote(cache.dir) !== null;

const spawners: Array<[string, () => ProcessSpawner, boolean]> = [
  ["node", () => createNodeSpawner(), true],
  ["perl zygote", () => createZygoteSpawner({ nativeCacheDir: undefined }), true],
  ["native zygote", () => createZygoteSpawner({ nativeCacheDir: cache.dir }), nativeAvailable],
];

describe.each(spawners)("%s spawner", (_name, create, available) => {
  it.runIf(available)("streams output, reports exit codes, passes only the given environment, leads its own process group", async () => {
    const spawner = create();
    try {
      const chunks: string[] = [];
      const started = await spawner.spawn(
        {
          command: 'echo "$GREETING from $(pwd)"; echo oops >&2; ps -o pgid= -p $$; exit 3',
          cwd: os.tmpdir(),
          env: { PATH: "/usr/bin:/bin", GREETING: "hi" },
        },
        (stream, chunk) => chunks.push(`${stream}:${chunk.toString()}`),
      );
      expect(await started.exited).toEqual({ code: 3, signal: null });
      await started.closed;
      const text = chunks.join("");
      expect(text).toContain(`stdout:hi from ${os.tmpdir()}`);
      expect(text).toContain("stderr:oops");
      expect(text).toContain(String(started.pid));

      const sleeper = await spawner.spawn({ command: "sleep 30", cwd: os.tmpdir(), env: { PATH: "/usr/bin:/bin" } }, () => undefined);
      signalGroup(sleeper.pid, "SIGKILL");
      expect(await sleeper.exited).toEqual({ code: null, signal: "SIGKILL" });
      await sleeper.closed;

      const many = await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const out: Buffer[] = [];
          const child = await spawner.spawn({ command: `echo ${i}`, cwd: os.tmpdir(), env: {} }, (_stream, chunk) => out.push(chunk));
          await child.closed;
          return Buffer.concat(out).toString().trim();
        }),
      );
      expect(many).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
    } finally {
      spawner.close();
    }
  });

  it.runIf(available)("kills what a command left in its group when asked to, and only then", async () => {
    const spawner = create();
    const start = async (killGroupOnExit: boolean) => {
      let output = "";
      const started = await spawner.spawn(
        { command: "sleep 30 & echo $!", cwd: os.tmpdir(), env: { PATH: "/usr/bin:/bin" }, killGroupOnExit },
        (_stream, chunk) => (output += chunk.toString()),
      );
      expect(await started.exited).toEqual({ code: 0, signal: null });
      return { started, leftover: () => Number(output.trim()) };
    };
    try {
      const killed = await start(true);
      // The leftover `sleep` held the output pipe open: closing proves it is gone.
      await killed.started.closed;
      // Killed, it may linger a moment as a zombie until init reaps it.
      for (let waited = 0; groupAlive(killed.started.pid) && waited < 3000; waited += 20)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(groupAlive(killed.started.pid)).toBe(false);
      const kept = await start(false);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(groupAlive(kept.started.pid)).toBe(true);
      signalGroup(kept.started.pid, "SIGKILL");
      await kept.started.closed;
    } finally {
      spawner.close();
    }
  });

  it.runIf(available)("starts commands with a fresh signal state, runs empty commands and refuses NUL bytes", async () => {
    const spawner = create();
    const run = async (command: string, env: Record<string, string> = { PATH: "/usr/bin:/bin" }) => {
      const chunks: string[] = [];
      const started = await spawner.spawn({ command, cwd: os.tmpdir(), env }, (stream, chunk) =>
        chunks.push(`${stream}:${chunk.toString()}`),
      );
      const exit = await started.exited;
      await started.closed;
      return { exit, output: chunks.join("") };
    };
    try {
      // With SIGPIPE ignored, `yes` would see EPIPE and complain ("Broken pipe"); nothing may be blocked or ignored.
      const signals = await run("yes | head -n 1; exec grep -E '^Sig(Blk|Ign)' /proc/self/status");
      expect(signals).toEqual({ exit: { code: 0, signal: null }, output: expect.not.stringContaining("stderr:") });
      expect(signals.output).toMatch(/SigBlk:\s+0+\n/);
      expect(signals.output).toMatch(/SigIgn:\s+0+\n/);
      expect(await run("")).toEqual({ exit: { code: 0, signal: null }, output: "" });
      expect(await run('echo "$EMPTY|$SPACED"', { EMPTY: "", SPACED: " a  b " })).toEqual({
        exit: { code: 0, signal: null },
        output: "stdout:| a  b \n",
      });
      await expect(spawner.spawn({ command: "echo a\0b", cwd: os.tmpdir(), env: {} }, () => undefined)).rejects.toThrow(
        /null bytes|NUL byte/,
      );
      await expect(spawner.spawn({ command: "true", cwd: os.tmpdir(), env: { BAD: "a\0b" } }, () => undefined)).rejects.toThrow(
        /null bytes|NUL byte/,
      );
    } finally {
      spawner.close();
    }
  });
});
