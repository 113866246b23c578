/**
 * ripgrep as a line prefilter for large searches: one `rg` pass with the
 * necessary literals of every pattern (see search-literals.ts) lists the
 * candidate lines; each is then matched with the pattern itself
 * (search-text.ts), so the matches are exactly the in-process engine's.
 * ripgrep walks the tree itself, with flags that follow walk-files.ts's rules
 * as closely as it can (a list of 10,000 paths as arguments costs it more
 * than the whole walk); `rg --files` with the same flags says which files it
 * looked at, so the caller can search the walk's other files in-process and
 * drop ripgrep's extra ones. ripgrep reads every file as text (`--text`),
 * and a line with a NUL byte marks its file as binary, which the search then
 * skips, as the in-process engine does.
 */
import { spawn } from "node:child_process";
import type { SearchPattern } from "./search-text";
import type { WalkExclusions } from "./walk-files";

/** A file's candidate lines: 1-based line number → the line, decoded. */
export type CandidateLines = Map<number, string>;

/** Shortest literal worth a prefilter: shorter ones would list most lines. */
const MIN_LITERAL_LENGTH = 3;

/** Executables found missing: not tried again. */
const missing = new Set<string>();

/**
 * The ripgrep expressions that find every line any of `patterns` can match,
 * or null when one of them has no usable literal (it is searched in-process).
 */
export function prefilterExpressions(patterns: readonly SearchPattern[]): string[] | null {
  const expressions = new Set<string>();
  for (const pattern of patterns) {
    const literals = pattern.literals;
    if (!literals || literals.some((literal) => literal.length < MIN_LITERAL_LENGTH || literal.includes("\0") || literal.includes("\n")))
      return null;
    // Case folding is compared only where both engines surely agree: ASCII.
    if (!pattern.caseSensitive && literals.some((literal) => /[^\x20-\x7e]/.test(literal))) return null;
    for (const literal of literals)
      expressions.add((pattern.caseSensitive ? "" : "(?i)") + literal.replace(/[\\.+*?()|[\]{}^$#&\-~]/g, "\\$&"));
  }
  return [...expressions];
}

/** One file's candidate lines as ripgrep listed them; `binary` when one of its lines held a NUL byte. */
export interface CandidateFile {
  path: string;
  lines: CandidateLines;
  binary: boolean;
}

/** Where ripgrep walks, and what it leaves out. */
export interface RipgrepWalk {
  /** Workspace-relative directory to walk ("" for the root). */
  start: string;
  exclusions: WalkExclusions;
  /** Files larger than this are skipped, as the in-process engine skips them. */
  maxFileBytes: number;
}

/**
 * walk-files.ts's rules in ripgrep's flags: .gitignore files only (no
 * .ignore, no global or parent ones, no git repository needed). Where the
 * rules still differ, the caller reconciles, so these decide only how much
 * ripgrep reads, never what a search finds.
 */
function walkArguments(walk: RipgrepWalk): string[] {
  const args = ["--no-config", "--no-require-git", "--no-ignore-dot", "--no-ignore-exclude", "--no-ignore-global", "--no-ignore-parent"];
  args.push("--max-filesize", String(walk.maxFileBytes));
  if (walk.exclusions.hidden) args.push("--hidden", "--glob", "!.git");
  if (walk.exclusions.noIgnore) args.push("--no-ignore");
  else args.push("--glob", "!node_modules");
  return args;
}

const startArguments = (walk: RipgrepWalk) => (walk.start === "" ? [] : ["--", walk.start]);

/** The files (workspace-relative) ripgrep's walk looks at; null when ripgrep cannot be started. */
export async function ripgrepFiles(
  executable: string,
  root: string,
  walk: RipgrepWalk,
  signal: AbortSignal,
  searchPath: string,
): Promise<Set<string> | null> {
  if (missing.has(executable)) return null;
  const chunks: Buffer[] = [];
  if (
    !(await run(executable, [...walkArguments(walk), "--files", "--null", ...startArguments(walk)], root, signal, searchPath, (chunk) =>
      chunks.push(chunk),
    ))
  ) {
    missing.add(executable);
    return null;
  }
  return new Set(Buffer.concat(chunks).toString("utf8").split("\0").filter(Boolean));
}

/**
 * Lists the candidate lines of the walk's files for the prefilter
 * `expressions`, handing each file to `onFile` as soon as ripgrep has
 * printed it, so matching runs while ripgrep still searches. False when the
 * ripgrep executable cannot be started (nothing was handed).
 */
export async function ripgrepCandidates(
  executable: string,
  root: string,
  walk: RipgrepWalk,
  expressions: readonly string[],
  signal: AbortSignal,
  /** PATH to find `executable` in. */
  searchPath: string,
  onFile: (file: CandidateFile) => void,
): Promise<boolean> {
  if (missing.has(executable)) return false;
  const args = [
    ...walkArguments(walk),
    "--text",
    "--no-heading",
    "--with-filename",
    "--line-number",
    "--null",
    "--color",
    "never",
    "--encoding",
    "none",
  ];
  for (const expression of [...expressions, "\\x00"]) args.push("-e", expression);
  const parser = new OutputParser(onFile);
  if (!(await run(executable, [...args, ...startArguments(walk)], root, signal, searchPath, (chunk) => parser.push(chunk)))) {
    missing.add(executable);
    return false;
  }
  parser.end();
  return true;
}

/**
 * `path\0line:text\n` records; the text may hold NUL bytes and colons,
 * never a newline. ripgrep prints each file's lines together, so a file is
 * complete when the next one starts. Records are decoded whole, up to the
 * chunk's last newline: every separator is ASCII, so a multi-byte character
 * is never cut.
 */
class OutputParser {
  private carry: Buffer | null = null;
  private current: CandidateFile | null = null;

  constructor(private readonly onFile: (file: CandidateFile) => void) {}

  push(chunk: Buffer): void {
    const data = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    const end = data.lastIndexOf(10);
    if (end === -1) {
      this.carry = data;
      return;
    }
    this.carry = end + 1 < data.length ? data.subarray(end + 1) : null;
    this.parse(data.toString("utf8", 0, end + 1));
  }

  end(): void {
    if (this.carry) this.parse(this.carry.toString("utf8") + "\n");
    this.carry = null;
    if (this.current) this.onFile(this.current);
    this.current = null;
  }

  private parse(text: string): void {
    let at = 0;
    while (at < text.length) {
      const pathEnd = text.indexOf("\0", at);
      const numberEnd = text.indexOf(":", pathEnd + 1);
      const lineEnd = text.indexOf("\n", numberEnd + 1);
      if (pathEnd === -1 || numberEnd === -1 || lineEnd === -1) break;
      const path = text.slice(at, pathEnd);
      if (this.current?.path !== path) {
        if (this.current) this.onFile(this.current);
        this.current = { path, lines: new Map(), binary: false };
      }
      const line = text.slice(numberEnd + 1, lineEnd);
      if (line.includes("\0")) this.current.binary = true;
      else this.current.lines.set(Number(text.slice(pathEnd + 1, numberEnd)), line);
      at = lineEnd + 1;
    }
  }
}

/** Runs ripgrep, handing its standard output on as it comes; false when it cannot be started. */
function run(
  executable: string,
  args: string[],
  cwd: string,
  signal: AbortSignal,
  searchPath: string,
  onOutput: (chunk: Buffer) => void,
): Promise<boolean> {
  return new Promise((resolve, reject) => {
    // Only a PATH: nothing of the server's environment reaches it, and no config file can change its output.
    // ProcessEnv's typing demands NODE_ENV; ripgrep gets exactly this environment.
    const env = { PATH: searchPath } as Record<string, string> as NodeJS.ProcessEnv;
    const child = spawn(executable, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"], signal });
    let stderr = "";
    child.stdout.on("data", onOutput);
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString();
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT" || error.code === "EACCES") resolve(false);
      else reject(signal.aborted ? signal.reason : error);
    });
    child.on("close", (code: number | null) => {
      // 1: no line matched; 2: some file could not be read (gone since the walk), the rest was searched.
      if (code === 0 || code === 1 || code === 2) resolve(true);
      else if (!signal.aborted) reject(new Error(`ripgrep failed (exit ${code}): ${stderr.trim()}`));
    });
  });
}
