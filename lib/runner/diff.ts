/**
 * Unified diffs with three lines of context, minimal in lines: Myers'
 * O(ND) algorithm on the changed middle of the two versions (the common
 * beginning and end are skipped by comparing whole blocks of characters). Changes further apart than twice the context are separate hunks,
 * as `diff -u` and `git diff` print them. Diffs are computed on request, not
 * during runs, but must stay quick on large files: when the edit script
 * would need more than a work budget allows (many scattered changes in a
 * huge file), the rest of the middle is shown as removed and added, which is
 * still a correct diff, only not a minimal one.
 */

const CONTEXT = 3;
const BLOCK = 256;
/** Bound on Myers' work, (lines compared) × (edit distance), so a diff stays within ~100 ms. */
const WORK_BUDGET = 50_000_000;
/** Bound on the edit distance searched, whose trace takes D² integers of memory. */
const MAX_EDIT_DISTANCE = 3_000;
const NO_NEWLINE = "\\ No newline at end of file\n";

/** Limits for {@link unifiedDiff}. */
export interface DiffOptions {
  /** Longest diff text returned; longer diffs end with a marker line. */
  maxChars?: number;
}

type Content = Buffer | string | null;

/** One line of either version: its text without the newline, and whether it had one. */
interface Lines {
  texts: string[];
  /** The last line ends without a newline. */
  unterminated: boolean;
}

/** An edit script step over the middle: keep, remove (from a) or add (from b) one line. */
const KEEP = 0;
const REMOVE = 1;
const ADD = 2;

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
  const start = commonPrefixLineStart(a, b);
  const [endA, endB] = commonSuffixLineEnds(a, b, start);
  const middleA = splitLines(a.slice(start, endA));
  const middleB = splitLines(b.slice(start, endB));
  const script = editScript(keysOf(middleA), keysOf(middleB));
  // Context comes from the common lines around the middle.
  const leading = precedingLines(a, start, CONTEXT);
  const commonEnd = splitLines(a.slice(endA));
  // The region hunks can show: leading context, the middle's edit script, trailing context.
  const trailing = commonEnd.texts.slice(0, CONTEXT);
  const rows = new Uint8Array(leading.length + script.length + trailing.length);
  const lineIndex = new Int32Array(rows.length);
  let i = 0;
  let j = 0;
  script.forEach((step, index) => {
    rows[leading.length + index] = step;
    lineIndex[leading.length + index] = step === ADD ? j : i;
    if (step !== ADD) i += 1;
    if (step !== REMOVE) j += 1;
  });
  const region: Region = {
    kinds: rows,
    text(row) {
      if (row < leading.length) return leading[row] as string;
      const step = row - leading.length;
      if (step >= script.length) return trailing[step - script.length] as string;
      return (rows[row] === ADD ? middleB : middleA).texts[lineIndex[row] as number] as string;
    },
    unterminated(row) {
      const step = row - leading.length;
      if (step < 0) return false;
      if (step >= script.length) return commonEnd.unterminated && step - script.length === commonEnd.texts.length - 1;
      const lines = rows[row] === ADD ? middleB : middleA;
      return lines.unterminated && lineIndex[row] === lines.texts.length - 1;
    },
  };
  const parts: string[] = [header];
  writeHunks(parts, region, lineCount(a, start) - leading.length + 1);
  const text = parts.join("");
  return text.length > maxChars ? text.slice(0, maxChars) + "\n… diff truncated\n" : text;
}

/** Where the common beginning ends, backed up to a line start. */
function commonPrefixLineStart(a: string, b: string): number {
  const shorter = Math.min(a.length, b.length);
  let prefix = 0;
  // Comparing substrings is a memory compare, far cheaper than a loop per character.
  while (prefix + BLOCK <= shorter && a.slice(prefix, prefix + BLOCK) === b.slice(prefix, prefix + BLOCK)) prefix += BLOCK;
  while (prefix < shorter && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix += 1;
  if (prefix === a.length && prefix === b.length) return prefix;
  return prefix === 0 ? 0 : a.lastIndexOf("\n", prefix - 1) + 1;
}

/** Where the common end starts in each version, not overlapping `start`, moved forward to a line start. */
function commonSuffixLineEnds(a: string, b: string, start: number): [number, number] {
  let suffix = 0;
  const longest = Math.min(a.length, b.length) - start;
  while (
    suffix + BLOCK <= longest &&
    a.slice(a.length - suffix - BLOCK, a.length - suffix) === b.slice(b.length - suffix - BLOCK, b.length - suffix)
  )
    suffix += BLOCK;
  while (suffix < longest && a.charCodeAt(a.length - 1 - suffix) === b.charCodeAt(b.length - 1 - suffix)) suffix += 1;
  let endA = a.length - suffix;
  let endB = b.length - suffix;
  // The common end must start a line in both versions: move forward past the rest of the line.
  if (endA > start && endA < a.length && a.charCodeAt(endA - 1) !== 10) {
    const newline = a.indexOf("\n", endA);
    const extra = newline === -1 ? a.length - endA : newline + 1 - endA;
    endA += extra;
    endB += extra;
  } else if (endB > start && endB < b.length && b.charCodeAt(endB - 1) !== 10) {
    const newline = b.indexOf("\n", endB);
    const extra = newline === -1 ? b.length - endB : newline + 1 - endB;
    endA += extra;
    endB += extra;
  }
  return [endA, endB];
}

function lineCount(text: string, end: number): number {
  let count = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < end; i = text.indexOf("\n", i + 1)) count += 1;
  return count;
}

function splitLines(text: string): Lines {
  if (text === "") return { texts: [], unterminated: false };
  const texts = text.split("\n");
  const unterminated = texts[texts.length - 1] !== "";
  if (!unterminated) texts.pop();
  return { texts, unterminated };
}

/** Lines as compared: a last line without a newline differs from the same text with one. */
function keysOf(lines: Lines): string[] {
  if (!lines.unterminated) return lines.texts;
  const keys = [...lines.texts];
  keys[keys.length - 1] += "\n";
  return keys;
}

/** Up to `count` whole lines ending at `end` (a line start). */
function precedingLines(text: string, end: number, count: number): string[] {
  let from = end;
  for (let i = 0; i < count && from > 0; i += 1) from = text.lastIndexOf("\n", from - 2) + 1;
  return splitLines(text.slice(from, end)).texts;
}

/**
 * A shortest edit script from `a` to `b` (Myers 1986, greedy forward pass
 * with the trace kept for the walk back), or, past the work budget, every
 * line removed and added.
 */
function editScript(x: readonly string[], y: readonly string[]): Uint8Array {
  // Lines are compared as strings: V8 compares equal-length strings with a memory compare, and
  // interning every line in a map first costs more than the comparisons it would save.
  const n = x.length;
  const m = y.length;
  const maxD = Math.min(n + m, MAX_EDIT_DISTANCE, Math.max(64, Math.floor(WORK_BUDGET / Math.max(1, n + m))));
  const offset = maxD + 1;
  const v = new Int32Array(2 * maxD + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= maxD; d += 1) {
    trace.push(v.slice(offset - d, offset + d + 1));
    for (let k = -d; k <= d; k += 2) {
      let i =
        k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number))
          ? (v[offset + k + 1] as number)
          : (v[offset + k - 1] as number) + 1;
      let j = i - k;
      while (i < n && j < m && x[i] === y[j]) {
        i += 1;
        j += 1;
      }
      v[offset + k] = i;
      if (i >= n && j >= m) return walkBack(trace, d, n, m);
    }
  }
  const script = new Uint8Array(n + m);
  script.fill(REMOVE, 0, n);
  script.fill(ADD, n);
  return script;
}

/** The edit script from the trace of furthest-reaching points: diagonals walked back from (n, m). */
function walkBack(trace: Int32Array[], last: number, n: number, m: number): Uint8Array {
  const reversed: number[] = [];
  let i = n;
  let j = m;
  for (let d = last; d > 0; d -= 1) {
    const previous = trace[d] as Int32Array; // the v before step d, for diagonals -d … d (index k + d)
    const k = i - j;
    const at = (diagonal: number) => previous[diagonal + d] as number;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const previousK = down ? k + 1 : k - 1;
    const previousI = at(previousK);
    const previousJ = previousI - previousK;
    while (i > previousI && j > previousJ) {
      reversed.push(KEEP);
      i -= 1;
      j -= 1;
    }
    reversed.push(down ? ADD : REMOVE);
    if (down) j -= 1;
    else i -= 1;
  }
  while (i > 0 && j > 0) {
    reversed.push(KEEP);
    i -= 1;
    j -= 1;
  }
  return Uint8Array.from(reversed.reverse());
}

/** The lines the hunks can show, by row: their kind (KEEP, REMOVE, ADD), text and final-newline state. */
interface Region {
  kinds: Uint8Array;
  text(row: number): string;
  /** The line is its version's last and has no newline. */
  unterminated(row: number): boolean;
}

/** Appends the hunks: changed rows with up to CONTEXT kept rows around them, merged when their contexts touch. */
function writeHunks(parts: string[], region: Region, firstLine: number): void {
  const { kinds } = region;
  const changed: number[] = [];
  kinds.forEach((kind, index) => {
    if (kind !== KEEP) changed.push(index);
  });
  let lineA = firstLine;
  let lineB = firstLine;
  let counted = 0;
  for (let first = 0; first < changed.length; ) {
    let last = first;
    while (last + 1 < changed.length && (changed[last + 1] as number) - (changed[last] as number) - 1 <= 2 * CONTEXT) last += 1;
    const from = Math.max(0, (changed[first] as number) - CONTEXT);
    const end = Math.min(kinds.length, (changed[last] as number) + CONTEXT + 1);
    for (; counted < from; counted += 1) {
      if (kinds[counted] !== ADD) lineA += 1;
      if (kinds[counted] !== REMOVE) lineB += 1;
    }
    const body: string[] = [];
    let countA = 0;
    let countB = 0;
    for (let row = from; row < end; row += 1) {
      const kind = kinds[row];
      body.push(kind === KEEP ? " " : kind === REMOVE ? "-" : "+", region.text(row), "\n");
      if (region.unterminated(row)) body.push(NO_NEWLINE);
      if (kind !== ADD) countA += 1;
      if (kind !== REMOVE) countB += 1;
    }
    parts.push(`@@ -${countA === 0 ? lineA - 1 : lineA},${countA} +${countB === 0 ? lineB - 1 : lineB},${countB} @@\n`, ...body);
    first = last + 1;
  }
}

function isBinary(content: Content): boolean {
  return Buffer.isBuffer(content) && content.subarray(0, 8192).includes(0);
}
