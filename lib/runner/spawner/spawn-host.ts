/**
 * A small Node process that starts zygotes for this one and hands their
 * pipes back over its IPC channel. Node forks to spawn, and a fork costs in
 * proportion to the forking process's memory: on the development machines
 * it holds a 360 MB server's main thread for 15 ms, during which the server
 * serves nothing, against 4 ms in the ~45 MB host, on the host's own thread.
 * The web server and workers, which start a sandbox per run, start them
 * through one host; the CLI, small and with one run, starts its own.
 */
import { spawn, type ChildProcess } from "node:child_process";
import type { Socket } from "node:net";
import type { ZygoteListeners, ZygoteProcess, ZygoteStarter } from "./process-spawner";

/**
 * The host: starts what it is asked with an empty environment, sends the
 * child's stdin, stdout and stderr (their handles, its copies closed), then
 * its exit. It ends with its parent, and its children's sandboxes with it.
 */
const HOST_SOURCE = `
const { spawn } = require("node:child_process");
process.on("message", ({ id, file, args }) => {
  const child = spawn(file, args, { stdio: "pipe", env: {} });
  child.once("error", (error) => process.send({ id, error: error.message }));
  if (child.pid === undefined) return;
  child.stdin.on("error", () => {});
  // Node starts reading a child's output at once; stopped before the loop turns, every byte goes to the receiver.
  child.stdout._handle.readStop();
  child.stderr._handle.readStop();
  process.send({ id, stream: 0 }, child.stdin);
  process.send({ id, stream: 1 }, child.stdout);
  process.send({ id, stream: 2 }, child.stderr);
  child.once("exit", () => process.send({ id, exit: true }));
});
process.on("disconnect", () => process.exit(0));
// A parent that died before this process was listening leaves no disconnect to hear: a new parent (the reaper) says it is gone.
const parent = Number(process.argv[1]);
setInterval(() => process.ppid !== parent && process.exit(0), 200).unref();
`;

/** What the host sends about one child: one of its pipes (with the handle), its end, or why it did not start. */
type HostMessage = { id: number } & ({ stream: 0 | 1 | 2 } | { exit: true } | { error: string });

export interface SpawnHost {
  /** Starts a zygote through the host (the host itself starts on first use). */
  start: ZygoteStarter;
  /** Ends the host; the zygotes it started end with it. */
  close(): void;
}

export function createSpawnHost(): SpawnHost {
  let host: ChildProcess | null = null;
  const children = new Map<number, HostedChild>();
  let nextId = 1;
  /** Children that keep this process alive; the host's channel does while there are any. */
  let kept = 0;

  const keepChannel = () => {
    const method = kept > 0 ? "ref" : "unref";
    host?.[method]();
    host?.channel?.[method]();
  };

  const ensureHost = (): ChildProcess => {
    if (host) return host;
    const started: ChildProcess = spawn(process.execPath, ["-e", HOST_SOURCE, String(process.pid)], {
      stdio: ["ignore", "ignore", "inherit", "ipc"],
      env: {} as NodeJS.ProcessEnv,
    });
    started.on("message", (message: HostMessage, handle?: Socket) => children.get(message.id)?.receive(message, handle));
    started.once("exit", () => {
      if (host === started) host = null;
      for (const child of children.values()) child.fail("The process host exited");
    });
    host = started;
    keepChannel();
    return started;
  };

  class HostedChild implements ZygoteProcess {
    private readonly pipes: Array<Socket | undefined> = [];
    private held = "";
    private ending = false;
    private kept = false;
    private readonly exited: Promise<void>;
    private markExited!: () => void;

    constructor(
      private readonly id: number,
      private readonly listeners: ZygoteListeners,
    ) {
      this.exited = new Promise((resolve) => (this.markExited = resolve));
      this.keepAlive(true);
    }

    receive(message: HostMessage, handle?: Socket): void {
      if ("error" in message) return this.fail(message.error);
      if ("exit" in message) return this.end();
      if (!handle) return;
      this.pipes[message.stream] = handle;
      // A pipe breaking is the zygote ending, which its exit reports.
      handle.on("error", () => undefined);
      if (message.stream === 1) handle.on("data", this.listeners.stdout);
      else if (message.stream === 2) handle.on("data", this.listeners.stderr);
      else {
        if (this.held) handle.write(this.held);
        this.held = "";
        if (this.ending) handle.end();
      }
      if (!this.kept) handle.unref();
    }

    fail(reason: string): void {
      this.listeners.stderr(Buffer.from(reason));
      this.end();
    }

    private end(): void {
      if (!children.delete(this.id)) return;
      this.keepAlive(false);
      this.listeners.exit();
      this.markExited();
    }

    write(data: string): void {
      const input = this.pipes[0];
      if (input) input.write(data);
      else this.held += data;
    }

    close(): Promise<void> {
      if (!children.has(this.id)) return Promise.resolve();
      this.keepAlive(true);
      this.ending = true;
      this.pipes[0]?.end();
      return this.exited;
    }

    keepAlive(keep: boolean): void {
      if (keep === this.kept) return;
      this.kept = keep;
      kept += keep ? 1 : -1;
      keepChannel();
      for (const pipe of this.pipes) pipe?.[keep ? "ref" : "unref"]();
    }
  }

  return {
    start(command, listeners) {
      const id = nextId++;
      const child = new HostedChild(id, listeners);
      children.set(id, child);
      ensureHost().send({ id, file: command.file, args: command.args }, (error: Error | null) => error && child.fail(error.message));
      return child;
    },
    close() {
      if (host?.connected) host.disconnect();
      host = null;
    },
  };
}
