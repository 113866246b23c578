/**
 * Necessary literals of a regular expression: a few strings, one of which
 * every match contains. A search hands them to ripgrep, whose multi-literal
 * scan finds the candidate lines in one pass; each candidate is then matched
 * with the real expression. The analysis is conservative: whatever it does
 * not understand (classes, escapes of letters, backreferences) only breaks a
 * literal, never extends one, so no matching line is ever missed.
 *
 * JavaScript syntax without the `u` flag, as searches compile it.
 */

/** Products of alternatives beyond this many strings are not kept. */
const MAX_ALTERNATIVES = 16;

/** What is known about a piece of a pattern. */
interface Known {
  /** Every string the piece can match (null: not a small finite set). */
  exact: string[] | null;
  /** Strings one of which every match of the piece contains (null: none known). */
  necessary: string[] | null;
}

const NOTHING: Known = { exact: null, necessary: null };
/** An assertion: it matches no text, so it neither breaks nor extends a literal. */
const ZERO_WIDTH: Known = { exact: [""], necessary: null };

/**
 * Strings one of which every match of `source` contains, or null when none
 * is known.
 *
 * @example
 * necessaryLiterals("buffer\\.(cache|index)\\.value"); // ["buffer.cache.value", "buffer.index.value"]
 * necessaryLiterals("\\d+"); // null
 */
export function necessaryLiterals(source: string): string[] | null {
  const parser = new LiteralParser(source);
  const known = parser.alternation();
  if (parser.at < source.length) return null;
  const found = known.necessary ?? known.exact;
  return found && found.every((literal) => literal.length > 0) ? found : null;
}

/** The shortest string of a set: how selective it is. */
function shortest(strings: readonly string[]): number {
  return Math.min(...strings.map((string) => string.length));
}

function product(left: readonly string[], right: readonly string[]): string[] | null {
  if (left.length * right.length > MAX_ALTERNATIVES) return null;
  return left.flatMap((a) => right.map((b) => a + b));
}

function union(sets: ReadonlyArray<string[] | null>): string[] | null {
  const all = new Set<string>();
  for (const set of sets) {
    if (set === null) return null;
    for (const item of set) all.add(item);
  }
  return all.size <= MAX_ALTERNATIVES ? [...all] : null;
}

class LiteralParser {
  at = 0;

  constructor(private readonly source: string) {}

  alternation(): Known {
    const branches = [this.sequence()];
    while (this.source[this.at] === "|") {
      this.at += 1;
      branches.push(this.sequence());
    }
    return {
      exact: union(branches.map((branch) => branch.exact)),
      necessary: union(branches.map((branch) => branch.necessary ?? branch.exact)),
    };
  }

  private sequence(): Known {
    const candidates: string[][] = [];
    let current: string[] = [""];
    let exact = true;
    const keep = (literals: string[]) => {
      if (literals.every((literal) => literal.length > 0)) candidates.push(literals);
    };
    const close = () => {
      keep(current);
      current = [""];
    };
    while (this.at < this.source.length && this.source[this.at] !== "|" && this.source[this.at] !== ")") {
      const atom = this.atom();
      const { min, max } = this.quantifier();
      if (atom === ZERO_WIDTH) continue;
      if (min === 0) {
        close();
        exact = false;
      } else if (atom.exact) {
        // The first `min` copies follow each other: `(ab){2}` is "abab".
        for (let copy = 0; copy < Math.min(min, 8); copy += 1) {
          const joined = product(current, atom.exact);
          if (joined) current = joined;
          else {
            close();
            exact = false;
            current = atom.exact;
          }
        }
        if (min > 8) exact = false;
        if (max !== min) {
          // More copies may follow: one literal ends with the first copies, the next starts with the last copy.
          close();
          exact = false;
          current = atom.exact;
        }
      } else {
        close();
        exact = false;
        if (atom.necessary) keep(atom.necessary);
      }
    }
    const exactSet = exact ? current : null;
    close();
    const best = candidates.reduce<string[] | null>((chosen, candidate) => {
      if (chosen === null) return candidate;
      const [a, b] = [shortest(candidate), shortest(chosen)];
      return a > b || (a === b && candidate.length < chosen.length) ? candidate : chosen;
    }, null);
    return { exact: exactSet, necessary: best };
  }

  private quantifier(): { min: number; max: number } {
    const char = this.source[this.at];
    let bounds: { min: number; max: number } | null = null;
    if (char === "*") bounds = { min: 0, max: Infinity };
    else if (char === "+") bounds = { min: 1, max: Infinity };
    else if (char === "?") bounds = { min: 0, max: 1 };
    if (bounds) this.at += 1;
    else if (char === "{") {
      const braces = /^\{(\d+)(,(\d*))?\}/.exec(this.source.slice(this.at));
      if (!braces) return { min: 1, max: 1 };
      const min = Number(braces[1]);
      bounds = { min, max: braces[2] === undefined ? min : braces[3] ? Number(braces[3]) : Infinity };
      this.at += braces[0].length;
    } else return { min: 1, max: 1 };
    if (this.source[this.at] === "?") this.at += 1; // lazy
    return bounds;
  }

  private atom(): Known {
    const source = this.source;
    const char = source[this.at] as string;
    this.at += 1;
    if (char === "^" || char === "$") return ZERO_WIDTH;
    if (char === "(") return this.group();
    if (char === "[") {
      while (this.at < source.length && source[this.at] !== "]") this.at += source[this.at] === "\\" ? 2 : 1;
      this.at += 1;
      return NOTHING;
    }
    if (char === "\\") {
      const next = source[this.at] ?? "";
      this.at += 1;
      if (next === "b" || next === "B") return ZERO_WIDTH;
      if (next === "k" && source[this.at] === "<") this.at = source.indexOf(">", this.at) + 1 || source.length;
      // Punctuation escapes itself; letters and digits are classes, controls or references.
      return /^[^A-Za-z0-9_]$/.test(next) && next !== "\n" ? { exact: [next], necessary: null } : NOTHING;
    }
    if (/[.*+?{}\]|)]/.test(char) || char === "\n") return NOTHING;
    return { exact: [char], necessary: null };
  }

  private group(): Known {
    const source = this.source;
    let lookaround = false;
    if (source[this.at] === "?") {
      const kind = source.slice(this.at, this.at + 3);
      if (kind.startsWith("?:")) this.at += 2;
      else if (kind.startsWith("?=") || kind.startsWith("?!")) {
        this.at += 2;
        lookaround = true;
      } else if (kind === "?<=" || kind === "?<!") {
        this.at += 3;
        lookaround = true;
      } else if (kind.startsWith("?<")) this.at = source.indexOf(">", this.at) + 1 || source.length;
    }
    const inner = this.alternation();
    if (source[this.at] === ")") this.at += 1;
    return lookaround ? ZERO_WIDTH : inner;
  }
}
