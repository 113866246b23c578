"use client";

import { useEffect } from "react";
import type { EditorStore } from "./editor-store";

const EDITABLE = "input, textarea, select, [contenteditable='true']";

/**
 * Ctrl/⌘ shortcuts: S saves, Z/Shift+Z/Y undo and redo, C/V copy and paste,
 * A selects every node. React Flow itself handles Delete/Backspace, selection
 * and Shift-drag boxes. A read-only editor keeps only copy and select-all.
 */
export function useEditorShortcuts(store: EditorStore, options: { readOnly: boolean; onSave(): void; onCopied(count: number): void }) {
  const { readOnly, onSave, onCopied } = options;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey)) return;
      const key = event.key.toLowerCase();
      if (key === "s") {
        event.preventDefault();
        if (!readOnly) onSave();
        return;
      }
      if (event.target instanceof Element && event.target.closest(EDITABLE)) return;
      if (key === "c") {
        const count = store.copySelection();
        if (count) onCopied(count);
        return;
      }
      if (key === "a") store.selectOnly(store.getState().graph.nodes.map((node) => node.id));
      else if (readOnly) return;
      else if (key === "z" && !event.shiftKey) store.undo();
      else if ((key === "z" && event.shiftKey) || key === "y") store.redo();
      else if (key === "v") store.paste();
      else return;
      event.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [store, readOnly, onSave, onCopied]);
}
