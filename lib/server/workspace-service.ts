/**
 * Owners' workspace changes, shared by Settings → Workspaces and the API:
 * register (new or existing directory), rename, archive, sandbox settings.
 */
import { withinTransaction, type DbExecutor } from "../db/transaction";
import {
  getWorkspace,
  registerWorkspace,
  renameWorkspace,
  sandboxSettingsOf,
  setWorkspaceArchived,
  updateWorkspaceSandbox,
} from "../db/workspaces";
import { workspacePlacementOf, type Env } from "../env";
import type { RegisterWorkspaceBody, UpdateWorkspaceBody, WorkspaceSummary } from "./api/workspace-schemas";

type WorkspaceRow = Awaited<ReturnType<typeof getWorkspace>>;

export function presentWorkspace(workspace: WorkspaceRow): WorkspaceSummary {
  return {
    id: workspace.id,
    name: workspace.name,
    directory: workspace.directory,
    archivedAt: workspace.archivedAt?.toISOString() ?? null,
    sandbox: sandboxSettingsOf(workspace.sandbox),
    createdAt: workspace.createdAt.toISOString(),
  };
}

export async function registerTeamWorkspace(client: DbExecutor, env: Env, teamId: string, input: RegisterWorkspaceBody) {
  const source = input.directory ? { kind: "existing" as const, directory: input.directory } : { kind: "new" as const };
  return presentWorkspace(await registerWorkspace(client, teamId, { name: input.name, source }, workspacePlacementOf(env)));
}

/** Applies any subset of name, archived and sandbox settings in one transaction: all of them or none. */
export async function updateTeamWorkspace(client: DbExecutor, teamId: string, workspaceId: string, patch: UpdateWorkspaceBody) {
  return withinTransaction(client, async (tx) => {
    await getWorkspace(tx, teamId, workspaceId);
    if (patch.name !== undefined) await renameWorkspace(tx, teamId, workspaceId, patch.name);
    if (patch.sandbox !== undefined) await updateWorkspaceSandbox(tx, teamId, workspaceId, patch.sandbox);
    if (patch.archived !== undefined) await setWorkspaceArchived(tx, teamId, workspaceId, patch.archived);
    return presentWorkspace(await getWorkspace(tx, teamId, workspaceId));
  });
}
