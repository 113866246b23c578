"use client";

import { registerWorkspace } from "../actions/register-workspace";
import { ActionError, useSettingsAction } from "../use-settings-action";

export function WorkspaceForm({ canManage }: { canManage: boolean }) {
  const registering = useSettingsAction(registerWorkspace);
  return (
    <form
      className="card settings-form"
      aria-label="Register a workspace"
      onSubmit={(event) => {
        event.preventDefault();
        const form = event.currentTarget;
        const data = new FormData(form);
        const directory = String(data.get("directory") ?? "").trim();
        registering.run({ name: String(data.get("name") ?? ""), ...(directory ? { directory } : {}) }, () => form.reset());
      }}
    >
      <label>
        New workspace name <input name="name" required disabled={!canManage} placeholder="e.g. website" pattern="[a-z0-9][a-z0-9\-]*" />
      </label>{" "}
      <label>
        Existing directory (optional) <input name="directory" disabled={!canManage} placeholder="e.g. checkouts/website" />
      </label>{" "}
      <button type="submit" className="button button-primary" disabled={!canManage || !registering.ready}>
        Register workspace
      </button>
      <p className="muted">Leave the directory empty to create a new one; a directory is relative to the workspace root.</p>
      {canManage ? null : <p className="muted">Only owners can register workspaces.</p>}
      <ActionError error={registering.error} />
    </form>
  );
}
