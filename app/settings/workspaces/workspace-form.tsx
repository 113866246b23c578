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
        registering.run({ name: String(new FormData(form).get("name") ?? "") }, () => form.reset());
      }}
    >
      <label>
        New workspace name{" "}
        <input name="name" required disabled={!canManage} placeholder="e.g. website" pattern="[a-z0-9][a-z0-9\-]*" />
      </label>{" "}
      <button type="submit" className="button button-primary" disabled={!canManage || !registering.ready}>
        Register workspace
      </button>
      {canManage ? null : <p className="muted">Only owners can register workspaces.</p>}
      <ActionError error={registering.error} />
    </form>
  );
}
