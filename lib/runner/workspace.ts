/**
 * The workspace boundary: every path an operation touches is resolved to a
 * real path and refused when it leaves the root, through `..` or a symlink.
 */
import { realpathSync } from "node:fs";
import path from "node:path";
import { checkWorkspacePath, normalizeWorkspacePath } from "../plan/workspace-path";
import { NonRetryableError } from "./errors";

/** A directory a run acts in; paths are resolved against its real root. */
export interface Workspace {
  /** The real (symlink-free) absolute root. */
  readonly root: string;
  /**
   * Resolves a workspace-relative path to a real absolute path inside the
   * root, following symlinks of the path and its parents.
   * @throws NonRetryableError `path-escape` when it would leave the root.
   */
  resolve(relativePath: string): Promise<string>;
  /** The workspace-relative form of an absolute path inside the root. */
  relative(absolutePath: string): string;
}

/**
 * Opens a workspace rooted at `directory` (which must exist). Synchronous, like
 * every realpath here (see realpathOfDeepestExisting), so a run is set up in
 * one step.
 *
 * @example
 * const ws = openWorkspace("/srv/ws");
 * await ws.resolve("src/a.ts"); // "/srv/ws/src/a.ts"
 * await ws.resolve("../etc/passwd"); // throws NonRetryableError("path-escape")
 */
export function openWorkspace(directory: string): Workspace {
  const root = realpathSync.native(directory);
  const inside = (candidate: string) => candidate === root || candidate.startsWith(root + path.sep);
  return {
    root,
    relative: (absolutePath) => path.relative(root, absolutePath).split(path.sep).join("/") || ".",
    async resolve(relativePath) {
      const problem = checkWorkspacePath(relativePath);
      const normalized = normalizeWorkspacePath(relativePath);
      if (problem || normalized === null) {
        throw new NonRetryableError("path-escape", problem?.message ?? `Path "${relativePath}" leaves the workspace`);
      }
      if (normalized === ".") return root;
      const lexical = path.join(root, normalized);
      const real = realpathOfDeepestExisting(lexical);
      if (!inside(real)) {
        throw new NonRetryableError(
          "path-escape",
          `Path "${relativePath}" resolves outside the workspace (through a symlink); refusing to touch it`,
        );
      }
      return real;
    },
  };
}

/**
 * realpath of the path, or of its deepest existing ancestor with the rest
 * appended. Synchronous: a few cached lstat calls take microseconds, a round
 * trip through libuv's thread pool costs the event loop ten times that.
 */
function realpathOfDeepestExisting(target: string): string {
  const rest: string[] = [];
  let current = target;
  for (;;) {
    try {
      const real = realpathSync.native(current);
      return rest.length ? path.join(real, ...rest.reverse()) : real;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") throw error;
      const parent = path.dirname(current);
      if (parent === current) throw error;
      rest.push(path.basename(current));
      current = parent;
    }
  }
}
