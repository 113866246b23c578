"use client";

import type { SandboxLimits, WorkspaceSummary } from "@/lib/server/api/workspace-schemas";
import { updateWorkspace } from "../actions/update-workspace";
import { ActionError, useSettingsAction } from "../use-settings-action";

const LIMIT_FIELDS: ReadonlyArray<{ key: keyof SandboxLimits; label: string }> = [
  { key: "processes", label: "Processes" },
  { key: "memoryMb", label: "Memory (MiB)" },
  { key: "cpuSeconds", label: "CPU time (s)" },
  { key: "fileSizeMb", label: "File size (MiB)" },
  { key: "openFiles", label: "Open files" },
];

/** One workspace: rename, archive or restore, and its sandbox settings (network, limits; an empty limit takes the default). */
export function WorkspaceRow({
  workspace,
  defaults,
  canManage,
}: {
  workspace: WorkspaceSummary;
  defaults: SandboxLimits;
  canManage: boolean;
}) {
  const saving = useSettingsAction(updateWorkspace);
  const disabled = !canManage || !saving.ready;
  return (
    <form
      className="card settings-form"
      data-testid="workspace-row"
      aria-label={`Workspace ${workspace.name}`}
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        const limits: Partial<SandboxLimits> = {};
        for (const { key } of LIMIT_FIELDS) {
          const raw = String(data.get(key) ?? "").trim();
          if (raw) limits[key] = Number(raw);
        }
        saving.run({
          workspaceId: workspace.id,
          patch: { name: String(data.get("name") ?? ""), sandbox: { network: data.get("network") === "on", limits } },
        });
      }}
    >
      <label>
        Name <input name="name" defaultValue={workspace.name} disabled={disabled} />
      </label>
      <code title="Directory">{workspace.directory}</code>
      <label className="check">
        <input type="checkbox" name="network" defaultChecked={workspace.sandbox.network} disabled={disabled} /> Network for commands
      </label>
      {LIMIT_FIELDS.map(({ key, label }) => (
        <label key={key}>
          {label}{" "}
          <input
            name={key}
            type="number"
            min={1}
            size={8}
            defaultValue={workspace.sandbox.limits[key] ?? ""}
            placeholder={`default ${defaults[key]}`}
            disabled={disabled}
          />
        </label>
      ))}
      <button type="submit" className="button button-primary" disabled={disabled}>
        Save
      </button>
      <button
        type="button"
        className="button"
        disabled={disabled}
        onClick={() => saving.run({ workspaceId: workspace.id, patch: { archived: workspace.archivedAt === null } })}
      >
        {workspace.archivedAt === null ? "Archive" : "Restore"}
      </button>
      <ActionError error={saving.error} />
    </form>
  );
}
