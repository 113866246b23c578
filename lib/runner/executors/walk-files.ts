/**
 * Lists workspace files matching a glob, without following symlinks out of
 * the root. Searches walk the tree as ripgrep does: `.gitignore` files (the
 * root's, the start's ancestors' and every nested one, deeper rules winning),
 * no hidden names and no `node_modules`, unless told otherwise. `.git` is
 * never walked. In a dry run the walk also sees the files the run would have
 * created and no longer sees those it would have deleted.
 */
import { readFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import ignore, { type Ignore } from "ignore";
import { globToRegExp } from "../../plan/glob";
import { NonRetryableError } from "../errors";
import type { Workspace } from "../workspace";

/** Which files a walk leaves out, besides `.git`. */
export interface WalkExclusions {
  /** Also list hidden files and directories (names starting with "."). */
  hidden: boolean;
  /** Also list what `.gitignore` files exclude, and `node_modules`. */
  noIgnore: boolean;
}

/** No exclusions but `.git`: what an explicit read of a glob gets. */
export const ALL_FILES: WalkExclusions = { hidden: true, noIgnore: true };

export interface WalkOptions {
  maxFiles: number;
  signal: AbortSignal;
  exclusions: WalkExclusions;
  /** A dry run's unwritten changes by absolute path (null: deleted). */
  overlay?: ReadonlyMap<string, Buffer | null>;
}

/** The rules of one `.gitignore`, for paths relative to its directory (`base`, "" at the root). */
interface RuleLevel {
  base: string;
  rules: Ignore;
}

/**
 * Workspace-relative paths of regular files matching `glob`, sorted. Walks
 * only below the glob's literal prefix. The exclusions apply to every path,
 * the prefix included: searching `node_modules/x/**` takes `noIgnore`.
 */
export async function walkFiles(workspace: Workspace, glob: string, options: WalkOptions): Promise<string[]> {
  const { maxFiles, signal, exclusions } = options;
  const matcher = globToRegExp(glob);
  if (!matcher) throw new NonRetryableError("invalid-glob", `Glob "${glob}" is malformed`);
  const start = await workspace.resolve(globDirectory(glob) || ".");
  const startRelative = relativeDirectory(workspace, start);
  const gitignores = new GitignoreCache(workspace.root, exclusions.noIgnore);
  const found = new Set<string>();
  const add = (relative: string) => {
    found.add(relative);
    if (found.size > maxFiles) throw new NonRetryableError("too-many-files", `Glob "${glob}" matches more than ${maxFiles} files`);
  };
  const pending: Array<{ dir: string; levels: RuleLevel[] }> =
    startRelative !== "" && gitignores.excludes(startRelative, true, exclusions)
      ? []
      : [{ dir: start, levels: gitignores.levelsDownTo(startRelative) }];
  while (pending.length) {
    if (signal.aborted) throw signal.reason;
    const { dir, levels: parentLevels } = pending.pop() as { dir: string; levels: RuleLevel[] };
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") continue;
      throw error;
    }
    const dirRelative = relativeDirectory(workspace, dir);
    // The start's own .gitignore is already among the levels; a nested one is read when listed.
    const levels =
      dir !== start && !exclusions.noIgnore && entries.some((entry) => entry.name === ".gitignore" && entry.isFile())
        ? gitignores.withLevel(parentLevels, dirRelative)
        : parentLevels;
    for (const entry of entries) {
      const isDirectory = entry.isDirectory();
      if (!isDirectory && !entry.isFile()) continue;
      if (isExcludedName(entry.name, isDirectory, exclusions)) continue;
      const relative = dirRelative === "" ? entry.name : `${dirRelative}/${entry.name}`;
      if (levels.length && isIgnored(levels, relative, isDirectory)) continue;
      if (isDirectory) pending.push({ dir: path.join(dir, entry.name), levels });
      else if (matcher.test(relative)) add(relative);
    }
  }
  for (const [absolute, content] of options.overlay ?? []) {
    const relative = workspace.relative(absolute);
    if (startRelative !== "" && !relative.startsWith(startRelative + "/")) continue;
    if (content === null) found.delete(relative);
    else if (matcher.test(relative) && !gitignores.excludes(relative, false, exclusions)) add(relative);
  }
  return [...found].sort();
}

/** The directory a glob's files all lie under: its leading segments without wildcards ("" for the root). */
export function globDirectory(glob: string): string {
  const segments = glob
    .replace(/\\/g, "/")
    .replace(/^(\.\/)+/, "")
    .split("/");
  const literal: string[] = [];
  for (const segment of segments.slice(0, -1)) {
    if (/[*?[{]/.test(segment)) break;
    literal.push(segment);
  }
  return literal.join("/");
}

/** "" for the root, else the workspace-relative path. */
function relativeDirectory(workspace: Workspace, absolute: string): string {
  const relative = workspace.relative(absolute);
  return relative === "." ? "" : relative;
}

function isExcludedName(name: string, isDirectory: boolean, exclusions: WalkExclusions): boolean {
  if (isDirectory && name === ".git") return true;
  if (!exclusions.hidden && name.startsWith(".")) return true;
  return isDirectory && !exclusions.noIgnore && name === "node_modules";
}

/** Git's precedence: the deepest `.gitignore` with a rule about the path decides. */
function isIgnored(levels: readonly RuleLevel[], relative: string, isDirectory: boolean): boolean {
  for (let i = levels.length - 1; i >= 0; i -= 1) {
    const { base, rules } = levels[i] as RuleLevel;
    const result = rules.test((base === "" ? relative : relative.slice(base.length + 1)) + (isDirectory ? "/" : ""));
    if (result.ignored) return true;
    if (result.unignored) return false;
  }
  return false;
}

/** `.gitignore` files read once per walk. */
class GitignoreCache {
  private readonly levels = new Map<string, RuleLevel | null>();

  constructor(
    private readonly root: string,
    private readonly disabled: boolean,
  ) {}

  private level(dirRelative: string): RuleLevel | null {
    let level = this.levels.get(dirRelative);
    if (level === undefined) {
      let text: string | null = null;
      try {
        text = readFileSync(path.join(this.root, dirRelative, ".gitignore"), "utf8");
      } catch {
        // No readable .gitignore here.
      }
      level = text === null ? null : { base: dirRelative, rules: ignore().add(text) };
      this.levels.set(dirRelative, level);
    }
    return level;
  }

  withLevel(parent: RuleLevel[], dirRelative: string): RuleLevel[] {
    const level = this.level(dirRelative);
    return level ? [...parent, level] : parent;
  }

  /** The levels of the root and of every directory down to `dirRelative`. */
  levelsDownTo(dirRelative: string): RuleLevel[] {
    if (this.disabled) return [];
    let levels = this.withLevel([], "");
    let current = "";
    for (const segment of dirRelative === "" ? [] : dirRelative.split("/")) {
      current = current === "" ? segment : `${current}/${segment}`;
      levels = this.withLevel(levels, current);
    }
    return levels;
  }

  /** Whether the walk leaves out a path (checked from the root: a dry run's new file, or the glob's prefix). */
  excludes(relative: string, isDirectory: boolean, exclusions: WalkExclusions): boolean {
    const segments = relative.split("/");
    let levels = this.levelsDownTo("");
    let current = "";
    for (let i = 0; i < segments.length; i += 1) {
      const name = segments[i] as string;
      const directory = isDirectory || i < segments.length - 1;
      current = current === "" ? name : `${current}/${name}`;
      if (isExcludedName(name, directory, exclusions)) return true;
      if (levels.length && isIgnored(levels, current, directory)) return true;
      if (directory && !this.disabled) levels = this.withLevel(levels, current);
    }
    return false;
  }
}
