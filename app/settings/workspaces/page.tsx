import { listWorkspaces } from "@/lib/db/workspaces";
import { getAppContext } from "@/lib/server/app-context";
import { resolveCaller } from "@/lib/server/caller";
import { roleAllows } from "@/lib/server/permissions";
import { WorkspaceForm } from "./workspace-form";

export const metadata = { title: "Workspaces" };

export default async function WorkspacesPage() {
  const caller = await resolveCaller();
  const { db, env } = await getAppContext();
  const workspaces = await listWorkspaces(db.client, caller.teamId);
  return (
    <>
      <h2 className="section-title">Workspaces</h2>
      <p className="muted">
        Runs act only in one of these directories or in a fresh scratch directory. New workspaces are created under{" "}
        <code>{env.BATCHBOARD_WORKSPACE_ROOT}</code>.
      </p>
      <table className="table card">
        <thead>
          <tr>
            <th>Name</th>
            <th>Directory</th>
          </tr>
        </thead>
        <tbody>
          {workspaces.map((workspace) => (
            <tr key={workspace.id} data-testid="workspace-row">
              <td>{workspace.name}</td>
              <td>
                <code>{workspace.directory}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <WorkspaceForm canManage={roleAllows(caller.role, "team:manage")} />
    </>
  );
}
