import { readFileSync } from "node:fs";

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
