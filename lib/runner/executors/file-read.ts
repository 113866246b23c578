import { open } from "node:fs/promises";
import type { FileReadParams } from "../../plan/schema";
import { NonRetryableError } from "../errors";
import { throwIfAborted, type Executor } from "./types";
import { ALL_FILES, walkFiles } from "./walk-files";

/** One file's capped content. */
export interface ReadFile {
  path: string;
  content: string;
  /** Size on disk. */
  bytes: number;
  truncated: boolean;
}

/** What a `file.read` node keeps: the files' contents, capped per file and in total. */
export interface FileReadResult {
  files: ReadFile[];
  totalBytes: number;
  truncated: boolean;
}

/** Reads listed files and/or a glob, each up to `maxBytes`, all up to the runner's total cap. */
export const readFileExecutor: Executor<FileReadParams, FileReadResult> = async (params, ctx) => {
  throwIfAborted(ctx.signal);
  const paths = [...params.paths];
  if (params.glob) {
    for (const found of await walkFiles(ctx.workspace, params.glob, {
      maxFiles: ctx.limits.maxFilesVisited,
      signal: ctx.signal,
      exclusions: ALL_FILES,
      overlay: ctx.files.unwritten(),
    })) {
      if (!paths.includes(found)) paths.push(found);
    }
  }
  const files: ReadFile[] = [];
  let totalBytes = 0;
  let truncated = false;
  for (const relative of paths) {
    throwIfAborted(ctx.signal);
    const remaining = ctx.limits.readTotalBytes - totalBytes;
    if (remaining <= 0) {
      truncated = true;
      break;
    }
    const absolute = await ctx.files.resolve(relative);
    const cap = Math.min(params.maxBytes, remaining);
    let data: Buffer;
    let size: number;
    if (ctx.dryRun) {
      const whole = await ctx.files.readResolved(absolute);
      if (whole === null) throw new NonRetryableError("file-not-found", `"${relative}" does not exist`);
      data = whole.subarray(0, cap);
      size = whole.length;
    } else {
      const handle = await open(absolute, "r").catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") throw new NonRetryableError("file-not-found", `"${relative}" does not exist`);
        throw error;
      });
      try {
        size = (await handle.stat()).size;
        const buffer = Buffer.alloc(Math.min(cap, size));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
        data = buffer.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    }
    const fileTruncated = size > data.length;
    truncated ||= fileTruncated;
    totalBytes += data.length;
    files.push({ path: relative, content: data.toString("utf8"), bytes: size, truncated: fileTruncated });
  }
  return { files, totalBytes, truncated };
};
