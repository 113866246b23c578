/**
 * Which sandbox limit a failed command ran into, told from how it ended:
 * the kernel's signals for CPU time and file size, the cgroup's OOM kills
 * for memory, and, where a limit only makes a call fail, what the command
 * printed about it.
 */
import type { SandboxLimits } from "./sandbox-settings";

const SIGXCPU = 24;
const SIGXFSZ = 25;

/** How a command ended, as the limit check needs it. */
export interface CommandEnding {
  code: number | null;
  signal: string | null;
  /** The end of its stderr. */
  stderrTail: string;
  /** Whether the run's cgroup OOM-killed a process while it ran. */
  memoryKilled: boolean;
}

/** The limit a command hit and a message naming it, or null when its failure was its own. */
export function exceededLimit(ending: CommandEnding, limits: SandboxLimits): { limit: keyof SandboxLimits; message: string } | null {
  const limit = limitOf(ending);
  if (!limit) return null;
  return { limit, message: `${DESCRIPTIONS[limit](limits[limit])}; a workspace owner can raise it in the workspace's sandbox settings` };
}

function limitOf({ code, signal, stderrTail, memoryKilled }: CommandEnding): keyof SandboxLimits | null {
  // A shell reports a child killed by signal N as exit code 128 + N.
  if (signal === "SIGXCPU" || code === 128 + SIGXCPU) return "cpuSeconds";
  if (signal === "SIGXFSZ" || code === 128 + SIGXFSZ || /File size limit exceeded|File too large/i.test(stderrTail)) return "fileSizeMb";
  if (memoryKilled || /out of memory|cannot allocate memory|MemoryError|allocation failed|bad_alloc/i.test(stderrTail)) return "memoryMb";
  if (/(fork|clone).{0,40}(resource temporarily unavailable|retry)|can'?not fork|can't fork|too many processes/i.test(stderrTail))
    return "processes";
  if (/too many open files/i.test(stderrTail)) return "openFiles";
  return null;
}

const DESCRIPTIONS: Record<keyof SandboxLimits, (value: number) => string> = {
  processes: (value) => `The command hit the sandbox's process limit (${value} processes)`,
  memoryMb: (value) => `The command hit the sandbox's memory limit (${value} MiB)`,
  cpuSeconds: (value) => `The command hit the sandbox's CPU time limit (${value} s per process)`,
  fileSizeMb: (value) => `The command hit the sandbox's file size limit (${value} MiB per file)`,
  openFiles: (value) => `The command hit the sandbox's open files limit (${value} per process)`,
};
