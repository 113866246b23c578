/**
 * One bubblewrap sandbox per run, with the process helper (the zygote)
 * inside it, so the ~3 ms a sandbox costs to start is paid once per run,
 * not per command. Inside: the workspace is the only writable path besides
 * a private HOME and TMPDIR; the system is read-only (with files only root
 * may read masked, since a server running as root maps to root's files);
 * the data directory, other workspaces and the server's checkout do not
 * exist; a new PID namespace hides the server's processes; the environment
 * is only what each command is given. The C helper runs every command in a
 * user and PID namespace of its own as an unprivileged user, with rlimits,
 * so a timeout or cancel ends all it started.
 */
import { spawn } from "node:child_process";
import { existsSync, rmdirSync, rmSync } from "node:fs";
import path from "node:path";
import { createZygoteSpawner, type ProcessSpawner, type ZygoteCommand } from "../spawner/process-spawner";
import { createSpawnHost } from "../spawner/spawn-host";
import { createRunCgroup, sweepStaleCgroups, type RunCgroup } from "./cgroups";
import {
  createRunHome,
  removeRunHome,
  removeRunHomeInBackground,
  SandboxUnavailableError,
  type CommandLauncher,
  type RunCommands,
  type RunCommandsRequest,
} from "./run-commands";
import { effectiveSandboxLimits, type SandboxLimits } from "./sandbox-settings";
import { ETC_MASKS_FIND_ARGS, etcMasksIfRead, FIND_SKIPPED_UNREADABLE, readEtcMasks, systemEntries } from "./system-view";

/** Where things are inside the sandbox. */
const SANDBOX_HOME = "/home/batchboard";
const SANDBOX_TMP = "/tmp";
const SANDBOX_HELPER = "/run/batchboard/helper";
/** The unprivileged user commands run as (nobody). */
const SANDBOX_UID = 65534;

const MIB = 1024 * 1024;

/** The descriptor bubblewrap reads the /etc masks' arguments from (`--args`) when its start lists them. */
const MASKS_FD = 9;

/** What the sandbox shows of the machine: every path it binds, and where. */
interface SandboxLayout {
  workspaceRoot: string;
  /** Host directories bound as HOME and TMPDIR. */
  home: string;
  tmp: string;
  /** The compiled helper to bind at {@link SANDBOX_HELPER}, or null to run a system program (perl) instead. */
  helper: string | null;
  network: boolean;
}

/**
 * The bubblewrap arguments for a layout, up to (not including) the program
 * to run; with `masks` null, the /etc masks are read from {@link MASKS_FD}.
 */
function bubblewrapArguments(layout: SandboxLayout, masks: readonly string[] | null): string[] {
  const args: string[] = [];
  for (const entry of systemEntries()) {
    if (entry.symlinkTo !== null) args.push("--symlink", entry.symlinkTo, entry.path);
    else args.push("--ro-bind", entry.path, entry.path);
  }
  if (masks) args.push(...masks);
  else args.push("--args", String(MASKS_FD));
  args.push("--proc", "/proc", "--dev", "/dev");
  // TMPDIR before the workspace: a workspace under /tmp is then bound inside it, not hidden by it.
  args.push("--bind", layout.tmp, SANDBOX_TMP, "--bind", layout.home, SANDBOX_HOME);
  args.push("--bind", layout.workspaceRoot, layout.workspaceRoot, "--chdir", layout.workspaceRoot);
  if (layout.helper) args.push("--ro-bind", layout.helper, SANDBOX_HELPER);
  args.push("--unshare-user", "--uid", String(SANDBOX_UID), "--gid", String(SANDBOX_UID));
  args.push("--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--hostname", "batchboard");
  if (!layout.network) args.push("--unshare-net");
  args.push("--die-with-parent", "--new-session", "--clearenv");
  return args;
}

/** The helper's arguments: per-command isolation and the limits. */
function helperArguments(limits: SandboxLimits): string[] {
  return [
    "--isolate",
    ...[
      "nproc=" + limits.processes,
      "data=" + limits.memoryMb * MIB,
      "cpu=" + limits.cpuSeconds,
      "fsize=" + limits.fileSizeMb * MIB,
      "nofile=" + limits.openFiles,
    ].flatMap((limit) => ["--limit", limit]),
  ];
}

/** Options of {@link createSandboxLauncher}. */
export interface SandboxLauncherOptions {
  bwrapPath?: string;
  /** Where the C helper is compiled and cached (never visible inside). */
  helperCacheDirectory: string;
  /** Where each run's HOME and TMPDIR are made (never visible inside but for the run's own). */
  stateDirectory: string;
  /**
   * A long-lived process that starts many sandboxes (a web server, a
   * worker): it starts them from a small helper process (spawn-host.ts)
   * instead of forking itself, whose size makes each fork hold it up, and
   * lists /etc's masks once for all of them. Otherwise (the CLI, one
   * sandbox), each sandbox's start lists them on its way to bubblewrap: the
   * list would reach this process only when its thread is next free.
   */
  longLived?: boolean;
}

type Availability = { ok: true } | { ok: false; message: string };

/** Sandboxes this process started: each one's HOME and cgroup are named apart, whichever launcher started it. */
let sandboxesMade = 0;

/**
 * Commands contained by bubblewrap. Where it cannot work (not installed, no
 * user namespaces), shell nodes fail with one error that says how to fix it.
 */
export function createSandboxLauncher(options: SandboxLauncherOptions): CommandLauncher {
  const bwrapPath = options.bwrapPath ?? "/usr/bin/bwrap";
  sweepStaleCgroups();
  // Listed from the start; sandboxes starting before the list is in list their own (a failure too).
  if (options.longLived) readEtcMasks().catch(() => undefined);
  let diagnosis: Promise<Availability> | null = null;
  const diagnose = () => (diagnosis ??= probe(bwrapPath, options.stateDirectory));
  /** Sandboxes started by prepareRun that their run has not opened yet, by run id. */
  const prepared = new Map<string, { request: string; commands: SandboxRunCommands }>();
  const spawnHost = options.longLived ? createSpawnHost() : null;

  function openSandboxRun(request: RunCommandsRequest): SandboxRunCommands {
    const limits = effectiveSandboxLimits(request.settings);
    // Each sandbox its own HOME and cgroup: one ending (its directories removed in the background) must not take another's.
    const instance = `${process.pid}-${++sandboxesMade}`;
    let started: { spawner: ProcessSpawner; cgroup: RunCgroup | null; root: string } | null = null;
    let closed = false;
    const start = () => {
      const made = createRunHome(path.join(options.stateDirectory, request.runId), instance);
      const cgroup = createRunCgroup(`${instance}-${request.runId}`, {
        // A fork bomb in every slot must still leave the machine processes to spare.
        processes: Math.max(limits.processes, Math.min(limits.processes * request.concurrency, 4096)),
        memoryBytes: limits.memoryMb * MIB * request.concurrency,
      });
      const spawner = createZygoteSpawner({
        nativeCacheDir: options.helperCacheDirectory,
        foreignPids: true,
        start: spawnHost?.start,
        wrap(zygote, native) {
          const layout: SandboxLayout = {
            workspaceRoot: request.workspaceRoot,
            home: made.home.HOME,
            tmp: made.home.TMPDIR,
            helper: native ? zygote.file : null,
            network: request.settings.network,
          };
          const inner: ZygoteCommand = native ? { file: SANDBOX_HELPER, args: helperArguments(limits) } : zygote;
          const masks = options.longLived ? etcMasksIfRead() : null;
          const bubblewrap = { file: bwrapPath, args: [...bubblewrapArguments(layout, masks), inner.file, ...inner.args] };
          return startingBubblewrap(bubblewrap, {
            cgroupProcsFiles: cgroup?.procsFiles ?? [],
            masksFile: masks ? null : masksFileIn(made.root),
          });
        },
      });
      started = { spawner, cgroup, root: made.root };
      return started;
    };
    return {
      sandboxed: true,
      limits,
      home: { HOME: SANDBOX_HOME, TMPDIR: SANDBOX_TMP },
      warm() {
        // Without bubblewrap, the run's first command says so.
        if (!closed && existsSync(/*turbopackIgnore: true*/ bwrapPath)) (started ?? start()).spawner.warm();
      },
      async spawn(spawnRequest, onOutput) {
        if (!existsSync(/*turbopackIgnore: true*/ bwrapPath)) throw new SandboxUnavailableError(notInstalled(bwrapPath));
        const run = started ?? start();
        try {
          return await run.spawner.spawn(spawnRequest, onOutput);
        } catch (error) {
          // Sandboxes are not tried out ahead (that would cost every run a second start): when one fails, find out why.
          const available = await diagnose();
          if (!available.ok) throw new SandboxUnavailableError(available.message);
          throw error;
        }
      },
      memoryKills: () => started?.cgroup?.oomKills() ?? null,
      async close() {
        closed = true;
        if (!started) return;
        const { spawner, cgroup, root } = started;
        await spawner.close();
        const removeRest = () => {
          removeIfEmpty(path.dirname(root));
          if (cgroup && !cgroup.remove()) removeOnceEmpty(cgroup);
        };
        // The run ends once its processes have; a long-lived process leaves its directories to libuv's threads
        // (one that cannot be removed stays, as a crashed run's does).
        if (options.longLived) void removeRunHomeInBackground(root).then(removeRest, removeRest);
        else {
          // Left by the start shell, beside HOME and TMPDIR (never inside): an `rm` there cost every start ~3 ms.
          rmSync(masksFileIn(root), { force: true });
          removeRunHome(root);
          removeRest();
        }
      },
    };
  }

  return {
    sandboxed: true,
    openRun(request) {
      const early = prepared.get(request.runId);
      if (early?.request !== preparedRequestKey(request)) return openSandboxRun(request);
      prepared.delete(request.runId);
      return early.commands;
    },
    prepareRun(request) {
      void prepared.get(request.runId)?.commands.close();
      const entry = { request: preparedRequestKey(request), commands: openSandboxRun(request) };
      prepared.set(request.runId, entry);
      entry.commands.warm();
      return () => {
        if (prepared.get(request.runId) !== entry) return false;
        prepared.delete(request.runId);
        void entry.commands.close();
        return true;
      };
    },
    discardRun: (runId) => removeRunHome(path.join(options.stateDirectory, runId)),
    close: () => spawnHost?.close(),
  };
}

/** A run's sandboxed commands, which can start their sandbox before the first command asks. */
interface SandboxRunCommands extends RunCommands {
  warm(): void;
}

/**
 * How bubblewrap is started: directly, or through a shell that first joins
 * the sandbox's cgroup (before it starts anything) and, with `masksFile`,
 * lists /etc's masks into that file for bubblewrap to read its arguments
 * from ({@link MASKS_FD}). The list is refused, and the sandbox with it,
 * when `find` fails; the file goes with the run's directories.
 */
function startingBubblewrap(bubblewrap: ZygoteCommand, steps: { cgroupProcsFiles: string[]; masksFile: string | null }): ZygoteCommand {
  const { cgroupProcsFiles, masksFile } = steps;
  if (!cgroupProcsFiles.length && !masksFile) return bubblewrap;
  const script = ['for f; do [ "$f" = -- ] && break; echo $$ > "$f"; shift; done; shift'];
  if (masksFile) {
    const find = ["find", ...ETC_MASKS_FIND_ARGS].map(shellQuoted).join(" ");
    script.push(
      "masks=$1; shift",
      `PATH=/usr/bin:/bin ${find} > "$masks"; listed=$?`,
      `if [ $listed -gt ${FIND_SKIPPED_UNREADABLE} ]; then echo "Listing /etc's private files for the sandbox failed (find exited $listed)" >&2; exit 1; fi`,
      `exec ${MASKS_FD}< "$masks"`,
    );
  }
  script.push('exec "$@"');
  const masksArgument = masksFile ? [masksFile] : [];
  return {
    file: "/bin/sh",
    args: ["-c", script.join("\n"), "sh", ...cgroupProcsFiles, "--", ...masksArgument, bubblewrap.file, ...bubblewrap.args],
  };
}

/** `word` as one shell word. */
function shellQuoted(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** What a prepared sandbox was made for: a run that opens with anything else gets a new one. */
function preparedRequestKey(request: RunCommandsRequest): string {
  return JSON.stringify([request.workspaceRoot, request.settings, request.concurrency]);
}

/** Where a sandbox's start lists /etc's masks: in its run's directory, outside HOME and TMPDIR. */
const masksFileIn = (root: string) => path.join(root, "etc-masks");

/** A run's directory once its last sandbox has gone. */
function removeIfEmpty(directory: string): void {
  try {
    rmdirSync(directory);
  } catch {
    // Another sandbox of the run still has its HOME there, or it is gone already.
  }
}

/** The kernel may still be tearing a sandbox's processes down: try again for a while, without holding the run or the process. */
function removeOnceEmpty(cgroup: RunCgroup, triesLeft = 100): void {
  if (triesLeft === 0) return;
  setTimeout(() => cgroup.remove() || removeOnceEmpty(cgroup, triesLeft - 1), 200).unref();
}

const FIX = "or set BATCHBOARD_SANDBOX=off to run commands uncontained (not for servers shared with others)";

function notInstalled(bwrapPath: string): string {
  return `Commands run in a bubblewrap sandbox, and bubblewrap is not installed (${bwrapPath}): install it (apt-get install bubblewrap), ${FIX}.`;
}

/** Starts one empty sandbox to learn whether sandboxes work here, and if not, why. */
async function probe(bwrapPath: string, stateDirectory: string): Promise<Availability> {
  if (!existsSync(/*turbopackIgnore: true*/ bwrapPath)) return { ok: false, message: notInstalled(bwrapPath) };
  const made = createRunHome(stateDirectory, `probe-${process.pid}`);
  try {
    const layout: SandboxLayout = {
      workspaceRoot: made.home.HOME,
      home: made.home.HOME,
      tmp: made.home.TMPDIR,
      helper: null,
      network: true,
    };
    let masks: string[];
    try {
      masks = await readEtcMasks();
    } catch (error) {
      return { ok: false, message: `${(error as Error).message}. Install GNU findutils (apt-get install findutils), ${FIX}.` };
    }
    const args = [...bubblewrapArguments(layout, masks), "/bin/sh", "-c", "exit 0"];
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(bwrapPath, args, { stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.once("error", (error) => resolve({ code: null, stderr: error.message }));
      child.once("close", (code) => resolve({ code, stderr }));
    });
    if (result.code === 0) return { ok: true };
    const reason = result.stderr.trim() || `exit code ${result.code}`;
    const namespaces = /namespace|uid map|Operation not permitted|Permission denied/i.test(reason)
      ? " This usually means unprivileged user namespaces are disabled: allow them (sysctl kernel.unprivileged_userns_clone=1, or kernel.apparmor_restrict_unprivileged_userns=0 on Ubuntu),"
      : "";
    return { ok: false, message: `Commands run in a bubblewrap sandbox, which cannot start here: ${reason}.${namespaces} ${FIX}.` };
  } finally {
    removeRunHome(made.root);
  }
}
