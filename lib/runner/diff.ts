/**
 * A small unified diff: the common beginning and end of the two versions are
 * skipped by scanning characters, and the changed middle is shown as one hunk
 * with three lines of context. Linear time and no per-line work outside the
 * hunk, so journalling thousands of edits stays cheap; not minimal, but
 * always correct to apply.
 */

const CONTEXT = 3;
const BLOCK = 256;

/** Limits for {@link unifiedDiff}. */
export interface DiffOptions {
  /** Longest diff text returned; longer diffs end with a marker line. */
  maxChars?: number;
}

type Content = Buffer | string | null;

/**
 * Unified diff of two versions of `path` (null = file absent); "" when equal.
 *
 * @example
 * unifiedDiff("a.txt", "x\n", "y\n");
 * // "--- a/a.txt\n+++ b/a.txt\n@@ -1,1 +1,1 @@\n-x\n+y\n"
 */
export function unifiedDiff(path: string, before: Content, after: Content, options: DiffOptions = {}): string {
  const maxChars = options.maxChars ?? 64 * 1024;
  const header = `--- ${before === null ? "/dev/null" : `a/${path}`}\n+++ ${after === null ? "/dev/null" : `b/${path}`}\n`;
  if (isBinary(before) || isBinary(after)) return `${header}Binary files differ\n`;
  const a = before === null ? "" : before.toString();
  const b = after === null ? "" : after.toString();
  if (a === b) return "";
  // Common prefix, backed up to a line start.
  const shorter = Math.min(a.length, b.length);
  let prefix = 0;
  // Skip equal blocks first: comparing substrings is a memory compare, far cheaper than a loop per character.
  while (prefix + BLOCK <= shorter && a.slice(prefix, prefix + BLOCK) === b.slice(prefix, prefix + BLOCK)) prefix += BLOCK;
  while (prefix < shorter && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix += 1;
  const start = prefix === 0 ? 0 : a.lastIndexOf("\n", prefix - 1) + 1;
  // Common suffix not overlapping the prefix, extended to a line end.
  let suffix = 0;
  const longestSuffix = Math.min(a.length, b.length) - start;
  while (suffix + BLOCK <= longestSuffix && a.slice(a.length - suffix - BLOCK, a.length - suffix) === b.slice(b.length - suffix - BLOCK, b.length - suffix)) {
    suffix += BLOCK;
  }
  while (suffix < a.length - start && suffix < b.length - start && a.charCodeAt(a.length - 1 - suffix) === b.charCodeAt(b.length - 1 - suffix)) {
    suffix += 1;
  }
  let endA = a.length - suffix;
  let endB = b.length - suffix;
  if (endA > start && a.charCodeAt(endA - 1) !== 10) {
    const newline = a.indexOf("\n", endA);
    const extra = newline === -1 ? a.length - endA : newline + 1 - endA;
    endA += extra;
    endB += extra;
  } else if (endB > start && b.charCodeAt(endB - 1) !== 10) {
    const newline = b.indexOf("\n", endB);
    const extra = newline === -1 ? b.length - endB : newline + 1 - endB;
    endA += extra;
    endB += extra;
  }
  let contextStart = start;
  for (let i = 0; i < CONTEXT && contextStart > 0; i += 1) contextStart = a.lastIndexOf("\n", contextStart - 2) + 1;
  let contextEnd = endA;
  for (let i = 0; i < CONTEXT && contextEnd < a.length; i += 1) {
    const newline = a.indexOf("\n", contextEnd);
    contextEnd = newline === -1 ? a.length : newline + 1;
  }
  let firstLine = 1;
  for (let i = a.indexOf("\n"); i !== -1 && i < contextStart; i = a.indexOf("\n", i + 1)) firstLine += 1;
  // Joined from parts into one flat string: concatenated slices would keep
  // every intermediate version of the file alive for as long as the diff.
  const parts = [header, ""];
  const leading = addMarkedLines(parts, a, contextStart, start, " ");
  const removed = addMarkedLines(parts, a, start, endA, "-");
  const added = addMarkedLines(parts, b, start, endB, "+");
  const trailing = addMarkedLines(parts, a, endA, contextEnd, " ");
  const countA = leading + removed + trailing;
  const countB = leading + added + trailing;
  parts[1] = `@@ -${countA === 0 ? firstLine - 1 : firstLine},${countA} +${countB === 0 ? firstLine - 1 : firstLine},${countB} @@\n`;
  const text = parts.join("");
  return text.length > maxChars ? text.slice(0, maxChars) + "\n… diff truncated\n" : text;
}

/** Appends the lines of `text` between `from` and `to`, each as `mark`, the line, a newline; returns how many. */
function addMarkedLines(parts: string[], text: string, from: number, to: number, mark: string): number {
  let lines = 0;
  for (let at = from; at < to; lines += 1) {
    const newline = text.indexOf("\n", at);
    const end = newline === -1 || newline >= to ? to : newline;
    parts.push(mark, text.slice(at, end), "\n");
    at = end + 1;
  }
  return lines;
}

function isBinary(content: Content): boolean {
  return Buffer.isBuffer(content) && content.subarray(0, 8192).includes(0);
}
