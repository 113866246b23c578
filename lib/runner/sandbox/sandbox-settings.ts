/**
 * What a workspace may change about the sandbox its commands run in: the
 * network switch and the per-command resource limits. One schema, shared by
 * the runner, the workspace settings (database, API, Settings page) and the CLI.
 */
import * as z from "../../plan/mini-zod";
import { described, integer } from "../../plan/mini-zod";

/** Per-command resource limits (rlimits, plus cgroup limits where the server may create cgroups). */
export const SandboxLimits = z.strictObject({
  processes: described(integer(8, 65_536), "Most processes and threads one command may have at once (a fork bomb stops here)"),
  memoryMb: described(integer(64, 1_048_576), "Most memory one command may allocate, in MiB"),
  cpuSeconds: described(integer(1, 604_800), "Most CPU time one process of the command may use, in seconds"),
  fileSizeMb: described(integer(1, 1_048_576), "Largest file one command may write, in MiB"),
  openFiles: described(integer(64, 1_048_576), "Most files one process of the command may hold open"),
});
export type SandboxLimits = z.infer<typeof SandboxLimits>;

/** The limits a command gets unless its workspace overrides them. */
export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = {
  processes: 1024,
  memoryMb: 2048,
  cpuSeconds: 3600,
  fileSizeMb: 1024,
  openFiles: 4096,
};

/** A workspace's sandbox settings as stored: each limit it leaves out takes the default. */
export const WorkspaceSandboxSettings = z.strictObject({
  network: described(z._default(z.boolean(), true), "Whether commands may use the network (on by default)"),
  limits: described(z._default(z.partial(SandboxLimits), {}), "Overrides of the default per-command limits"),
});
export type WorkspaceSandboxSettings = z.infer<typeof WorkspaceSandboxSettings>;

/** The effective settings of a workspace: its overrides over the defaults. */
export function effectiveSandboxLimits(settings: WorkspaceSandboxSettings): SandboxLimits {
  return { ...DEFAULT_SANDBOX_LIMITS, ...settings.limits };
}
