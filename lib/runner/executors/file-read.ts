import { closeSync, fstatSync, read as readCallback } from "node:fs";
import { promisify } from "node:util";
import type { FileReadParams } from "../../plan/schema";
import { NonRetryableError } from "../errors";
import { openRegularFile } from "../file-system";
import { countLines, LineWindow } from "./line-window";
import { throwIfAborted, type Executor } from "./types";
import { ALL_FILES, walkFiles } from "./walk-files";

/** One file's capped content. */
export interface ReadFile {
  path: string;
  content: string;
  /** Size on disk. */
  bytes: number;
  truncated: boolean;
  /** For a read of a line window (`offset`/`limit`): the window's first line and how many lines `content` holds. */
  firstLine?: number;
  lines?: number;
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
    const lineWindow =
      params.offset !== undefined || params.limit !== undefined
        ? new LineWindow(params.offset ?? 1, (params.offset ?? 1) + (params.limit ?? Infinity) - 1, cap)
        : null;
    let data: Buffer;
    let size: number;
    if (ctx.dryRun) {
      const whole = await ctx.files.readResolved(absolute);
      if (whole === null) throw new NonRetryableError("file-not-found", `"${relative}" does not exist`);
      lineWindow?.push(whole);
      data = lineWindow ? lineWindow.bytes() : whole.subarray(0, cap);
      size = whole.length;
    } else {
      // A regular file only, opened without following a swapped-in symlink or blocking on a FIFO.
      const fd = openRegularFileOrMissing(absolute, relative);
      try {
        size = fstatSync(fd).size;
        data = lineWindow ? await readWindow(fd, lineWindow) : await readStart(fd, Math.min(cap, size));
      } finally {
        closeSync(fd);
      }
    }
    const cut = lineWindow ? lineWindow.truncated : size > data.length;
    truncated ||= cut;
    totalBytes += data.length;
    const lines = lineWindow ? { firstLine: params.offset ?? 1, lines: countLines(data) } : {};
    files.push({ path: relative, content: data.toString("utf8"), bytes: size, truncated: cut, ...lines });
  }
  return { files, totalBytes, truncated };
};

async function readStart(fd: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await readAt(fd, buffer, 0, length, 0);
  return buffer.subarray(0, bytesRead);
}

const WINDOW_CHUNK_BYTES = 64 * 1024;

/** Reads from the start until `lineWindow` has its lines (or the file ends). */
async function readWindow(fd: number, lineWindow: LineWindow): Promise<Buffer> {
  for (let position = 0; !lineWindow.done; ) {
    // A fresh buffer per chunk: the window keeps views of what it is given.
    const chunk = Buffer.allocUnsafe(WINDOW_CHUNK_BYTES);
    const { bytesRead } = await readAt(fd, chunk, 0, chunk.length, position);
    if (bytesRead === 0) break;
    lineWindow.push(chunk.subarray(0, bytesRead));
    position += bytesRead;
  }
  return lineWindow.bytes();
}
