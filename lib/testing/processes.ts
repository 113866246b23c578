import { readdirSync, readFileSync } from "node:fs";

/** Whether a process exists and is not a zombie waiting to be reaped (which `kill -0` alone would call alive). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/**
 * How many processes on this machine run with exactly these arguments (say
 * `sleep 61.25`, a marker no other process uses), in any PID namespace: a
 * sandboxed command's pid means nothing outside its sandbox.
 */
export function countProcessesRunning(...argv: string[]): number {
  const wanted = argv.join("\0") + "\0";
  return readdirSync("/proc").filter((entry) => {
    if (!/^\d+$/.test(entry)) return false;
    try {
      return readFileSync(`/proc/${entry}/cmdline`, "utf8") === wanted;
    } catch {
      return false;
    }
  }).length;
}
