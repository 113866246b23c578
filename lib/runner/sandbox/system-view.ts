/**
 * What a sandbox shows of the machine: the system directories, read-only,
 * with what only their owner may read under /etc hidden (a server running
 * as root maps to root's files inside). The masks are listed by `find`,
 * either once per process or by each sandbox's start (see bubblewrap.ts).
 */
import { execFile, type ExecFileException } from "node:child_process";
import { lstatSync, readlinkSync } from "node:fs";

const MIB = 1024 * 1024;

/** The top-level system directories shown read-only (symlinks such as /bin → usr/bin kept as symlinks). */
const SYSTEM_PATHS = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc"];

/** A system directory as the sandbox shows it: bound read-only, or a symlink kept as it is on the host. */
export interface SystemEntry {
  path: string;
  symlinkTo: string | null;
}

let entries: SystemEntry[] | null = null;

/** The system directories this machine has, read once per process (a few lstat calls). */
export function systemEntries(): SystemEntry[] {
  if (entries) return entries;
  entries = [];
  for (const systemPath of SYSTEM_PATHS) {
    let info;
    try {
      info = lstatSync(systemPath);
    } catch {
      continue;
    }
    // Kept as it is on the host (usr/bin), so it resolves inside the sandbox's root.
    if (info.isSymbolicLink()) entries.push({ path: systemPath, symlinkTo: readlinkSync(systemPath) });
    else if (info.isDirectory()) entries.push({ path: systemPath, symlinkTo: null });
  }
  return entries;
}

/**
 * `find`'s arguments that print, NUL-separated, the bubblewrap arguments
 * hiding what others may not read under /etc, six levels down: a file
 * (a secret of root's or a service's: shadow, private keys, credentials)
 * becomes /dev/null, a directory others may not list or enter becomes an
 * empty read-only tmpfs. Symbolic links are left alone.
 */
export const ETC_MASKS_FIND_ARGS = [
  "/etc",
  "-mindepth",
  "1",
  "-maxdepth",
  "7",
  ...["(", "-type", "d", "(", "!", "-perm", "-004", "-o", "!", "-perm", "-001", ")", "-prune"],
  ...["-printf", "--tmpfs\\0%p\\0--remount-ro\\0%p\\0", ")"],
  ...["-o", "(", "-type", "f", "!", "-perm", "-004", "-printf", "--ro-bind\\0/dev/null\\0%p\\0", ")"],
];

/** find's exit status when a directory this process may not read was skipped, as a walk of our own would. */
export const FIND_SKIPPED_UNREADABLE = 1;

let masks: string[] | null = null;
let masksOnce: Promise<string[]> | null = null;

/** The /etc masks' bubblewrap arguments, listed once per process (5–25 ms of `find` on another core). */
export function readEtcMasks(): Promise<string[]> {
  masksOnce ??= new Promise((resolve, reject) => {
    // ProcessEnv's typing demands NODE_ENV; find gets exactly this environment.
    const env = { PATH: "/usr/bin:/bin" } as Record<string, string> as NodeJS.ProcessEnv;
    execFile(
      "find",
      ETC_MASKS_FIND_ARGS,
      { env, encoding: "buffer", maxBuffer: 16 * MIB },
      (error: ExecFileException | null, stdout: Buffer) => {
        if (error && error.code !== FIND_SKIPPED_UNREADABLE) {
          masksOnce = null;
          reject(new Error(`Listing /etc's private files for the sandbox failed: ${error.message}`));
          return;
        }
        masks = stdout.toString("utf8").split("\0").slice(0, -1);
        resolve(masks);
      },
    );
  });
  return masksOnce;
}

/** The masks if {@link readEtcMasks} has listed them already, else null. */
export function etcMasksIfRead(): string[] | null {
  return masks;
}
