/**
 * How a search pattern matches text: line by line, like grep. A pattern
 * matches a line when its regular expression (JavaScript syntax; a literal is
 * escaped) matches within that line alone, without its newline; each matching
 * line counts once, at the column of its first match. Both search engines
 * (in-process and the ripgrep prefilter) decide matches through this module,
 * so they report the same lines.
 */
import { NonRetryableError } from "../errors";
import { necessaryLiterals } from "./search-literals";

/** One search pattern, compiled. */
export interface SearchPattern {
  source: string;
  caseSensitive: boolean;
  /** Global and multiline, for scanning a whole file. */
  scanner: RegExp;
  /** The same expression, for one line on its own. */
  lineMatcher: RegExp;
  /** Strings one of which every match contains (null: none known); a literal pattern is its own. */
  literals: string[] | null;
  /**
   * Lookarounds can see past a line's end when the whole file is scanned, so
   * such patterns are matched line by line.
   */
  perLine: boolean;
}

/** A line a pattern matches. */
export interface LineMatch {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
  text: string;
}

const MAX_LINE_CHARS = 500;

/** Compiles a pattern; an invalid regular expression is a NonRetryableError naming it. */
export function compilePattern(pattern: string, regex: boolean, caseSensitive: boolean): SearchPattern {
  const source = regex ? pattern : pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const flags = caseSensitive ? "" : "i";
  try {
    return {
      source: pattern,
      caseSensitive,
      scanner: new RegExp(source, `gm${flags}`),
      lineMatcher: new RegExp(source, `m${flags}`),
      literals: regex ? necessaryLiterals(pattern) : [pattern],
      perLine: regex && /\(\?<?[=!]/.test(pattern),
    };
  } catch (error) {
    throw new NonRetryableError("invalid-regex", `Pattern "${pattern}" is not a valid regular expression: ${(error as Error).message}`);
  }
}

/** The line as shown in a match: without a trailing carriage return, capped. */
export function shownLine(line: string): string {
  return (line.length > MAX_LINE_CHARS ? line.slice(0, MAX_LINE_CHARS) : line).replace(/\r$/, "");
}

/** Where `pattern` first matches within `line` (0-based), or -1. */
export function matchLine(pattern: SearchPattern, line: string): number {
  return pattern.lineMatcher.exec(line)?.index ?? -1;
}

/** Every line of `text` that `pattern` matches, in order. */
export function matchText(text: string, pattern: SearchPattern): LineMatch[] {
  const found: LineMatch[] = [];
  if (pattern.perLine) {
    let lineNumber = 1;
    for (let start = 0; start < text.length; lineNumber += 1) {
      let end = text.indexOf("\n", start);
      if (end === -1) end = text.length;
      const line = text.slice(start, end);
      const column = matchLine(pattern, line);
      if (column !== -1) found.push({ line: lineNumber, column: column + 1, text: shownLine(line) });
      start = end + 1;
    }
    return found;
  }
  const scanner = pattern.scanner;
  scanner.lastIndex = 0;
  let lineNumber = 1;
  let counted = 0;
  for (;;) {
    const match = scanner.exec(text);
    if (match === null) return found;
    const index = match.index;
    // The empty "line" after a final newline is not a line.
    if (index === text.length && (text.length === 0 || text.charCodeAt(index - 1) === 10)) return found;
    for (let i = text.indexOf("\n", counted); i !== -1 && i < index; i = text.indexOf("\n", i + 1)) {
      lineNumber += 1;
      counted = i + 1;
    }
    const lineStart = text.lastIndexOf("\n", index - 1) + 1;
    let lineEnd = text.indexOf("\n", index);
    if (lineEnd === -1) lineEnd = text.length;
    if (index + match[0].length <= lineEnd) {
      found.push({
        line: lineNumber,
        column: index - lineStart + 1,
        text: shownLine(text.slice(lineStart, Math.min(lineEnd, lineStart + MAX_LINE_CHARS + 1))),
      });
    } else {
      // The match ran past the line's end; the line on its own decides.
      const line = text.slice(lineStart, lineEnd);
      const column = matchLine(pattern, line);
      if (column !== -1) found.push({ line: lineNumber, column: column + 1, text: shownLine(line) });
    }
    if (lineEnd >= text.length) return found;
    scanner.lastIndex = lineEnd + 1;
  }
}
