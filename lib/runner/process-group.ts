/** Signalling whole process groups: commands run detached, so their pid is their group id. */

/** Sends `signal` to the group led by `pid`; false when the group no longer exists. */
export function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Whether any process of the group led by `pid` is still alive. */
export function groupAlive(pid: number): boolean {
  return signalGroup(pid, 0);
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
