/**
 * How executors read and change files: the real disk or, for dry runs, an
 * overlay that records changes without writing them.
 *
 * Existing files are rewritten in place rather than through a temp file and
 * rename: the file keeps its inode, so its mode (an executable script stays
 * executable), owner, hard links and extended attributes survive, and no new
 * inode is allocated per change, which on ext4 costs more than the write
 * itself. Each rewrite is one positional write of the whole content, and the
 * file is truncated only when the new content is shorter (truncating to zero
 * first frees and reallocates every block).
 *
 * Files up to {@link SYNC_IO_LIMIT} bytes are read and written with
 * synchronous calls: for a small file in the page cache each call takes a few
 * microseconds, while a round trip through libuv's thread pool costs the
 * event loop ten times that, so thousands of small edits run several times
 * faster and block the loop only for microseconds at a time. Larger files use
 * the asynchronous calls.
 *
 * Only regular files are touched: every open uses O_NOFOLLOW (a symlink
 * swapped in after the workspace resolved the path is refused, not
 * followed) and O_NONBLOCK (opening a FIFO cannot hang a thread), and then
 * checks the type, so a FIFO, device, socket or directory gets a clear
 * `not-a-file` error naming only the file, never the server's absolute path.
 * Files are read into memory whole, so each is capped at
 * {@link MAX_FILE_BYTES}.
 */
import {
  closeSync,
  constants,
  fstatSync,
  ftruncateSync,
  openSync,
  read as readCallback,
  readSync,
  write as writeCallback,
  writeSync,
} from "node:fs";
import { mkdir, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { NonRetryableError } from "./errors";

/** Files up to this size are read and written synchronously (see the module comment). */
export const SYNC_IO_LIMIT = 256 * 1024;

/** The largest file an operation reads into memory (to edit, journal or read it). */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

const SAFE_OPEN = constants.O_NOFOLLOW | constants.O_NONBLOCK;
const OPEN_FLAGS = { r: constants.O_RDONLY | SAFE_OPEN, "r+": constants.O_RDWR | SAFE_OPEN } as const;
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;

const mebibytes = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;

/** What a non-regular file is, in words. */
function kindOf(stats: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO (named pipe)";
  if (stats.isSocket()) return "a socket";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  return "not a regular file";
}

function notAFile(absolutePath: string, kind: string): NonRetryableError {
  return new NonRetryableError(
    "not-a-file",
    `"${path.basename(absolutePath)}" is ${kind}, not a file; only regular files can be read or changed`,
  );
}

/** The errors an open can end in that say something about the path, as clear node errors without the absolute path. */
function translateOpenError(absolutePath: string, error: unknown): unknown {
  switch ((error as NodeJS.ErrnoException).code) {
    case "EISDIR":
      return notAFile(absolutePath, "a directory");
    case "ELOOP":
      return new NonRetryableError(
        "path-escape",
        `"${path.basename(absolutePath)}" turned into a symbolic link while the run used it; refusing to follow it`,
      );
    case "ENXIO":
      return notAFile(absolutePath, "a socket or device");
    default:
      return error;
  }
}

/** Refuses anything but a regular file, and (when it is to be read whole) one over the size cap. */
function assertRegularFile(fd: number, absolutePath: string, readsWhole: boolean): void {
  const stats = fstatSync(fd);
  if (!stats.isFile()) throw notAFile(absolutePath, kindOf(stats));
  if (readsWhole && stats.size > MAX_FILE_BYTES) {
    throw new NonRetryableError(
      "file-too-large",
      `"${path.basename(absolutePath)}" is ${mebibytes(stats.size)}; file operations handle files up to ${mebibytes(MAX_FILE_BYTES)}`,
    );
  }
}

/**
 * Opens a regular file without following a final symlink and without
 * blocking on a FIFO; the caller closes it. Throws `not-a-file`,
 * `path-escape` and, unless `readsWhole` is false (a capped read),
 * `file-too-large` NonRetryableErrors.
 */
export function openRegularFile(absolutePath: string, flags: "r" | "r+", readsWhole = true): number {
  let fd: number;
  try {
    fd = openSync(absolutePath, OPEN_FLAGS[flags]);
  } catch (error) {
    throw translateOpenError(absolutePath, error);
  }
  try {
    assertRegularFile(fd, absolutePath, readsWhole);
    return fd;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

// The callback forms cost less per call than the FileHandle-based promise
// ones, which matters when a run touches thousands of files.
const readAt = (fd: number, buffer: Buffer, offset: number, position: number) =>
  new Promise<number>((resolve, reject) =>
    readCallback(fd, buffer, offset, buffer.length - offset, position, (error, bytes) => (error ? reject(error) : resolve(bytes))),
  );
const writeAt = (fd: number, buffer: Buffer, offset: number, position: number) =>
  new Promise<number>((resolve, reject) =>
    writeCallback(fd, buffer, offset, buffer.length - offset, position, (error, bytes) => (error ? reject(error) : resolve(bytes))),
  );

/**
 * Decides a file's new bytes from its current ones (null: absent); returning
 * null leaves the file as it is. It may throw to refuse the change.
 */
export type ContentChange = (before: Buffer | null) => Buffer | null;

/** Absolute-path file access; callers resolve paths through the Workspace first. */
export interface FileSystem {
  /** The file's bytes, or null when it does not exist. */
  read(absolutePath: string): Promise<Buffer | null>;
  /** Replaces the file's bytes (in place when it exists), creating parent directories. */
  write(absolutePath: string, data: Buffer): Promise<void>;
  /** Read-modify-write through one open file; returns the bytes before and the bytes written (null: none). */
  update(absolutePath: string, change: ContentChange): Promise<{ before: Buffer | null; after: Buffer | null }>;
  /** Removes a file; no error when it is already gone. */
  remove(absolutePath: string): Promise<void>;
  /** The file's permission bits, or null when it does not exist. */
  mode(absolutePath: string): Promise<number | null>;
  /** Changes held apart from the disk (a dry run's), by absolute path (null: deleted); empty for the disk. */
  unwritten(): ReadonlyMap<string, Buffer | null>;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === "ENOENT";
}

/** Opens a regular file, or null when it does not exist. */
function openOrNull(absolutePath: string, flags: "r" | "r+"): number | null {
  try {
    return openRegularFile(absolutePath, flags);
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

/** Reads a file, or null when it does not exist. */
export async function readOrNull(absolutePath: string): Promise<Buffer | null> {
  const fd = openOrNull(absolutePath, "r");
  if (fd === null) return null;
  try {
    return await readAll(fd);
  } finally {
    closeSync(fd);
  }
}

/** Creates a file that does not exist yet, and its parent directories. */
async function create(absolutePath: string, data: Buffer): Promise<void> {
  let fd: number;
  try {
    fd = openSync(absolutePath, CREATE_FLAGS, 0o666);
  } catch (error) {
    if (!isMissing(error)) throw translateOpenError(absolutePath, error);
    await mkdir(path.dirname(absolutePath), { recursive: true });
    try {
      fd = openSync(absolutePath, CREATE_FLAGS, 0o666);
    } catch (retryError) {
      throw translateOpenError(absolutePath, retryError);
    }
  }
  try {
    await overwrite(fd, data, 0);
  } finally {
    closeSync(fd);
  }
}

async function readAll(fd: number): Promise<Buffer> {
  const { size } = fstatSync(fd);
  // Like fs.readFile, trust the size: one read for a regular file. A size of
  // zero may mean a file that does not report it, so that is read to the end.
  let buffer = Buffer.allocUnsafe(size || 8192);
  let length = 0;
  for (;;) {
    if (size > 0 && length === size) return buffer;
    if (length === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(buffer.length)]);
    const bytes =
      size <= SYNC_IO_LIMIT ? readSync(fd, buffer, length, buffer.length - length, length) : await readAt(fd, buffer, length, length);
    if (bytes === 0) return buffer.subarray(0, length);
    length += bytes;
  }
}

async function overwrite(fd: number, data: Buffer, previousSize: number): Promise<void> {
  let written = 0;
  while (written < data.length) {
    written +=
      data.length <= SYNC_IO_LIMIT
        ? writeSync(fd, data, written, data.length - written, written)
        : await writeAt(fd, data, written, written);
  }
  if (previousSize > data.length) ftruncateSync(fd, data.length);
}

/** Read-modify-write on the real disk; see {@link FileSystem.update}. */
async function updateOnDisk(absolutePath: string, change: ContentChange): Promise<{ before: Buffer | null; after: Buffer | null }> {
  const fd = openOrNull(absolutePath, "r+");
  if (fd === null) {
    const after = change(null);
    if (after !== null) await create(absolutePath, after);
    return { before: null, after };
  }
  try {
    const before = await readAll(fd);
    const after = change(before);
    if (after !== null) await overwrite(fd, after, before.length);
    return { before, after };
  } finally {
    closeSync(fd);
  }
}

/** The real disk. */
export const diskFileSystem: FileSystem = {
  read: readOrNull,
  async write(absolutePath, data) {
    const fd = openOrNull(absolutePath, "r+");
    if (fd === null) return create(absolutePath, data);
    try {
      await overwrite(fd, data, fstatSync(fd).size);
    } finally {
      closeSync(fd);
    }
  },
  update: updateOnDisk,
  async remove(absolutePath) {
    try {
      await unlink(absolutePath);
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  },
  mode: modeOnDisk,
  unwritten: () => NOTHING_UNWRITTEN,
};

const NOTHING_UNWRITTEN: ReadonlyMap<string, Buffer | null> = new Map();

async function modeOnDisk(absolutePath: string): Promise<number | null> {
  try {
    return (await stat(absolutePath)).mode & 0o7777;
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

/** A dry-run view: reads see earlier (unwritten) changes; nothing reaches the disk. */
export function createOverlayFileSystem(): FileSystem {
  const overlay = new Map<string, Buffer | null>();
  const read = async (absolutePath: string) => (overlay.has(absolutePath) ? (overlay.get(absolutePath) ?? null) : readOrNull(absolutePath));
  return {
    read,
    async write(absolutePath, data) {
      overlay.set(absolutePath, data);
    },
    async update(absolutePath, change) {
      const before = await read(absolutePath);
      const after = change(before);
      if (after !== null) overlay.set(absolutePath, after);
      return { before, after };
    },
    async remove(absolutePath) {
      overlay.set(absolutePath, null);
    },
    async mode(absolutePath) {
      return overlay.has(absolutePath) ? null : modeOnDisk(absolutePath);
    },
    unwritten: () => overlay,
  };
}
