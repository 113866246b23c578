"use client";

import { useCallback, useState } from "react";
import { useRouter } from "next/navigation";
import { queryKeys } from "@/app/_components/query-keys";
import { getPlanVersion } from "../actions/get-plan-version";
import { restorePlanVersion } from "../actions/restore-plan-version";
import { savePlan } from "../actions/save-plan";
import { unwrap, useActionMutation } from "../_components/use-action-mutation";
import { useEditorStore } from "./editor-context";
import { documentFromGraph, graphFromDocument } from "./editor-model";

/**
 * Saving the editor's graph as a new version and restoring an old one: the
 * save dialog's state, whether the newest version is a draft, and the
 * message shown when someone else saved first.
 */
export function useVersionActions(planId: string, openedDraft: boolean, showToast: (text: string) => void) {
  const store = useEditorStore();
  const router = useRouter();
  const [saving, setSaving] = useState(false);
  const [stale, setStale] = useState<string | null>(null);
  const [savedAsDraft, setSavedAsDraft] = useState(openedDraft);
  const save = useActionMutation(savePlan, [queryKeys.plans.lists(), queryKeys.plans.detail(planId)]);
  const restore = useActionMutation(restorePlanVersion, [queryKeys.plans.lists(), queryKeys.plans.detail(planId)]);
  const openSave = useCallback(() => setSaving(true), []);
  const closeSave = useCallback(() => setSaving(false), []);

  const saveVersion = (message: string, asDraft: boolean) => {
    const { graph, revision } = store.getState();
    store.validateNow();
    save.mutate(
      { planId, baseVersion: store.getState().baseVersion, document: documentFromGraph(graph), message, asDraft },
      {
        onSuccess: (saved) => {
          store.markSaved(saved.number, revision);
          setSavedAsDraft(saved.isDraft);
          setSaving(false);
          showToast(`Saved v${saved.number}${saved.isDraft ? " as a draft" : ""}`);
          // Server-rendered parts of the page (the run bar) show the newest version; the editor's state is kept.
          router.refresh();
        },
        onError: (error) => {
          if (error.code === "stale") {
            setSaving(false);
            setStale(error.message);
          }
        },
      },
    );
  };

  const restoreVersion = (number: number) => {
    if (
      store.getState().revision !== store.getState().savedRevision &&
      !window.confirm("Restoring discards your unsaved changes. Continue?")
    )
      return;
    restore.mutate(
      { planId, number, baseVersion: store.getState().baseVersion },
      {
        onSuccess: async (saved) => {
          const restored = await unwrap(getPlanVersion({ planId, number: saved.number }));
          store.replaceGraph(graphFromDocument(restored.document), saved.number);
          setSavedAsDraft(saved.isDraft);
          showToast(`Restored v${number} as v${saved.number}`);
          router.refresh();
        },
        onError: (error) => error.code === "stale" && setStale(error.message),
      },
    );
  };

  return {
    saving,
    openSave,
    closeSave,
    saveVersion,
    savePending: save.isPending,
    saveError: save.error && save.error.code !== "stale" ? save.error.message : null,
    restoreVersion,
    restorePending: restore.isPending,
    stale,
    savedAsDraft,
  };
}
