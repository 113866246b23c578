/**
 * Approximate sets of characters a part of a regular expression can match,
 * for the backtracking check in regex-safety.ts. Approximate on purpose: when
 * unsure, two sets are said to overlap, which makes the check stricter, never
 * laxer.
 */

/** Characters as literal code units plus regex class sources (`\d`, `.`, `[a-z]`). */
export interface CharSet {
  readonly literals: ReadonlySet<number>;
  /** Class sources; {@link ANY_CLASS} stands for every character (back-references). */
  readonly classes: readonly string[];
}

/** Stands for "any character at all", used where the matched text is unknown. */
export const ANY_CLASS = "<any>";

/** Matches nothing (zero-width parts such as anchors). */
export const EMPTY_CHAR_SET: CharSet = { literals: new Set(), classes: [] };

/** One character, by UTF-16 code unit. */
export function literalCharSet(code: number): CharSet {
  return { literals: new Set([code]), classes: [] };
}

/** The characters a regex class (`\d`, `.`, `[a-z]`) matches. */
export function classCharSet(source: string): CharSet {
  return { literals: new Set(), classes: [source] };
}

/** True for a set that matches nothing. */
export function isEmptyCharSet(set: CharSet): boolean {
  return set.literals.size === 0 && set.classes.length === 0;
}

/** The union of several sets, built once rather than pairwise to stay linear in pattern length. */
export function unionCharSets(sets: readonly CharSet[]): CharSet {
  const nonEmpty = sets.filter((set) => !isEmptyCharSet(set));
  if (nonEmpty.length === 0) return EMPTY_CHAR_SET;
  if (nonEmpty.length === 1) return nonEmpty[0] as CharSet;
  const literals = new Set<number>();
  const classes = new Set<string>();
  for (const set of nonEmpty) {
    for (const code of set.literals) literals.add(code);
    for (const source of set.classes) classes.add(source);
  }
  return { literals, classes: [...classes] };
}

/** Characters 0–0x2FF cover ASCII, Latin and the common symbols that patterns use. */
const SAMPLE_SIZE = 0x300;
const testers = new Map<string, RegExp | null>();
const samples = new Map<string, Int32Array | null>();

/** Caches live as long as the server; a cap keeps user-written patterns from growing them forever. */
const CACHE_LIMIT = 2_000;

function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
}

function testerFor(source: string, unicode: boolean): RegExp | null {
  const key = (unicode ? "u" : "-") + source;
  if (testers.has(key)) return testers.get(key) ?? null;
  let tester: RegExp | null = null;
  if (source !== ANY_CLASS) {
    try {
      tester = new RegExp("^(?:" + source + ")$", unicode ? "u" : "");
    } catch {
      tester = null;
    }
  }
  remember(testers, key, tester);
  return tester;
}

/** Which sample characters the class matches, as a bitmask; null means "treat as everything". */
function sampleOf(source: string, unicode: boolean): Int32Array | null {
  const key = (unicode ? "u" : "-") + source;
  if (samples.has(key)) return samples.get(key) ?? null;
  const tester = testerFor(source, unicode);
  let mask: Int32Array | null = null;
  if (tester) {
    mask = new Int32Array(SAMPLE_SIZE / 32);
    for (let code = 0; code < SAMPLE_SIZE; code++) {
      if (tester.test(String.fromCharCode(code))) mask[code >>> 5]! |= 1 << (code & 31);
    }
  }
  remember(samples, key, mask);
  return mask;
}

function classHasLiteral(source: string, code: number, unicode: boolean): boolean {
  const tester = testerFor(source, unicode);
  return tester === null || tester.test(String.fromCharCode(code));
}

/**
 * Whether some character may be in both sets. Class against class is decided
 * on a sample of characters; classes that cannot be compiled count as "everything".
 */
export function charSetsIntersect(a: CharSet, b: CharSet, unicode = false): boolean {
  if (isEmptyCharSet(a) || isEmptyCharSet(b)) return false;
  const [small, large] = a.literals.size <= b.literals.size ? [a, b] : [b, a];
  for (const code of small.literals) if (large.literals.has(code)) return true;
  for (const code of a.literals) for (const source of b.classes) if (classHasLiteral(source, code, unicode)) return true;
  for (const code of b.literals) for (const source of a.classes) if (classHasLiteral(source, code, unicode)) return true;
  for (const left of a.classes) {
    const leftMask = sampleOf(left, unicode);
    for (const right of b.classes) {
      const rightMask = sampleOf(right, unicode);
      if (leftMask === null || rightMask === null) return true;
      for (let word = 0; word < leftMask.length; word++) {
        if (((leftMask[word] as number) & (rightMask[word] as number)) !== 0) return true;
      }
    }
  }
  return false;
}
