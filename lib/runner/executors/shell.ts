import { stat } from "node:fs/promises";
import net from "node:net";
import type { ShellParams } from "../../plan/schema";
import { AbortedError, NonRetryableError, OperationError } from "../errors";
import { OutputCapture, type CapturedOutput } from "../output-capture";
import { signalGroup, stopGroup } from "../process-group";
import { throwIfAborted, type Executor, type ExecutorContext } from "./types";

/** What a `shell` node keeps for inspection. */
export interface ShellResult {
  command: string;
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  pid: number | null;
  stdout: CapturedOutput;
  stderr: CapturedOutput;
  /** Background commands: still running after the node succeeded. */
  background?: boolean;
  /** Dry runs do not execute commands. */
  dryRun?: boolean;
}

/**
 * The environment a command sees: a safe base plus what the plan sets; the
 * server's own environment (secrets included) never leaks in.
 */
export function commandEnvironment(params: ShellParams, ctx: ExecutorContext, cwd: string): Record<string, string> {
  return {
    PATH: ctx.limits.shellPath,
    HOME: ctx.workspace.root,
    LANG: "C.UTF-8",
    LC_ALL: "C.UTF-8",
    TERM: "dumb",
    PWD: cwd,
    ...params.env,
  };
}

/**
 * Runs `/bin/sh -c command` in its own process group inside the workspace.
 * Timeout and cancel (the abort signal) stop the whole group; leftovers of a
 * finished foreground command are killed too. Background commands succeed
 * once ready (`readyWhen`) and keep running until the run ends.
 */
export const shellExecutor: Executor<ShellParams, ShellResult> = async (params, ctx) => {
  throwIfAborted(ctx.signal);
  const cwd = await ctx.files.resolve(params.cwd);
  if (ctx.dryRun) {
    const empty: CapturedOutput = { tail: "", bytes: 0, truncated: false };
    return { command: params.command, exitCode: null, signal: null, durationMs: 0, pid: null, stdout: empty, stderr: empty, dryRun: true };
  }
  if (cwd !== ctx.workspace.root) {
    const info = await stat(cwd).catch(() => null);
    if (!info?.isDirectory()) throw new NonRetryableError("cwd-not-found", `Working directory "${params.cwd}" does not exist`);
  }

  const started = performance.now();
  const stdout = captureOutput(ctx, "stdout");
  const stderr = captureOutput(ctx, "stderr");
  const readiness = params.background ? new Readiness(params.readyWhen) : null;
  let spawned;
  try {
    // Whatever a foreground command leaves in its group (e.g. `sleep 100 &`) goes with it.
    const request = { command: params.command, cwd, env: commandEnvironment(params, ctx, cwd), killGroupOnExit: !params.background };
    spawned = await ctx.spawner.spawn(request, (stream, chunk) => {
      (stream === "stdout" ? stdout : stderr).push(chunk);
      readiness?.onOutput(chunk);
    });
  } catch (error) {
    throw new OperationError("spawn-failed", `Could not start /bin/sh: ${(error as Error).message}`);
  }
  const { pid, exited, closed } = spawned;
  ctx.emit({ type: "pid", pid });

  const abortListener = () => void stopGroup(pid, ctx.limits.killGraceMs);
  ctx.signal.addEventListener("abort", abortListener, { once: true });
  if (ctx.signal.aborted) abortListener();

  const resultOf = (code: number | null, signal: string | null): ShellResult => ({
    command: params.command,
    exitCode: code,
    signal,
    durationMs: Math.round(performance.now() - started),
    pid,
    stdout: stdout.summary(),
    stderr: stderr.summary(),
  });

  if (readiness) {
    if (params.readyWhen && "port" in params.readyWhen) void pollPort(params.readyWhen.port, ctx.signal, exited).then((open) => open && readiness.markReady());
    const first = await Promise.race([readiness.ready.then(() => "ready" as const), exited]);
    if (first !== "ready") {
      ctx.signal.removeEventListener("abort", abortListener);
      signalGroup(pid, "SIGKILL");
      await closed;
      throwIfAborted(ctx.signal);
      throw new OperationError("exited-before-ready", `Background command exited (code ${first.code}) before it was ready`, resultOf(first.code, first.signal));
    }
    ctx.keepProcess({
      nodeId: ctx.nodeId,
      pid,
      keepRunning: params.keepRunning,
      stop: async () => {
        await stopGroup(pid, ctx.limits.killGraceMs);
        await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 500))]);
      },
    });
    // The command keeps running; cancelling the run still stops it.
    return { ...resultOf(null, null), background: true };
  }

  const { code, signal } = await exited;
  await closed;
  stdout.end();
  stderr.end();
  ctx.signal.removeEventListener("abort", abortListener);
  if (ctx.signal.aborted) {
    const reason: unknown = ctx.signal.reason;
    throw reason instanceof AbortedError ? reason : new AbortedError("cancelled");
  }
  const result = resultOf(code, signal);
  if (code !== 0) {
    throw new OperationError(
      signal ? "signal" : "exit-code",
      signal ? `Command was killed by ${signal}` : `Command exited with code ${code}`,
      result,
    );
  }
  return result;
};

function captureOutput(ctx: ExecutorContext, stream: "stdout" | "stderr"): OutputCapture {
  return new OutputCapture(ctx.limits.outputTailBytes, ctx.limits.outputStoreBytes, (data, truncated) =>
    ctx.emit({ type: "output", stream, data, truncated: truncated || undefined }),
  );
}

/** When a background command counts as ready: at once, on an output pattern, or (polled by the caller) an open port. */
class Readiness {
  readonly ready: Promise<void>;
  markReady!: () => void;
  private readonly pattern: RegExp | null;
  private recent = "";

  constructor(readyWhen: ShellParams["readyWhen"]) {
    this.ready = new Promise<void>((resolve) => (this.markReady = resolve));
    this.pattern = readyWhen && "output" in readyWhen ? new RegExp(readyWhen.output) : null;
    if (!readyWhen) this.markReady();
  }

  onOutput(chunk: Buffer): void {
    if (!this.pattern) return;
    this.recent = (this.recent + chunk.toString("utf8")).slice(-8192);
    if (this.pattern.test(this.recent)) this.markReady();
  }
}

async function pollPort(port: number, signal: AbortSignal, exited: Promise<unknown>): Promise<boolean> {
  let gone = false;
  void exited.then(() => (gone = true));
  while (!signal.aborted && !gone) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: "127.0.0.1", port });
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}
