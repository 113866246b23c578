/**
 * Putting files back as they were before a run changed them, byte for byte:
 * what undo does after a run, and what recovery does to an atomic batch a
 * crash cut short.
 */
import { chmod, rmdir } from "node:fs/promises";
import path from "node:path";
import { diskFileSystem } from "./file-system";

/** One file to put back. */
export interface FileRestore {
  /** Resolved through the workspace. */
  absolute: string;
  /** The bytes to put back; null when the file did not exist (it is removed). */
  original: Buffer | null;
  /** Permission bits to set (a deleted file's); null keeps the file's own. */
  mode: number | null;
  /** For a file that did not exist: the topmost directory (workspace-relative) its creation made. */
  createdDirectory: string | null;
}

/** Restores each file, then removes the directories the removed files' creation made, once empty again. */
export async function restoreFiles(root: string, restores: readonly FileRestore[]): Promise<void> {
  for (const restore of restores) {
    if (restore.original === null) await diskFileSystem.remove(restore.absolute);
    else {
      await diskFileSystem.write(restore.absolute, restore.original);
      if (restore.mode !== null) await chmod(restore.absolute, restore.mode);
    }
  }
  await removeCreatedDirectories(root, restores);
}

/**
 * Removes, deepest first, each directory between a removed file and the
 * topmost directory its creation made, while it is empty: files the run did
 * not create (or a command wrote there) keep theirs.
 */
async function removeCreatedDirectories(root: string, restores: readonly FileRestore[]): Promise<void> {
  const directories = new Set<string>();
  for (const restore of restores) {
    if (restore.original !== null || restore.createdDirectory === null) continue;
    const top = path.join(root, restore.createdDirectory);
    for (let directory = path.dirname(restore.absolute); directory.startsWith(top); directory = path.dirname(directory))
      directories.add(directory);
  }
  const deepestFirst = [...directories].sort((a, b) => b.length - a.length);
  for (const directory of deepestFirst) {
    try {
      await rmdir(directory);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOTEMPTY" && code !== "EEXIST" && code !== "ENOENT") throw error;
    }
  }
}
