/**
 * Size limits a plan must stay within. They protect the server and the editor
 * (every plan is validated and optimized on each edit), not the workspace.
 */

/** Limits checked by `validatePlan`; pass a partial override to tighten or relax them. */
export interface PlanLimits {
  /** Most nodes in one plan. The optimizer is benchmarked up to this size. */
  maxNodes: number;
  /** Most edges in one plan. */
  maxEdges: number;
  /** Largest `file.write` content, in UTF-8 bytes. */
  maxContentBytes: number;
  /** Largest whole plan, as its approximate size as JSON in characters (see `approximateJsonSize`). */
  maxPlanSize: number;
  /** Longest regular expression (search pattern or readyWhen.output), in characters. */
  maxRegexLength: number;
}

/** The limits used when none are given. */
export const DEFAULT_PLAN_LIMITS: Readonly<PlanLimits> = Object.freeze({
  maxNodes: 100_000,
  maxEdges: 500_000,
  maxContentBytes: 5 * 1024 * 1024,
  maxPlanSize: 64 * 1024 * 1024,
  maxRegexLength: 2_000,
});

/**
 * UTF-8 length of a string without encoding it (TextEncoder would allocate a
 * copy of every file's content just to measure it).
 */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
