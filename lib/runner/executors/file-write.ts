import type { FileWriteParams } from "../../plan/schema";
import { NonRetryableError } from "../errors";
import { throwIfAborted, type Executor } from "./types";

/** What a `file.write` node keeps for inspection (its diff is on the run's `file.change` event). */
export interface FileWriteResult {
  path: string;
  bytesWritten: number;
  /** `skipped` when the file existed and `ifExists` was `skip`; `unchanged` when the content was identical. */
  outcome: "created" | "overwritten" | "skipped" | "unchanged";
}

/** Writes a file, honouring `ifExists`; `encoding: "base64"` writes the exact bytes the content encodes. */
export const writeFileExecutor: Executor<FileWriteParams, FileWriteResult> = async (params, ctx) => {
  throwIfAborted(ctx.signal);
  // The validator has checked that base64 content is well formed.
  const data = Buffer.from(params.content, params.encoding === "base64" ? "base64" : "utf8");
  let existed = false;
  const change = await ctx.files.update(params.path, (before) => {
    existed = before !== null;
    if (before !== null && params.ifExists === "fail") {
      throw new NonRetryableError("file-exists", `"${params.path}" already exists and ifExists is "fail"`);
    }
    return before !== null && params.ifExists === "skip" ? null : data;
  });
  if (existed && params.ifExists === "skip") return { path: params.path, bytesWritten: 0, outcome: "skipped" };
  return {
    path: params.path,
    bytesWritten: change ? data.length : 0,
    outcome: change === null ? "unchanged" : existed ? "overwritten" : "created",
  };
};
