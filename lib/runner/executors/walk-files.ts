/** Lists workspace files matching a glob, without following symlinks out of the root. */
import { readdir } from "node:fs/promises";
import path from "node:path";
import { globToRegExp } from "../../plan/glob";
import { NonRetryableError } from "../errors";
import type { Workspace } from "../workspace";

const SKIPPED_DIRECTORIES = new Set([".git"]);

/**
 * Workspace-relative paths of regular files matching `glob`, sorted. Walks
 * only below the glob's literal prefix; symlinks are not followed.
 */
export async function walkFiles(workspace: Workspace, glob: string, maxFiles: number, signal: AbortSignal): Promise<string[]> {
  const matcher = globToRegExp(glob);
  if (!matcher) throw new NonRetryableError("invalid-glob", `Glob "${glob}" is malformed`);
  const segments = glob.replace(/\\/g, "/").replace(/^(\.\/)+/, "").split("/");
  const literal: string[] = [];
  for (const segment of segments.slice(0, -1)) {
    if (/[*?[{]/.test(segment)) break;
    literal.push(segment);
  }
  const start = await workspace.resolve(literal.join("/") || ".");
  const found: string[] = [];
  const pending = [start];
  while (pending.length) {
    if (signal.aborted) throw signal.reason;
    const dir = pending.pop() as string;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") continue;
      throw error;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) pending.push(full);
      } else if (entry.isFile()) {
        const relative = workspace.relative(full);
        if (matcher.test(relative)) {
          found.push(relative);
          if (found.length > maxFiles) {
            throw new NonRetryableError("too-many-files", `Glob "${glob}" matches more than ${maxFiles} files`);
          }
        }
      }
    }
  }
  return found.sort();
}
