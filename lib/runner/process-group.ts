/** Signalling whole process groups: commands run detached, so their pid is their group id. */
import { readdirSync, readFileSync } from "node:fs";

/** Sends `signal` to the group led by `pid`; false when the group no longer exists. */
export function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  // Signalling a group that is already gone is the common case (every finished
  // command is swept); skip capturing a stack trace for that error.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/**
 * Whether any process of the group led by `pid` is still alive. Zombies do
 * not count: orphans reparented to a PID 1 that reaps slowly linger as
 * zombies, though they are dead.
 */
export function groupAlive(pid: number): boolean {
  if (!signalGroup(pid, 0)) return false;
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (entry.charCodeAt(0) < 48 || entry.charCodeAt(0) > 57) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue;
    }
    // Fields after the command name (which may contain spaces): state ppid pgrp …
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === pid && fields[0] !== "Z" && fields[0] !== "X") return true;
  }
  return false;
}

/**
 * Stops a process group: SIGTERM, then SIGKILL if anything is left after
 * `graceMs`. Resolves once the group is gone (or after the KILL).
 */
export async function stopGroup(pid: number, graceMs: number): Promise<void> {
  if (!signalGroup(pid, "SIGTERM")) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (!groupAlive(pid)) return;
  }
  signalGroup(pid, "SIGKILL");
  for (let i = 0; i < 50 && groupAlive(pid); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
}
