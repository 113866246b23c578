import type { FileDeleteParams } from "../../plan/schema";
import { NonRetryableError } from "../errors";
import { throwIfAborted, type Executor } from "./types";

/** What a `file.delete` node keeps for inspection. */
export interface FileDeleteResult {
  path: string;
  deleted: boolean;
  bytes: number;
}

/** Deletes a file (its bytes stay in the journal for undo). */
export const deleteFileExecutor: Executor<FileDeleteParams, FileDeleteResult> = async (params, ctx) => {
  throwIfAborted(ctx.signal);
  const change = await ctx.files.remove(params.path);
  if (change === null) {
    if (params.missingOk) return { path: params.path, deleted: false, bytes: 0 };
    throw new NonRetryableError("file-not-found", `"${params.path}" does not exist; set missingOk to allow that`);
  }
  return { path: params.path, deleted: true, bytes: change.before?.length ?? 0 };
};
