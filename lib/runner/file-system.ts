/**
 * How executors read and change files: the real disk or, for dry runs, an
 * overlay that records changes without writing them.
 *
 * Existing files are rewritten in place rather than through a temp file and
 * rename: the file keeps its inode, so its mode (an executable script stays
 * executable), owner, hard links and extended attributes survive, and no new
 * inode is allocated per change, which on ext4 costs more than the write
 * itself. Each rewrite is one positional write of the whole content, so a
 * crash of the runner leaves either the old or the new bytes of a small file.
 */
import {
  close as closeCallback,
  fstat as fstatCallback,
  ftruncate as ftruncateCallback,
  open as openCallback,
  read as readCallback,
  readFile as readFileCallback,
  write as writeCallback,
  writeFile as writeFileCallback,
} from "node:fs";
import { mkdir, unlink } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

// The callback forms cost less per call than the FileHandle-based promise
// ones, which matters when a run touches thousands of files.
const readFile = promisify(readFileCallback);
const writeFile = promisify(writeFileCallback);
const open = promisify(openCallback);
const close = promisify(closeCallback);
const fstat = promisify(fstatCallback);
const ftruncate = promisify(ftruncateCallback);
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
}

/** Reads a file, or null when it does not exist. */
export async function readOrNull(absolutePath: string): Promise<Buffer | null> {
  try {
    return await readFile(absolutePath);
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === "ENOENT";
}

/** Creates a file that does not exist yet, and its parent directories. */
async function create(absolutePath: string, data: Buffer): Promise<void> {
  try {
    await writeFile(absolutePath, data);
  } catch (error) {
    if (!isMissing(error)) throw error;
    await mkdir(path.dirname(absolutePath), { recursive: true });
    await writeFile(absolutePath, data);
  }
}

async function readAll(fd: number): Promise<Buffer> {
  const { size } = await fstat(fd);
  // Like fs.readFile, trust the size: one read for a regular file. A size of
  // zero may mean a file that does not report it, so that is read to the end.
  let buffer = Buffer.allocUnsafe(size || 8192);
  let length = 0;
  for (;;) {
    if (size > 0 && length === size) return buffer;
    if (length === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(buffer.length)]);
    const bytes = await readAt(fd, buffer, length, length);
    if (bytes === 0) return buffer.subarray(0, length);
    length += bytes;
  }
}

async function overwrite(fd: number, data: Buffer, previousSize: number): Promise<void> {
  let written = 0;
  while (written < data.length) written += await writeAt(fd, data, written, written);
  if (previousSize > data.length) await ftruncate(fd, data.length);
}

/** Read-modify-write on the real disk; see {@link FileSystem.update}. */
async function updateOnDisk(absolutePath: string, change: ContentChange): Promise<{ before: Buffer | null; after: Buffer | null }> {
  let fd: number;
  try {
    fd = await open(absolutePath, "r+");
  } catch (error) {
    if (!isMissing(error)) throw error;
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
    await close(fd);
  }
}

/** The real disk. */
export const diskFileSystem: FileSystem = {
  read: readOrNull,
  async write(absolutePath, data) {
    let fd: number;
    try {
      fd = await open(absolutePath, "r+");
    } catch (error) {
      if (!isMissing(error)) throw error;
      return create(absolutePath, data);
    }
    try {
      await overwrite(fd, data, Number.POSITIVE_INFINITY);
    } finally {
      await close(fd);
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
};

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
  };
}
