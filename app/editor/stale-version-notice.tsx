"use client";

import { serializePlanJson } from "@/lib/library/plan-json";
import { useEditorStore } from "./editor-context";
import { documentFromGraph } from "./editor-model";

/** Shown when a save was refused because someone saved first: keep my changes as a file, or load theirs. */
export function StaleVersionNotice({ message }: { message: string }) {
  const store = useEditorStore();
  const downloadMine = () => {
    const blob = new Blob([serializePlanJson(documentFromGraph(store.getState().graph))], { type: "application/json" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "unsaved-changes.plan.json";
    link.click();
    URL.revokeObjectURL(link.href);
  };
  return (
    <div className="notice notice-error" role="alert" data-testid="stale-warning">
      {message}. Someone saved this plan while you were editing; your changes are not saved and nothing of theirs was overwritten.{" "}
      <button type="button" className="button button-small" onClick={downloadMine}>
        Download my changes
      </button>{" "}
      <button
        type="button"
        className="button button-small"
        onClick={() => {
          store.markSaved(store.getState().baseVersion, store.getState().revision);
          window.location.reload();
        }}
      >
        Load the newest version
      </button>
    </div>
  );
}
