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
 * Stops a started command and everything it started: SIGTERM, then SIGKILL
 * if it has not ended after `graceMs`. Resolves once its output is closed,
 * or half a second after the KILL whatever still holds it: the kernel may
 * take longer to tear down thousands of processes (a fork bomb) than a
 * timeout may wait to be reported.
 */
export async function stopProcess(
  process: { signal(signal: "SIGTERM" | "SIGKILL"): void; closed: Promise<void> },
  graceMs: number,
): Promise<void> {
  const within = (ms: number) =>
    Promise.race([process.closed.then(() => true), new Promise<false>((resolve) => setTimeout(resolve, ms, false))]);
  process.signal("SIGTERM");
  if (await within(graceMs)) return;
  process.signal("SIGKILL");
  await within(500);
}
