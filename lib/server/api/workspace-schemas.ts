/** Request and response bodies of the workspace endpoints, shared with the Settings → Workspaces actions. */
import * as z from "zod";
import { WorkspaceSandboxSettings } from "../../runner/sandbox/sandbox-settings";

// The Settings page shows the defaults next to a workspace's overrides; it reaches the runner's schema through this contract only.
export { DEFAULT_SANDBOX_LIMITS, type SandboxLimits } from "../../runner/sandbox/sandbox-settings";

export const WorkspaceParams = z.object({ workspaceId: z.string().min(1) });

export const RegisterWorkspaceBody = z.object({
  name: z.string().trim().min(1, "Name the workspace").max(63).describe("Lower-case letters, digits and '-'"),
  directory: z
    .string()
    .trim()
    .max(4096)
    .optional()
    .describe(
      "An existing directory to register, relative to the workspace root (or absolute inside it); left out, a new directory named after the workspace is created",
    ),
});
export type RegisterWorkspaceBody = z.infer<typeof RegisterWorkspaceBody>;

export const UpdateWorkspaceBody = z
  .object({
    name: z.string().trim().min(1).max(63).optional(),
    archived: z.boolean().optional().describe("Archived workspaces keep their runs' history but cannot be run in"),
    sandbox: z.optional(WorkspaceSandboxSettings).describe("Network switch and per-command limit overrides; replaces the stored settings"),
  })
  .strict();
export type UpdateWorkspaceBody = z.infer<typeof UpdateWorkspaceBody>;

export const WorkspaceSummary = z.object({
  id: z.string(),
  name: z.string(),
  directory: z.string(),
  archivedAt: z.string().nullable(),
  sandbox: WorkspaceSandboxSettings,
  createdAt: z.string(),
});
export type WorkspaceSummary = z.infer<typeof WorkspaceSummary>;
