"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { setWorkspaceTag } from "../actions/set-workspace-tag";
import { ActionError, useSettingsAction } from "../use-settings-action";

/** Re-renders the page's server data every `intervalMs`, so heartbeats and queue depths stay live. */
export function LiveRefresh({ intervalMs }: { intervalMs: number }) {
  const router = useRouter();
  useEffect(() => {
    const timer = setInterval(() => router.refresh(), intervalMs);
    return () => clearInterval(timer);
  }, [router, intervalMs]);
  return null;
}

export function WorkspaceTagForm({ workspaceId, tag, canManage }: { workspaceId: string; tag: string; canManage: boolean }) {
  const saving = useSettingsAction(setWorkspaceTag);
  return (
    <form
      aria-label="Workspace tag"
      onSubmit={(event) => {
        event.preventDefault();
        saving.run({ workspaceId, tag: String(new FormData(event.currentTarget).get("tag") ?? "") });
      }}
    >
      <input name="tag" defaultValue={tag} required disabled={!canManage} aria-label="Tag" pattern="[a-z0-9][a-z0-9_-]*" />{" "}
      <button type="submit" className="button" disabled={!canManage || !saving.ready}>
        Set tag
      </button>
      <ActionError error={saving.error} />
    </form>
  );
}
