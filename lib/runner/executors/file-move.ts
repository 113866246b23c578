import type { FileMoveParams } from "../../plan/schema";
import { NonRetryableError } from "../errors";
import { throwIfAborted, type Executor } from "./types";

/** What a `file.move` node keeps for inspection. */
export interface FileMoveResult {
  from: string;
  to: string;
  bytes: number;
  overwrote: boolean;
}

/**
 * Moves a file, journalled as a create (or update) at `to` and a delete at
 * `from`, so undo restores both sides byte for byte.
 */
export const moveFileExecutor: Executor<FileMoveParams, FileMoveResult> = async (params, ctx) => {
  throwIfAborted(ctx.signal);
  const data = await ctx.files.read(params.from);
  if (data === null) throw new NonRetryableError("file-not-found", `"${params.from}" does not exist; nothing to move`);
  const target = await ctx.files.read(params.to);
  if (target !== null && !params.overwrite) {
    throw new NonRetryableError("file-exists", `"${params.to}" already exists; set overwrite to replace it`);
  }
  const [fromPath, toPath] = await Promise.all([ctx.files.resolve(params.from), ctx.files.resolve(params.to)]);
  if (fromPath === toPath) return { from: params.from, to: params.to, bytes: data.length, overwrote: false };
  await ctx.files.write(params.to, data, { before: target });
  await ctx.files.remove(params.from);
  return { from: params.from, to: params.to, bytes: data.length, overwrote: target !== null };
};
