/** The multi-edit contract as a pure function over text. */
import type { FileEdit } from "../../plan/schema";

/** Outcome of {@link applyEdits}. */
export type EditOutcome =
  | {
      ok: true;
      content: string;
      replacements: number;
    }
  | { ok: false; editIndex: number; reason: "not-found" | "ambiguous"; occurrences: number; message: string };

/**
 * Applies edits in order, each to the result of the previous one. Each `find`
 * must occur exactly once unless `all` is set (then at least once). On any
 * miss nothing is returned but the failing edit.
 *
 * @example
 * applyEdits("a b", [{ find: "a", replace: "c" }]); // { ok: true, content: "c b", replacements: 1 }
 */
export function applyEdits(content: string, edits: readonly FileEdit[]): EditOutcome {
  let text = content;
  let replacements = 0;
  for (let index = 0; index < edits.length; index += 1) {
    const edit = edits[index] as FileEdit;
    const first = text.indexOf(edit.find);
    if (first === -1) {
      return {
        ok: false,
        editIndex: index,
        reason: "not-found",
        occurrences: 0,
        message: `Edit ${index + 1}: the text to find was not found`,
      };
    }
    if (edit.all) {
      const parts = text.split(edit.find);
      replacements += parts.length - 1;
      text = parts.join(edit.replace);
      continue;
    }
    const second = text.indexOf(edit.find, first + edit.find.length);
    if (second !== -1) {
      const occurrences = text.split(edit.find).length - 1;
      return {
        ok: false,
        editIndex: index,
        reason: "ambiguous",
        occurrences,
        message: `Edit ${index + 1}: the text to find occurs ${occurrences} times; make it unique or set "all"`,
      };
    }
    text = text.slice(0, first) + edit.replace + text.slice(first + edit.find.length);
    replacements += 1;
  }
  return { ok: true, content: text, replacements };
}
