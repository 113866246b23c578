/**
 * ripgrep as a line prefilter for large searches: one `rg` pass over the
 * walked files with the necessary literals of every pattern (see
 * search-literals.ts) lists the candidate lines; each is then matched with
 * the pattern itself (search-text.ts), so the matches are exactly the
 * in-process engine's. ripgrep gets the walk's file list rather than walking
 * itself, so ignore rules are applied once, in one way; it reads every file
 * as text (`--text`), and a line with a NUL byte marks its file as binary,
 * which the search then skips, as the in-process engine does.
 */
import { spawn } from "node:child_process";
import type { SearchPattern } from "./search-text";

/** A file's candidate lines: 1-based line number → the line, decoded. */
export type CandidateLines = Map<number, string>;

/** Shortest literal worth a prefilter: shorter ones would list most lines. */
const MIN_LITERAL_LENGTH = 3;
/** Bytes of file paths per `rg` invocation, well below the kernel's argument limit. */
const MAX_ARGUMENT_BYTES = 512 * 1024;

const missing = new Set<string>();

/**
 * The ripgrep expressions that find every line any of `patterns` can match,
 * or null when one of them has no usable literal (it is searched in-process).
 */
export function prefilterExpressions(patterns: readonly SearchPattern[]): string[] | null {
  const expressions = new Set<string>();
  for (const pattern of patterns) {
    const literals = pattern.literals;
    if (!literals || literals.some((literal) => literal.length < MIN_LITERAL_LENGTH || literal.includes("\0") || literal.includes("\n"))) return null;
    // Case folding is compared only where both engines surely agree: ASCII.
    if (!pattern.caseSensitive && literals.some((literal) => /[^\x20-\x7e]/.test(literal))) return null;
    for (const literal of literals) expressions.add((pattern.caseSensitive ? "" : "(?i)") + literal.replace(/[\\.+*?()|[\]{}^$#&\-~]/g, "\\$&"));
  }
  return [...expressions];
}

/**
 * Candidate lines of `files` (workspace-relative, run from `root`) for the
 * prefilter `expressions`, and the files found to be binary; null when the
 * ripgrep executable cannot be started.
 */
export async function ripgrepCandidates(
  executable: string,
  root: string,
  files: readonly string[],
  expressions: readonly string[],
  signal: AbortSignal,
  /** PATH to find `executable` in. */
  searchPath: string,
): Promise<{ lines: Map<string, CandidateLines>; binary: Set<string> } | null> {
  if (missing.has(executable)) return null;
  const lines = new Map<string, CandidateLines>();
  const binary = new Set<string>();
  const args = ["--no-config", "--text", "--no-heading", "--with-filename", "--line-number", "--null", "--color", "never", "--encoding", "none"];
  for (const expression of [...expressions, "\\x00"]) args.push("-e", expression);
  args.push("--");
  for (let first = 0; first < files.length; ) {
    let last = first;
    for (let bytes = 0; last < files.length && bytes < MAX_ARGUMENT_BYTES; last += 1) bytes += (files[last] as string).length + 1;
    const output = await run(executable, [...args, ...files.slice(first, last)], root, signal, searchPath);
    if (output === null) {
      missing.add(executable);
      return null;
    }
    parseOutput(output, lines, binary);
    first = last;
  }
  return { lines, binary };
}

/**
 * `path\0line:text\n` records; the text may hold NUL bytes and colons, never
 * a newline. Decoded at once: every separator is ASCII, so decoding the whole
 * output gives each line exactly as decoding it alone would.
 */
function parseOutput(output: Buffer, lines: Map<string, CandidateLines>, binary: Set<string>): void {
  const text = output.toString("utf8");
  let at = 0;
  let currentPath = "";
  let current: CandidateLines | undefined;
  while (at < text.length) {
    const pathEnd = text.indexOf("\0", at);
    const numberEnd = text.indexOf(":", pathEnd + 1);
    if (pathEnd === -1 || numberEnd === -1) break;
    let lineEnd = text.indexOf("\n", numberEnd + 1);
    if (lineEnd === -1) lineEnd = text.length;
    const path = text.slice(at, pathEnd);
    if (path !== currentPath || current === undefined) {
      currentPath = path;
      current = lines.get(path);
      if (current === undefined) lines.set(path, (current = new Map()));
    }
    const line = text.slice(numberEnd + 1, lineEnd);
    if (line.includes("\0")) binary.add(path);
    else current.set(Number(text.slice(pathEnd + 1, numberEnd)), line);
    at = lineEnd + 1;
  }
}

/** Runs ripgrep; its standard output, or null when it cannot be started. */
function run(executable: string, args: string[], cwd: string, signal: AbortSignal, searchPath: string): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    // Only a PATH: nothing of the server's environment reaches it, and no config file can change its output.
    // ProcessEnv's typing demands NODE_ENV; ripgrep gets exactly this environment.
    const env = { PATH: searchPath } as Record<string, string> as NodeJS.ProcessEnv;
    const child = spawn(executable, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"], signal });
    const chunks: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString();
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT" || error.code === "EACCES") resolve(null);
      else reject(signal.aborted ? signal.reason : error);
    });
    child.on("close", (code: number | null) => {
      // 1: no line matched; 2: some file could not be read (gone since the walk), the rest was searched.
      if (code === 0 || code === 1 || code === 2) resolve(Buffer.concat(chunks));
      else if (!signal.aborted) reject(new Error(`ripgrep failed (exit ${code}): ${stderr.trim()}`));
    });
  });
}
