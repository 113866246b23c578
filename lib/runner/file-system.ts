/**
 * How executors read and change files: the real disk (writes through a temp
 * file and rename) or, for dry runs, an overlay that records changes without
 * writing them.
 */
import { randomBytes } from "node:crypto";
import { readFile as readFileCallback, writeFile as writeFileCallback } from "node:fs";
import { mkdir, rename, rm, unlink } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

// The callback forms cost less per call than the FileHandle-based promise ones,
// which matters when a run touches thousands of files.
const readFile = promisify(readFileCallback);
const writeFile = promisify(writeFileCallback);

/** Absolute-path file access; callers resolve paths through the Workspace first. */
export interface FileSystem {
  /** The file's bytes, or null when it does not exist. */
  read(absolutePath: string): Promise<Buffer | null>;
  /** Writes atomically (temp file + rename), creating parent directories. */
  write(absolutePath: string, data: Buffer): Promise<void>;
  /** Removes a file; no error when it is already gone. */
  remove(absolutePath: string): Promise<void>;
}

/** Reads a file, or null when it does not exist. */
export async function readOrNull(absolutePath: string): Promise<Buffer | null> {
  try {
    return await readFile(absolutePath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** Writes through a temp file in the same directory, then renames it into place. */
export async function writeAtomically(absolutePath: string, data: Buffer): Promise<void> {
  const temp = `${absolutePath}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(temp, data);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    await mkdir(path.dirname(absolutePath), { recursive: true });
    await writeFile(temp, data);
  }
  try {
    await rename(temp, absolutePath);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** The real disk. */
export const diskFileSystem: FileSystem = {
  read: readOrNull,
  write: writeAtomically,
  async remove(absolutePath) {
    try {
      await unlink(absolutePath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  },
};

/** A dry-run view: reads see earlier (unwritten) changes; nothing reaches the disk. */
export function createOverlayFileSystem(): FileSystem {
  const overlay = new Map<string, Buffer | null>();
  return {
    async read(absolutePath) {
      return overlay.has(absolutePath) ? (overlay.get(absolutePath) ?? null) : readOrNull(absolutePath);
    },
    async write(absolutePath, data) {
      overlay.set(absolutePath, data);
    },
    async remove(absolutePath) {
      overlay.set(absolutePath, null);
    },
  };
}
