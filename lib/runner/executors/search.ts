import { readFile as readFileCallback, statSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { searchPatternsOf, type SearchExpectation, type SearchParams } from "../../plan/schema";
import { OperationError } from "../errors";
import {
  prefilterExpressions,
  ripgrepCandidates,
  ripgrepFiles,
  type CandidateFile,
  type CandidateLines,
  type RipgrepWalk,
} from "./search-ripgrep";
import { compilePattern, matchLine, matchText, shownLine, type LineMatch, type SearchPattern } from "./search-text";
import { throwIfAborted, type Executor, type ExecutorContext } from "./types";
import { globDirectory, walkFiles } from "./walk-files";

/** One matching line. */
export interface SearchMatch {
  path: string;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
  text: string;
  /** The pattern that matched, for a search given `patterns`. */
  pattern?: string;
}

/** A file with matching lines, for a search whose `output` is "files" or "count". */
export interface SearchFile {
  path: string;
  /** Its matching lines (all patterns together), for `output: "count"`. */
  count?: number;
}

/** What a `search` node keeps: matching lines (or files) up to `maxMatches`, and every pattern's count. */
export interface SearchResult {
  /** The matching lines, for `output: "lines"`. */
  matches: SearchMatch[];
  /** The files with a match, for `output: "files"` or `"count"`. */
  files?: SearchFile[];
  /** Files the glob and the ignore rules selected. */
  filesSearched: number;
  /** More lines matched than `maxMatches`. */
  truncated: boolean;
  /** Matching lines per pattern (in `patterns` order), all of them, kept or not. */
  counts: number[];
}

/** The callback readFile costs less per file than the FileHandle-based promise one. */
const readFileFast = promisify(readFileCallback);
const READ_CONCURRENCY = 32;

/** Searches the files of `params.glob`; fails when `params.expect` is not met. */
export const searchExecutor: Executor<SearchParams, SearchResult> = async (params, ctx) => {
  const [result] = await searchPass([params], params.glob, ctx);
  const failure = unmetExpectation(params, result as SearchResult);
  if (failure) throw failure;
  return result as SearchResult;
};

/**
 * Answers several searches over the same files with one walk that reads each
 * file once (the optimizer's `search-pass` unit; they share `glob`, `hidden`
 * and `noIgnore`). Results are in `searches` order; expectations are left to
 * the caller ({@link unmetExpectation}).
 */
export async function searchPass(searches: readonly SearchParams[], glob: string, ctx: ExecutorContext): Promise<SearchResult[]> {
  throwIfAborted(ctx.signal);
  const patterns = searches.flatMap((search) =>
    searchPatternsOf(search).map((pattern) => compilePattern(pattern, search.regex, search.caseSensitive)),
  );
  const first = searches[0];
  const overlay = ctx.files.unwritten();
  const exclusions = { hidden: first?.hidden ?? false, noIgnore: first?.noIgnore ?? false };
  const files = await walkFiles(ctx.workspace, glob, { maxFiles: ctx.limits.maxFilesVisited, signal: ctx.signal, exclusions, overlay });
  const walk = { start: globDirectory(glob), exclusions, maxFileBytes: ctx.limits.searchMaxFileBytes };
  const found = (await searchWithRipgrep(files, walk, patterns, ctx, overlay.size > 0)) ?? (await searchInProcess(files, patterns, ctx));
  let offset = 0;
  return searches.map((search) => {
    const count = searchPatternsOf(search).length;
    const result = collect(search, files, found, offset, count);
    offset += count;
    return result;
  });
}

/** Matches per file (in walk order), per pattern index. */
type FoundLines = Array<Map<number, LineMatch[]> | undefined>;

async function searchInProcess(files: readonly string[], patterns: readonly SearchPattern[], ctx: ExecutorContext): Promise<FoundLines> {
  const found: FoundLines = new Array(files.length);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      throwIfAborted(ctx.signal);
      const index = next++;
      const text = await readText(files[index] as string, ctx);
      if (text === null) continue;
      patterns.forEach((pattern, patternIndex) => {
        if (pattern.caseSensitive && pattern.literals && !containsAny(text, pattern.literals)) return;
        const lines = matchText(text, pattern);
        if (lines.length) (found[index] ??= new Map()).set(patternIndex, lines);
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, files.length) }, worker));
  return found;
}

/**
 * The same answer as {@link searchInProcess}, from ripgrep's candidate lines;
 * null when ripgrep cannot do it. ripgrep's walk and ours are reconciled:
 * its files that our walk left out are dropped, and our files it did not look
 * at (a rule of its own, or too large) are searched in-process.
 */
async function searchWithRipgrep(
  files: readonly string[],
  walk: RipgrepWalk,
  patterns: readonly SearchPattern[],
  ctx: ExecutorContext,
  hasUnwrittenChanges: boolean,
): Promise<FoundLines | null> {
  // A dry run's unwritten files exist only in memory, where ripgrep cannot read them.
  if (ctx.ripgrepPath === null || hasUnwrittenChanges || files.length < ctx.limits.searchRipgrepMinFiles) return null;
  const expressions = prefilterExpressions(patterns);
  if (expressions === null) return null;
  const byPath = new Map<string, Map<number, LineMatch[]>>();
  // Each file is matched as soon as ripgrep has listed it, while it searches the rest.
  const matchFile = (candidates: CandidateFile) => {
    if (candidates.binary) return;
    const matched = matchCandidates(candidates.lines, patterns);
    if (matched) byPath.set(candidates.path, matched);
  };
  const root = ctx.workspace.root;
  const [looked, listed] = await Promise.all([
    ripgrepFiles(ctx.ripgrepPath, root, walk, ctx.signal, ctx.limits.shellPath),
    ripgrepCandidates(ctx.ripgrepPath, root, walk, expressions, ctx.signal, ctx.limits.shellPath, matchFile),
  ]);
  if (looked === null || !listed) return null;
  const found: FoundLines = new Array(files.length);
  const unseen: number[] = [];
  files.forEach((file, index) => {
    if (looked.has(file)) found[index] = byPath.get(file);
    else unseen.push(index);
  });
  // Most of these are files ripgrep skipped for their size: those are not read just to be skipped again.
  const rest = unseen.filter((index) => !isTooLarge(files[index] as string, ctx));
  const searchedHere = await searchInProcess(
    rest.map((index) => files[index] as string),
    patterns,
    ctx,
  );
  rest.forEach((index, position) => (found[index] = searchedHere[position]));
  return found;
}

function isTooLarge(relative: string, ctx: ExecutorContext): boolean {
  const size = statSync(path.join(ctx.workspace.root, relative), { throwIfNoEntry: false })?.size;
  return size === undefined || size > ctx.limits.searchMaxFileBytes;
}

/** A file's matches among ripgrep's candidate lines, per pattern index, by line; undefined when none matched. */
function matchCandidates(lines: CandidateLines, patterns: readonly SearchPattern[]): Map<number, LineMatch[]> | undefined {
  let byPattern: Map<number, LineMatch[]> | undefined;
  // Plain loops: this runs for every candidate line and pattern, tens of thousands of times.
  for (const [lineNumber, line] of lines) {
    for (let patternIndex = 0; patternIndex < patterns.length; patternIndex += 1) {
      const pattern = patterns[patternIndex] as SearchPattern;
      if (pattern.caseSensitive && !containsAny(line, pattern.literals as string[])) continue;
      const column = matchLine(pattern, line);
      if (column === -1) continue;
      let matches = (byPattern ??= new Map()).get(patternIndex);
      if (!matches) byPattern.set(patternIndex, (matches = []));
      matches.push({ line: lineNumber, column: column + 1, text: shownLine(line) });
    }
  }
  // ripgrep lists a file's lines in order, so each pattern's matches are already by line.
  return byPattern;
}

function containsAny(text: string, literals: readonly string[]): boolean {
  for (let i = 0; i < literals.length; i += 1) if (text.includes(literals[i] as string)) return true;
  return false;
}

/** One search's result from the pass's matches: its patterns are `found`'s `offset` … `offset + count - 1`. */
function collect(search: SearchParams, files: readonly string[], found: FoundLines, offset: number, count: number): SearchResult {
  const counts = new Array<number>(count).fill(0);
  const matches: SearchMatch[] = [];
  const matchingFiles: SearchFile[] = [];
  const named = search.patterns !== undefined;
  let total = 0;
  let filesWithMatches = 0;
  files.forEach((file, index) => {
    const byPattern = found[index];
    if (!byPattern) return;
    const inFile: SearchMatch[] = [];
    let linesInFile = 0;
    for (let i = 0; i < count; i += 1) {
      const lines = byPattern.get(offset + i);
      if (!lines) continue;
      counts[i] = (counts[i] as number) + lines.length;
      linesInFile += lines.length;
      if (search.output !== "lines" || matches.length >= search.maxMatches) continue;
      const pattern = named ? { pattern: search.patterns?.[i] as string } : {};
      for (const { line, column, text } of lines) inFile.push({ path: file, line, column, text, ...pattern });
    }
    total += linesInFile;
    if (linesInFile === 0) return;
    filesWithMatches += 1;
    if (search.output !== "lines") {
      if (matchingFiles.length < search.maxMatches)
        matchingFiles.push(search.output === "count" ? { path: file, count: linesInFile } : { path: file });
      return;
    }
    if (matches.length >= search.maxMatches) return;
    // Within a file: by line, then in the order the patterns were given (the sort is stable).
    inFile.sort((a, b) => a.line - b.line);
    for (const match of inFile) if (matches.length < search.maxMatches) matches.push(match);
  });
  if (search.output === "lines") return { matches, filesSearched: files.length, truncated: total > search.maxMatches, counts };
  return { matches, files: matchingFiles, filesSearched: files.length, truncated: filesWithMatches > search.maxMatches, counts };
}

/** The failure a search's `expect` describes, or null when every pattern's count is in range. */
export function unmetExpectation(search: SearchParams, result: SearchResult): OperationError | null {
  if (search.expect === undefined) return null;
  const range = expectedRange(search.expect);
  const patterns = searchPatternsOf(search);
  const problems: string[] = [];
  patterns.forEach((pattern, index) => {
    const count = result.counts[index] ?? 0;
    if (count >= range.min && count <= range.max) return;
    const where = result.matches
      .filter((match) => match.pattern === undefined || match.pattern === pattern)
      .map((match) => `${match.path}:${match.line}`);
    // With files listed instead of lines, the files stand for where (any pattern) matched.
    const shown = (where.length ? where : (result.files ?? []).map((file) => file.path)).slice(0, 5);
    const locations = count === 0 ? "" : `: ${shown.join(", ")}${count > shown.length ? `, … (${count - shown.length} more)` : ""}`;
    problems.push(`"${pattern}" matched ${count} line${count === 1 ? "" : "s"}${locations}`);
  });
  if (!problems.length) return null;
  const scope = `${result.filesSearched} file${result.filesSearched === 1 ? "" : "s"} searched (glob "${search.glob}"${search.noIgnore ? "" : ", .gitignore and node_modules excluded"}${search.hidden ? "" : ", hidden files excluded"})`;
  return new OperationError(
    "expectation-failed",
    `Expected ${describeExpectation(search.expect)}, but ${problems.join("; ")} in ${scope}`,
    result,
  );
}

function expectedRange(expect: SearchExpectation): { min: number; max: number } {
  if (expect === "none") return { min: 0, max: 0 };
  if (expect === "any") return { min: 1, max: Infinity };
  return { min: expect.min ?? 0, max: expect.max ?? Infinity };
}

function describeExpectation(expect: SearchExpectation): string {
  if (expect === "none") return "no matching line";
  if (expect === "any") return "at least one matching line per pattern";
  if (expect.max === undefined) return `at least ${expect.min} matching lines per pattern`;
  if (expect.min === undefined || expect.min === 0) return `at most ${expect.max} matching lines per pattern`;
  return expect.min === expect.max
    ? `exactly ${expect.min} matching lines per pattern`
    : `${expect.min}–${expect.max} matching lines per pattern`;
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
  if (data === null || data.length > ctx.limits.searchMaxFileBytes) return null;
  // Binary files (a NUL byte anywhere) are skipped, as grep and ripgrep do.
  if (data.includes(0)) return null;
  return data.toString("utf8");
}
