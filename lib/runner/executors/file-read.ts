import { closeSync, fstatSync, read as readCallback } from "node:fs";
import { promisify } from "node:util";
import type { FileReadParams } from "../../plan/schema";
import { NonRetryableError } from "../errors";
import { openRegularFile } from "../file-system";
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

const readAt = promisify(readCallback);

function openRegularFileOrMissing(absolute: string, relative: string): number {
  try {
    return openRegularFile(absolute, "r", false);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new NonRetryableError("file-not-found", `"${relative}" does not exist`);
    throw error;
  }
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
      // A regular file only, opened without following a swapped-in symlink or blocking on a FIFO.
      const fd = openRegularFileOrMissing(absolute, relative);
      try {
        size = fstatSync(fd).size;
        const buffer = Buffer.alloc(Math.min(cap, size));
        const { bytesRead } = await readAt(fd, buffer, 0, buffer.length, 0);
        data = buffer.subarray(0, bytesRead);
      } finally {
        closeSync(fd);
      }
    }
    const fileTruncated = size > data.length;
    truncated ||= fileTruncated;
    totalBytes += data.length;
    files.push({ path: relative, content: data.toString("utf8"), bytes: size, truncated: fileTruncated });
  }
  return { files, totalBytes, truncated };
};
