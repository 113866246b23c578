import { readFile as readFileCallback } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import type { SearchParams } from "../../plan/schema";
import { NonRetryableError } from "../errors";
import { throwIfAborted, type Executor, type ExecutorContext } from "./types";
import { walkFiles } from "./walk-files";

/** One matching line. */
export interface SearchMatch {
  path: string;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
  text: string;
}

/** What a `search` node keeps: matches up to `maxMatches`. */
export interface SearchResult {
  matches: SearchMatch[];
  filesSearched: number;
  truncated: boolean;
}

const MAX_LINE_CHARS = 500;
/** The callback readFile costs less per file than the FileHandle-based promise one. */
const readFileFast = promisify(readFileCallback);
const READ_CONCURRENCY = 32;

/** Searches the files of `params.glob` for a literal or regex pattern. */
export const searchExecutor: Executor<SearchParams, SearchResult> = async (params, ctx) => {
  const [result] = await searchPass([params], params.glob, ctx);
  return result as SearchResult;
};

/**
 * Answers several searches over the same glob with one walk that reads each
 * file once (the optimizer's `search-pass` unit). Results are in `searches` order.
 */
export async function searchPass(searches: readonly SearchParams[], glob: string, ctx: ExecutorContext): Promise<SearchResult[]> {
  throwIfAborted(ctx.signal);
  const matchers = searches.map(compile);
  const results: SearchResult[] = searches.map(() => ({ matches: [], filesSearched: 0, truncated: false }));
  const paths = await walkFiles(ctx.workspace, glob, ctx.limits.maxFilesVisited, ctx.signal);
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      throwIfAborted(ctx.signal);
      const relative = paths[next++] as string;
      if (results.every((result) => result.truncated)) return;
      const text = await readText(relative, ctx);
      if (text === null) continue;
      for (let i = 0; i < matchers.length; i += 1) {
        const result = results[i] as SearchResult;
        if (result.truncated) continue;
        result.filesSearched += 1;
        findMatches(text, relative, matchers[i] as Matcher, searches[i]?.maxMatches ?? 0, result);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, paths.length) }, worker));
  for (const result of results) result.matches.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
  return results;
}

interface Matcher {
  regex: RegExp;
  /** For a case-sensitive literal: a cheap pre-check. */
  literal: string | null;
}

function compile(params: SearchParams): Matcher {
  const source = params.regex ? params.pattern : params.pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  try {
    return {
      regex: new RegExp(source, params.caseSensitive ? "gm" : "gim"),
      literal: !params.regex && params.caseSensitive ? params.pattern : null,
    };
  } catch (error) {
    throw new NonRetryableError("invalid-regex", `Pattern "${params.pattern}" is not a valid regular expression: ${(error as Error).message}`);
  }
}

async function readText(relative: string, ctx: ExecutorContext): Promise<string | null> {
  // The walk only descends real directories below a resolved start and lists regular
  // files (never symlinks), so the path is inside the workspace without resolving it again.
  const absolute = path.join(ctx.workspace.root, relative);
  let data: Buffer | null;
  if (ctx.dryRun) data = await ctx.files.readResolved(absolute);
  else {
    try {
      data = await readFileFast(absolute);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }
  if (data === null) return null;
  if (data.length > ctx.limits.searchMaxFileBytes) {
    const size = (await stat(absolute).catch(() => null))?.size ?? data.length;
    if (size > ctx.limits.searchMaxFileBytes) return null;
  }
  // Binary files are skipped, like grep's default.
  if (data.subarray(0, 8192).includes(0)) return null;
  return data.toString("utf8");
}

function findMatches(text: string, path: string, matcher: Matcher, maxMatches: number, result: SearchResult): void {
  if (matcher.literal !== null && !text.includes(matcher.literal)) return;
  const regex = matcher.regex;
  regex.lastIndex = 0;
  let line = 1;
  let counted = 0;
  for (;;) {
    const match = regex.exec(text);
    if (match === null) return;
    const index = match.index;
    for (let i = text.indexOf("\n", counted); i !== -1 && i < index; i = text.indexOf("\n", i + 1)) {
      line += 1;
      counted = i + 1;
    }
    const lineStart = text.lastIndexOf("\n", index - 1) + 1;
    let lineEnd = text.indexOf("\n", index);
    if (lineEnd === -1) lineEnd = text.length;
    if (result.matches.length >= maxMatches) {
      result.truncated = true;
      return;
    }
    const lineText = text.slice(lineStart, Math.min(lineEnd, lineStart + MAX_LINE_CHARS)).replace(/\r$/, "");
    result.matches.push({ path, line, column: index - lineStart + 1, text: lineText });
    // One match per line, like grep: continue after this line.
    regex.lastIndex = lineEnd + 1;
    if (lineEnd >= text.length) return;
  }
}
