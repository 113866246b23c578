import { isUtf8 } from "node:buffer";
import type { FileEditParams } from "../../plan/schema";
import { NonRetryableError } from "../errors";
import { applyEdits } from "./edit-text";
import { throwIfAborted, type Executor, type ExecutorContext } from "./types";

/** What a `file.edit` node keeps for inspection (its diff is on the run's `file.change` event). */
export interface FileEditResult {
  path: string;
  replacements: number;
}

/**
 * Applies ordered edits to one file atomically: on any miss the file is left
 * untouched and the error names the edit.
 */
export const editFileExecutor: Executor<FileEditParams, FileEditResult> = async (params, ctx) => {
  const [result] = await editFileInSteps(params.path, [params.edits], ctx);
  if (result?.ok === true) return result.value;
  throw result?.ok === false ? result.error : new Error("The edit was not applied");
};

/** Per-step outcome of {@link editFileInSteps}. */
export type EditStepOutcome = { ok: true; value: FileEditResult } | { ok: false; error: NonRetryableError } | { ok: "skipped" };

/**
 * One read-modify-write of a file for several edit nodes (a multi-edit unit):
 * steps apply in order; a failing step leaves the content as it was before
 * it, and `shouldRun(i)` lets the caller skip steps whose dependencies failed.
 * `outcomes` is filled in place as steps apply, so the journal can tell, as
 * it records the write, which steps it holds.
 */
export async function editFileInSteps(
  path: string,
  steps: ReadonlyArray<FileEditParams["edits"]>,
  ctx: ExecutorContext,
  shouldRun: (index: number, outcomes: readonly EditStepOutcome[]) => boolean = () => true,
  outcomes: EditStepOutcome[] = [],
): Promise<EditStepOutcome[]> {
  throwIfAborted(ctx.signal);
  await ctx.files.update(path, (before) => {
    if (before === null) {
      const error = new NonRetryableError("file-not-found", `"${path}" does not exist; nothing to edit`);
      for (let index = 0; index < steps.length; index += 1) outcomes.push({ ok: false, error });
      return null;
    }
    // Decoding would replace every invalid byte with U+FFFD and write that back: refuse instead.
    if (!isUtf8(before)) {
      const error = new NonRetryableError(
        "not-utf8",
        `"${path}" is not UTF-8 text; file.edit changes text files only (write binary files whole with file.write and "encoding": "base64")`,
      );
      for (let index = 0; index < steps.length; index += 1) outcomes.push({ ok: false, error });
      return null;
    }
    const original = before.toString("utf8");
    let text = original;
    for (let index = 0; index < steps.length; index += 1) {
      if (!shouldRun(index, outcomes)) {
        outcomes.push({ ok: "skipped" });
        continue;
      }
      const outcome = applyEdits(text, steps[index] ?? []);
      if (!outcome.ok) {
        outcomes.push({
          ok: false,
          error: new NonRetryableError(
            outcome.reason === "not-found" ? "edit-not-found" : "edit-ambiguous",
            `${path}: ${outcome.message}`,
            {
              editIndex: outcome.editIndex,
            },
          ),
        });
        continue;
      }
      text = outcome.content;
      outcomes.push({ ok: true, value: { path, replacements: outcome.replacements } });
    }
    if (text === original) return null;
    throwIfAborted(ctx.signal);
    return Buffer.from(text, "utf8");
  });
  return outcomes;
}
