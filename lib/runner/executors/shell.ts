import { stat } from "node:fs/promises";
import net from "node:net";
import type { ShellParams } from "../../plan/schema";
import { AbortedError, NonRetryableError, OperationError } from "../errors";
import { OutputCapture, type CapturedOutput } from "../output-capture";
import { stopProcess } from "../process-group";
import { exceededLimit } from "../sandbox/limit-errors";
import { SandboxUnavailableError } from "../sandbox/run-commands";
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
 * server's own environment (secrets included) never leaks in. HOME and
 * TMPDIR are the run's own, outside the workspace, so tools' caches and
 * settings (`.npm/`, `.config/`) never land in the user's files.
 */
export function commandEnvironment(params: ShellParams, ctx: ExecutorContext, cwd: string): Record<string, string> {
  return {
    PATH: ctx.limits.shellPath,
    HOME: ctx.commands.home.HOME,
    TMPDIR: ctx.commands.home.TMPDIR,
    LANG: "C.UTF-8",
    LC_ALL: "C.UTF-8",
    TERM: "dumb",
    PWD: cwd,
    ...params.env,
  };
}

/**
 * Runs `/bin/sh -c command` inside the workspace, in the run's sandbox.
 * Timeout and cancel (the abort signal) stop everything the command
 * started; leftovers of a finished foreground command are killed too.
 * Background commands succeed once ready (`readyWhen`) and keep running
 * until the run ends.
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
    spawned = await ctx.commands.spawn(request, (stream, chunk) => {
      (stream === "stdout" ? stdout : stderr).push(chunk);
      readiness?.onOutput(chunk);
    });
  } catch (error) {
    if (error instanceof SandboxUnavailableError) throw new NonRetryableError(error.code, error.message);
    throw new OperationError("spawn-failed", `Could not start /bin/sh: ${(error as Error).message}`);
  }
  const { pid, exited, closed } = spawned;
  const memoryKillsBefore = ctx.commands.memoryKills();
  ctx.emit({ type: "pid", pid: spawned.hostPid ?? undefined });

  const stop = () => stopProcess(spawned, ctx.limits.killGraceMs);
  let markStopped!: () => void;
  /** Resolves once a cancel or timeout has stopped the command, however long its leftovers take to go. */
  const stoppedByAbort = new Promise<"stopped">((resolve) => (markStopped = () => resolve("stopped")));
  const abortListener = () => void stop().then(markStopped);
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
    if (params.readyWhen && "port" in params.readyWhen)
      void pollPort(params.readyWhen.port, ctx.signal, exited).then((open) => open && readiness.markReady());
    const first = await Promise.race([readiness.ready.then(() => "ready" as const), exited, stoppedByAbort]);
    if (first === "stopped" || ctx.signal.aborted) throw abortedBy(ctx.signal);
    if (first !== "ready") {
      ctx.signal.removeEventListener("abort", abortListener);
      spawned.signal("SIGKILL");
      await closed;
      throw new OperationError(
        "exited-before-ready",
        `Background command exited (code ${first.code}) before it was ready`,
        resultOf(first.code, first.signal),
      );
    }
    ctx.keepProcess({ nodeId: ctx.nodeId, keepRunning: params.keepRunning, stop });
    // Its output keeps streaming after it is ready; once it ends, its result says how, with the whole tail.
    void Promise.all([exited, closed]).then(([exit]) => {
      stdout.end();
      stderr.end();
      ctx.emit({ type: "result", result: { ...resultOf(exit.code, exit.signal), background: true } });
    });
    // The command keeps running; cancelling the run still stops it.
    return { ...resultOf(null, null), background: true };
  }

  const ending = await Promise.race([exited.then(async (exit) => (await closed, exit)), stoppedByAbort]);
  stdout.end();
  stderr.end();
  ctx.signal.removeEventListener("abort", abortListener);
  if (ending === "stopped" || ctx.signal.aborted) throw abortedBy(ctx.signal);
  const { code, signal } = ending;
  const result = resultOf(code, signal);
  if (code !== 0) {
    const limits = ctx.commands.limits;
    const memoryKilled = memoryKillsBefore !== null && (ctx.commands.memoryKills() ?? 0) > memoryKillsBefore;
    const hit = limits && exceededLimit({ code, signal, stderrTail: result.stderr.tail.slice(-4096), memoryKilled }, limits);
    if (hit) throw new OperationError("limit-exceeded", hit.message, result);
    throw new OperationError(
      signal ? "signal" : "exit-code",
      signal ? `Command was killed by ${signal}` : `Command exited with code ${code}`,
      result,
    );
  }
  return result;
};

function abortedBy(signal: AbortSignal): AbortedError {
  const reason: unknown = signal.reason;
  return reason instanceof AbortedError ? reason : new AbortedError("cancelled");
}

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
