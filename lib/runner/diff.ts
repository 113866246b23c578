/**
 * A small unified diff: common leading and trailing lines are trimmed and the
 * middle is shown as one hunk. Linear time, so journalling thousands of edits
 * stays cheap; not minimal, but always correct to apply.
 */

const CONTEXT = 3;

/** Limits for {@link unifiedDiff}. */
export interface DiffOptions {
  /** Longest diff text returned; longer diffs end with a marker line. */
  maxChars?: number;
}

/**
 * Unified diff of two versions of `path` (null = file absent).
 *
 * @example
 * unifiedDiff("a.txt", Buffer.from("x\n"), Buffer.from("y\n"));
 * // "--- a/a.txt\n+++ b/a.txt\n@@ -1,1 +1,1 @@\n-x\n+y\n"
 */
export function unifiedDiff(path: string, before: Buffer | null, after: Buffer | null, options: DiffOptions = {}): string {
  const maxChars = options.maxChars ?? 64 * 1024;
  const header = `--- ${before === null ? "/dev/null" : `a/${path}`}\n+++ ${after === null ? "/dev/null" : `b/${path}`}\n`;
  if ((before && before.includes(0)) || (after && after.includes(0))) return `${header}Binary files differ\n`;
  const a = splitLines(before);
  const b = splitLines(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA -= 1;
    endB -= 1;
  }
  if (start === endA && start === endB) return "";
  const from = Math.max(0, start - CONTEXT);
  const toA = Math.min(a.length, endA + CONTEXT);
  const toB = Math.min(b.length, endB + CONTEXT);
  const lines: string[] = [];
  for (let i = from; i < start; i += 1) lines.push(` ${a[i]}`);
  for (let i = start; i < endA; i += 1) lines.push(`-${a[i]}`);
  for (let i = start; i < endB; i += 1) lines.push(`+${b[i]}`);
  for (let i = endA; i < toA; i += 1) lines.push(` ${a[i]}`);
  const countA = toA - from;
  const countB = toB - from;
  const hunk = `@@ -${countA === 0 ? from : from + 1},${countA} +${countB === 0 ? from : from + 1},${countB} @@\n`;
  const text = header + hunk + lines.join("\n") + "\n";
  return text.length > maxChars ? text.slice(0, maxChars) + "\n… diff truncated\n" : text;
}

function splitLines(content: Buffer | null): string[] {
  if (content === null || content.length === 0) return [];
  const lines = content.toString("utf8").split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}
