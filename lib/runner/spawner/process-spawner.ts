/**
 * How commands are started: `/bin/sh -c` in a new process group, output as
 * chunks, exit and close as promises. Two implementations: Node's
 * child_process, and a Perl zygote that forks on request — much cheaper than
 * forking a large Node process, which otherwise dominates the cost of
 * thousands of short commands. The zygote comes in C (compiled on first use
 * when a compiler is available) and in Perl (perl-base is on every Debian).
 */
import { spawn as spawnChild, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { signalGroup } from "../process-group";
import { NATIVE_ZYGOTE_SOURCE } from "./native-zygote-source";
import { installVerifiedBinary, verifyCachedBinary } from "./verified-binary";
import { ZYGOTE_SCRIPT } from "./zygote-script";

/** What to run. */
export interface SpawnRequest {
  command: string;
  /** Absolute working directory. */
  cwd: string;
  /** The complete environment (nothing is inherited). */
  env: Record<string, string>;
  /**
   * When the shell exits, SIGKILL whatever it left in its process group
   * (e.g. `sleep 100 &`) before `exited` resolves.
   */
  killGroupOnExit?: boolean;
}

export type OutputListener = (stream: "stdout" | "stderr", chunk: Buffer) => void;

/** How a process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A started command. */
export interface SpawnedProcess {
  /** Its pid as its spawner sees it (inside a sandbox: in the sandbox's PID namespace). */
  pid: number;
  /** Its process group in this process's PID namespace, or null when it lives in a sandbox's namespace. */
  hostPid: number | null;
  /** Signals everything the command started (TERM may be handled; KILL ends it all). */
  signal(signal: "SIGTERM" | "SIGKILL"): void;
  /** Resolves when the shell exits. */
  exited: Promise<ProcessExit>;
  /** Resolves when it has exited and its output pipes are closed. */
  closed: Promise<void>;
}

/** Starts commands. */
export interface ProcessSpawner {
  spawn(request: SpawnRequest, onOutput: OutputListener): Promise<SpawnedProcess>;
  /** Starts the helper process now, if there is one, so the first command does not wait for it. */
  warm(): void;
  /** Stops the helper process, if any; resolves once it has exited. */
  close(): Promise<void>;
}

/** Spawns with Node's child_process (detached: a new process group). */
export function createNodeSpawner(): ProcessSpawner {
  return {
    async spawn(request, onOutput) {
      const child = spawnChild("/bin/sh", ["-c", request.command], {
        cwd: request.cwd,
        // ProcessEnv's typing demands NODE_ENV; commands get exactly the given environment.
        env: request.env as NodeJS.ProcessEnv,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      });
      const exited = new Promise<ProcessExit>((resolve) =>
        child.once("exit", (code, signal) => {
          if (request.killGroupOnExit && child.pid !== undefined) signalGroup(child.pid, "SIGKILL");
          resolve({ code, signal });
        }),
      );
      const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
      if (child.pid === undefined) {
        const error = await new Promise<Error>((resolve) => child.once("error", resolve));
        throw error;
      }
      child.stdout.on("data", (chunk: Buffer) => onOutput("stdout", chunk));
      child.stderr.on("data", (chunk: Buffer) => onOutput("stderr", chunk));
      const pid = child.pid;
      return { pid, hostPid: pid, exited, closed, signal: (signal) => void signalGroup(pid, signal) };
    },
    warm: () => undefined,
    close: async () => undefined,
  };
}

interface ZygoteJob {
  onOutput: OutputListener;
  /** Settles `spawn` once the zygote reports the pid (or an error). */
  started: { resolve(process: SpawnedProcess): void; reject(error: Error): void };
  exited: Promise<ProcessExit>;
  closed: Promise<void>;
  resolveExit(exit: ProcessExit): void;
  resolveClosed(): void;
}

// Reversed: where two names share a number (SIGABRT, SIGIOT), the first listed wins.
const SIGNAL_NAMES = new Map(
  Object.entries(os.constants.signals)
    .reverse()
    .map(([name, number]) => [number, name as NodeJS.Signals]),
);

/** How a zygote process is started: its program and arguments. */
export interface ZygoteCommand {
  file: string;
  args: string[];
}

/** What a zygote's process tells its spawner. */
export interface ZygoteListeners {
  stdout(chunk: Buffer): void;
  stderr(chunk: Buffer): void;
  exit(): void;
}

/** A zygote's process, as its spawner drives it. */
export interface ZygoteProcess {
  /** Sends requests; held until the process is up. */
  write(data: string): void;
  /** Ends its input and resolves once it has exited. */
  close(): Promise<void>;
  /** Whether it keeps this process alive: only while it runs commands (or is being closed). It starts kept. */
  keepAlive(keep: boolean): void;
}

/** Starts a zygote's process: as a child of this process, or through a spawn host (spawn-host.ts). */
export type ZygoteStarter = (command: ZygoteCommand, listeners: ZygoteListeners) => ZygoteProcess;

/** Starts the zygote as a child of this process, with nothing of its environment. */
export const startZygoteHere: ZygoteStarter = (command, listeners) => {
  const child = spawnChild(/*turbopackIgnore: true*/ command.file, command.args, {
    stdio: ["pipe", "pipe", "pipe"],
    env: {} as NodeJS.ProcessEnv,
  });
  child.stdout?.on("data", listeners.stdout);
  child.stderr?.on("data", listeners.stderr);
  child.stdin?.on("error", () => undefined);
  let running = true;
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      running = false;
      listeners.exit();
      resolve();
    }),
  );
  const keepAlive = (keep: boolean) => {
    const method = keep ? "ref" : "unref";
    child[method]();
    const streams = [child.stdin, child.stdout, child.stderr] as Array<{ ref?: () => void; unref?: () => void } | null>;
    for (const stream of streams) stream?.[method]?.();
  };
  return {
    write: (data) => void child.stdin?.write(data),
    close() {
      if (!running) return Promise.resolve();
      keepAlive(true);
      child.stdin?.end();
      return exited;
    },
    keepAlive,
  };
};

/** Options of {@link createZygoteSpawner}. */
export interface ZygoteOptions {
  perlPath?: string;
  /**
   * A private directory where the native (C) zygote may be compiled and
   * cached. Without it, or without a C compiler, the Perl zygote is used.
   */
  nativeCacheDir?: string;
  /** The C compiler. */
  compilerPath?: string;
  /**
   * Starts the zygote through another program (the sandbox): given the
   * zygote's own command, returns the one to run. `native` tells whether it
   * is the C zygote, which takes `--isolate` and `--limit` arguments.
   */
  wrap?: (zygote: ZygoteCommand, native: boolean) => ZygoteCommand;
  /** The zygote's pids live in another PID namespace: never signal them from here. */
  foreignPids?: boolean;
  /** How the zygote's process starts; {@link startZygoteHere} unless given. */
  start?: ZygoteStarter;
}

/**
 * Compiles the native zygote into `cacheDir` once (named by a hash of its
 * source) and returns its path, or null when that is not possible. A cached
 * binary is reused only when it is verified (see verified-binary.ts);
 * one that changed since it was compiled, or that others could write, is
 * compiled again.
 */
export function ensureNativeZygote(cacheDir: string, compilerPath = "/usr/bin/cc"): string | null {
  const name = `batchboard-zygote-${createHash("sha256").update(NATIVE_ZYGOTE_SOURCE).digest("hex").slice(0, 12)}`;
  const binary = path.join(cacheDir, name);
  if (existsSync(binary) && verifyCachedBinary(binary)) return binary;
  // turbopackIgnore: run-time paths, not files for the build to trace.
  if (!existsSync(/*turbopackIgnore: true*/ compilerPath)) return null;
  try {
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    const work = mkdtempSync(path.join(cacheDir, "build-"));
    try {
      writeFileSync(path.join(work, "zygote.c"), NATIVE_ZYGOTE_SOURCE);
      const compiled = spawnSync(
        /*turbopackIgnore: true*/ compilerPath,
        ["-O2", "-o", path.join(work, "zygote"), path.join(work, "zygote.c")],
        { stdio: "ignore", timeout: 60_000 },
      );
      if (compiled.status !== 0) return null;
      installVerifiedBinary(path.join(work, "zygote"), binary);
      return binary;
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  } catch {
    return null;
  }
}

/**
 * A request's strings for the zygote, each ending in NUL (cwd, command, then
 * `name=value` pairs) — C strings as they are, once decoded — or null when
 * one contains a NUL itself (execve could not pass it on; Node refuses too).
 */
function requestFields(request: SpawnRequest): string | null {
  const values = [request.cwd, request.command];
  for (const name in request.env) values.push(`${name}=${request.env[name]}`);
  if (values.some((value) => value.includes("\0"))) return null;
  return values.join("\0") + "\0";
}

/**
 * Spawns through a long-lived zygote (started on first use; it exits when
 * this process goes away): the native one when it can be compiled (see
 * {@link ZygoteOptions.nativeCacheDir}), else the Perl one, else Node's
 * child_process.
 */
export function createZygoteSpawner(options: ZygoteOptions = {}): ProcessSpawner {
  const perlPath = options.perlPath ?? "/usr/bin/perl";
  let command: ZygoteCommand | null = null;
  const native = options.nativeCacheDir ? ensureNativeZygote(options.nativeCacheDir, options.compilerPath) : null;
  if (native) command = { file: native, args: [] };
  else if (existsSync(/*turbopackIgnore: true*/ perlPath)) command = { file: perlPath, args: ["-e", ZYGOTE_SCRIPT] };
  if (!command) return createNodeSpawner();
  const zygoteCommand = options.wrap ? options.wrap(command, native !== null) : command;
  const foreignPids = options.foreignPids ?? false;
  const startZygote = options.start ?? startZygoteHere;
  let zygote: ZygoteProcess | null = null;
  const jobs = new Map<string, ZygoteJob>();
  let nextId = 1;
  let pending: Buffer | null = null;
  /** Requests of the current tick: they leave in one write. */
  let requests = "";

  /** The last of what the zygote (or the sandbox around it) printed on stderr: why it could not start. */
  let complaint = "";

  const failAll = (error: Error) => {
    for (const job of jobs.values()) {
      job.started.reject(error);
      job.resolveExit({ code: null, signal: "SIGKILL" });
      job.resolveClosed();
    }
    jobs.clear();
  };

  const onData = (chunk: Buffer) => {
    let buffer = pending ? Buffer.concat([pending, chunk]) : chunk;
    let offset = 0;
    for (;;) {
      const newline = buffer.indexOf(10, offset);
      if (newline === -1) break;
      const line = buffer.toString("latin1", offset, newline);
      const [kind, id, a, b] = line.split(" ");
      const job = jobs.get(id as string);
      if (kind === "O") {
        const length = Number(b);
        if (buffer.length < newline + 1 + length) break;
        job?.onOutput(a === "1" ? "stdout" : "stderr", buffer.subarray(newline + 1, newline + 1 + length));
        offset = newline + 1 + length;
        continue;
      }
      offset = newline + 1;
      if (!job) continue;
      if (kind === "P") {
        const pid = Number(a);
        const signal = (name: "SIGTERM" | "SIGKILL") => {
          if (jobs.has(id as string)) requestKill(id as string, name === "SIGKILL" ? 9 : 15);
        };
        job.started.resolve({ pid, hostPid: foreignPids ? null : pid, exited: job.exited, closed: job.closed, signal });
      } else if (kind === "E") {
        job.started.reject(new Error(Buffer.from(a ?? "", "hex").toString()));
        jobs.delete(id as string);
      } else if (kind === "X") {
        const code = Number(a);
        job.resolveExit(code === -1 ? { code: null, signal: SIGNAL_NAMES.get(Number(b)) ?? "SIGKILL" } : { code, signal: null });
      } else if (kind === "C") {
        job.resolveClosed();
        jobs.delete(id as string);
        if (jobs.size === 0) setIdle(true);
      }
    }
    buffer = buffer.subarray(offset);
    pending = buffer.length ? Buffer.from(buffer) : null;
  };

  // While no job runs, the zygote must not keep this process alive.
  const setIdle = (idle: boolean) => zygote?.keepAlive(!idle);

  const ensureZygote = () => {
    if (zygote) return zygote;
    const started = startZygote(zygoteCommand, {
      stdout: onData,
      stderr: (chunk) => (complaint = (complaint + chunk.toString()).slice(-2000)),
      exit: () => {
        if (zygote === started) zygote = null;
        pending = null;
        failAll(new Error(complaint.trim() ? `The process helper exited: ${complaint.trim()}` : "The process helper exited"));
      },
    });
    zygote = started;
    return started;
  };

  /** Requests of the current tick leave in one write. */
  const send = (line: string) => {
    const child = ensureZygote();
    if (!requests) {
      process.nextTick(() => {
        child.write(requests);
        requests = "";
      });
    }
    requests += line;
  };
  const requestKill = (id: string, signal: number) => send(`K ${id} ${signal}\n`);

  return {
    spawn(request, onOutput) {
      const fields = requestFields(request);
      if (fields === null) return Promise.reject(new Error("The command, its directory or environment contains a NUL byte"));
      ensureZygote();
      const id = String(nextId++);
      let resolveExit!: (exit: ProcessExit) => void;
      let resolveClosed!: () => void;
      const exited = new Promise<ProcessExit>((resolve) => (resolveExit = resolve));
      const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
      const started = new Promise<SpawnedProcess>((resolve, reject) => {
        jobs.set(id, { onOutput, started: { resolve, reject }, exited, closed, resolveExit, resolveClosed });
      });
      if (jobs.size === 1) setIdle(false);
      send(`S ${id} ${request.killGroupOnExit ? "k" : "-"} ${Buffer.from(fields, "utf8").toString("hex")}\n`);
      return started;
    },
    warm() {
      ensureZygote();
      if (jobs.size === 0) setIdle(true);
    },
    close() {
      const child = zygote;
      zygote = null;
      return child ? child.close() : Promise.resolve();
    },
  };
}
