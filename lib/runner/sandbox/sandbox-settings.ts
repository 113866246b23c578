/**
 * What a workspace may change about the sandbox its commands run in: the
 * network switch and the per-command resource limits. One schema, shared by
 * the runner, the workspace settings (database, API, Settings page) and the CLI.
 */
import * as z from "zod";

/** Per-command resource limits (rlimits, plus cgroup limits where the server may create cgroups). */
export const SandboxLimits = z
  .object({
    processes: z
      .number()
      .int()
      .min(8)
      .max(65_536)
      .describe("Most processes and threads one command may have at once (a fork bomb stops here)"),
    memoryMb: z.number().int().min(64).max(1_048_576).describe("Most memory one command may allocate, in MiB"),
    cpuSeconds: z.number().int().min(1).max(604_800).describe("Most CPU time one process of the command may use, in seconds"),
    fileSizeMb: z.number().int().min(1).max(1_048_576).describe("Largest file one command may write, in MiB"),
    openFiles: z.number().int().min(64).max(1_048_576).describe("Most files one process of the command may hold open"),
  })
  .strict();
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
export const WorkspaceSandboxSettings = z
  .object({
    network: z.boolean().default(true).describe("Whether commands may use the network (on by default)"),
    limits: SandboxLimits.partial().default({}).describe("Overrides of the default per-command limits"),
  })
  .strict();
export type WorkspaceSandboxSettings = z.infer<typeof WorkspaceSandboxSettings>;

/** The effective settings of a workspace: its overrides over the defaults. */
export function effectiveSandboxLimits(settings: WorkspaceSandboxSettings): SandboxLimits {
  return { ...DEFAULT_SANDBOX_LIMITS, ...settings.limits };
}
