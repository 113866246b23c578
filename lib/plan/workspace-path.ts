/**
 * Workspace-relative path rules. A run never reads or writes outside its
 * workspace root, so the validator rejects any path that could name a file
 * outside it before the runner ever resolves one.
 */

/** Why a path was rejected; codes match `ProblemCode`. */
export interface PathProblem {
  code: "empty-path" | "absolute-path" | "path-escapes-workspace" | "invalid-path-character";
  message: string;
}

const DRIVE_LETTER = /^[A-Za-z]:/;
/** A `.`/`..` segment, a backslash, a doubled, leading or trailing slash. */
const NEEDS_NORMALIZING = /(^|[/\\])\.\.?([/\\]|$)|\\|\/\/|^\/|\/$/;

/**
 * Checks that `path` stays inside the workspace root.
 *
 * Backslashes count as separators too, because a plan written on Windows (or
 * a runner on Windows) would otherwise let `..\..\x` escape.
 *
 * @example
 * checkWorkspacePath("src/app.ts"); // null
 * checkWorkspacePath("../etc/passwd")?.code; // "path-escapes-workspace"
 */
export function checkWorkspacePath(path: string, what = "Path"): PathProblem | null {
  if (path.trim() === "") {
    return { code: "empty-path", message: `${what} is empty: give a path relative to the workspace root, e.g. "src/index.ts"` };
  }
  if (path.includes("\0")) {
    return { code: "invalid-path-character", message: `${what} contains a NUL character; remove it` };
  }
  if (path.startsWith("/") || path.startsWith("\\")) {
    return {
      code: "absolute-path",
      message: `${what} "${path}" is absolute: write it relative to the workspace root (without the leading "${path[0]}")`,
    };
  }
  if (DRIVE_LETTER.test(path)) {
    return {
      code: "absolute-path",
      message: `${what} "${path}" starts with a drive letter: write it relative to the workspace root`,
    };
  }
  // Only a ".." segment can leave the root; most paths have none, and splitting them costs a 10,000-node plan milliseconds.
  if (path.includes("..") && resolveSegments(path) === null) {
    return {
      code: "path-escapes-workspace",
      message: `${what} "${path}" uses ".." to leave the workspace root; point to a file inside the workspace`,
    };
  }
  return null;
}

/**
 * The canonical form of a valid workspace path, used to compare paths:
 * `./src//a/../b.ts` → `src/b.ts`, `.` or `` → `.`. Returns null for a path
 * that escapes the root.
 */
export function normalizeWorkspacePath(path: string): string | null {
  // Most paths are already canonical; skip splitting them (this runs for every node of every plan).
  if (path !== "" && !NEEDS_NORMALIZING.test(path)) return path;
  const segments = resolveSegments(path);
  if (segments === null) return null;
  return segments.length === 0 ? "." : segments.join("/");
}

function resolveSegments(path: string): string[] | null {
  const out: string[] = [];
  for (const segment of path.split(/[/\\]/)) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (out.length === 0) return null;
      out.pop();
    } else out.push(segment);
  }
  return out;
}
