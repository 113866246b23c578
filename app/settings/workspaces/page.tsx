import { listWorkspaces } from "@/lib/db/workspaces";
import { DEFAULT_SANDBOX_LIMITS } from "@/lib/server/api/workspace-schemas";
import { getAppContext } from "@/lib/server/app-context";
import { resolveCaller } from "@/lib/server/caller";
import { roleAllows } from "@/lib/server/permissions";
import { presentWorkspace } from "@/lib/server/workspace-service";
import { WorkspaceForm } from "./workspace-form";
import { WorkspaceRow } from "./workspace-row";

export const metadata = { title: "Workspaces" };

export default async function WorkspacesPage() {
  const caller = await resolveCaller();
  const { db, env } = await getAppContext();
  const workspaces = (await listWorkspaces(db.client, caller.teamId)).map(presentWorkspace);
  const canManage = roleAllows(caller.role, "team:manage");
  return (
    <>
      <h2 className="section-title">Workspaces</h2>
      <p className="muted">
        Runs act only in one of these directories or in a fresh scratch directory. Workspaces live under{" "}
        <code>{env.BATCHBOARD_WORKSPACE_ROOT}</code>: a new one gets its own directory there, or register a directory already there (a
        checkout). Archived workspaces keep their runs&apos; history but cannot be run in.
      </p>
      {workspaces.map((workspace) => (
        <WorkspaceRow key={workspace.id} workspace={workspace} defaults={DEFAULT_SANDBOX_LIMITS} canManage={canManage} />
      ))}
      <WorkspaceForm canManage={canManage} />
    </>
  );
}
