/**
 * Rejects regular expressions that do not compile or that are known to
 * backtrack catastrophically, before a search or a readyWhen check runs them
 * over a whole workspace or a command's output.
 *
 * Two rules, both about a part repeated by an outer quantifier:
 * 1. Nested repetition: a repeated group contains a part whose repeat count
 *    varies — `(a+)+`, `(.*)*`, `(\w+\s?)+` — and nothing in the group forces
 *    a character the inner part cannot match between two repetitions. That
 *    separator rule keeps common safe patterns such as `([a-z]+\.)+` or
 *    `(,\s*\w+)*` allowed.
 * 2. Overlapping alternation: a repeated group whose alternatives can start
 *    with the same character — `(a|a)*`, `(\r\n|\r|\n)*`.
 *
 * Like other static checkers (e.g. safe-regex), the rules are conservative:
 * they may reject a pattern that would in fact run fast (`(ab|ac)*`), and the
 * message suggests an unambiguous rewrite. Patterns that are only polynomially
 * slow (`.*.*x`) are allowed.
 *
 * Parsing is iterative (an explicit stack of open groups), so deeply nested
 * patterns cannot overflow the call stack.
 */
import {
  ANY_CLASS,
  EMPTY_CHAR_SET,
  charSetsIntersect,
  classCharSet,
  isEmptyCharSet,
  literalCharSet,
  unionCharSets,
  type CharSet,
} from "./regex-char-set";

/** The verdict on one pattern; codes match `ProblemCode`. */
export type RegexCheck = { ok: true } | { ok: false; code: "invalid-regex" | "catastrophic-regex" | "pattern-too-long"; message: string };

/** Options for {@link checkRegex}. */
export interface RegexCheckOptions {
  /** Flags the runner will compile the pattern with (only `u`/`v` change parsing). */
  flags?: string;
  /** Longest pattern accepted, in characters. */
  maxLength?: number;
}

/** Outer quantifiers that repeat at least this often make nested variable repetition exponential-ish. */
const NESTED_OUTER_MIN_MAX = 3;
/** Overlapping alternatives double the work per repetition, so only long repetitions matter. */
const ALTERNATION_OUTER_MIN_MAX = 16;

/**
 * Checks that `source` compiles and cannot backtrack catastrophically.
 *
 * @example
 * checkRegex("err(or)?: \\d+"); // { ok: true }
 * checkRegex("(a+)+$");         // { ok: false, code: "catastrophic-regex", … }
 */
export function checkRegex(source: string, options: RegexCheckOptions = {}): RegexCheck {
  const flags = options.flags ?? "";
  const maxLength = options.maxLength ?? Number.POSITIVE_INFINITY;
  if (source.length > maxLength) {
    return {
      ok: false,
      code: "pattern-too-long",
      message: `The pattern is ${source.length} characters long; the limit is ${maxLength}. Shorten it or split the search`,
    };
  }
  try {
    new RegExp(source, flags);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, code: "invalid-regex", message: `Not a valid regular expression: ${reason}` };
  }
  const finding = findBacktracking(source, /[uv]/.test(flags));
  return finding === null ? { ok: true } : { ok: false, code: "catastrophic-regex", message: finding };
}

/** What the analysis knows about one term (atom, group or quantified term). */
interface Term {
  /** Can match the empty string. */
  nullable: boolean;
  /** Every character the term can consume. */
  chars: CharSet;
  /** Characters the term can start with. */
  first: CharSet;
  /** Characters of variably repeated parts inside the term that no separator guards; null if none. */
  unguarded: CharSet | null;
  /** For a group with two or more alternatives: each alternative's first characters. */
  alternativeFirsts: CharSet[] | null;
  /** Where the term starts in the source, to quote it in messages. */
  start: number;
}

interface Frame {
  alternatives: Term[][];
  current: Term[];
  lookaround: boolean;
  start: number;
}

interface Quantifier {
  min: number;
  max: number;
  end: number;
}

const ZERO_WIDTH = (start: number): Term => ({
  nullable: true,
  chars: EMPTY_CHAR_SET,
  first: EMPTY_CHAR_SET,
  unguarded: null,
  alternativeFirsts: null,
  start,
});

function atom(chars: CharSet, start: number, nullable = false): Term {
  return { nullable, chars, first: chars, unguarded: null, alternativeFirsts: null, start };
}

/** Returns a message naming the dangerous part, or null when the pattern is safe. Assumes it compiles. */
function findBacktracking(source: string, unicode: boolean): string | null {
  const stack: Frame[] = [{ alternatives: [], current: [], lookaround: false, start: 0 }];
  let finding: string | null = null;
  let i = 0;

  const top = (): Frame => stack[stack.length - 1] as Frame;
  const push = (term: Term): void => {
    const quantifier = readQuantifier(source, i, unicode);
    if (quantifier === null) {
      top().current.push(term);
      return;
    }
    const quoted = source.slice(term.start, quantifier.end);
    finding ??= checkRepetition(term, quantifier, quoted, unicode);
    top().current.push(quantify(term, quantifier));
    i = quantifier.end;
  };

  while (i < source.length && finding === null) {
    const char = source[i] as string;
    const start = i;
    if (char === "|") {
      top().alternatives.push(top().current);
      top().current = [];
      i += 1;
    } else if (char === "(") {
      let lookaround = false;
      if (source.startsWith("(?:", i)) i += 3;
      else if (source.startsWith("(?=", i) || source.startsWith("(?!", i)) [lookaround, i] = [true, i + 3];
      else if (source.startsWith("(?<=", i) || source.startsWith("(?<!", i)) [lookaround, i] = [true, i + 4];
      else if (source.startsWith("(?<", i)) {
        const close = source.indexOf(">", i);
        i = close === -1 ? i + 3 : close + 1;
      } else if (source.startsWith("(?", i)) {
        // Modifier groups such as (?i:…) in newer engines.
        const colon = source.indexOf(":", i);
        i = colon === -1 ? i + 2 : colon + 1;
      } else i += 1;
      stack.push({ alternatives: [], current: [], lookaround, start });
    } else if (char === ")") {
      i += 1;
      if (stack.length === 1) continue; // Unbalanced: cannot happen for a compiled pattern.
      const frame = stack.pop() as Frame;
      frame.alternatives.push(frame.current);
      push(frame.lookaround ? ZERO_WIDTH(frame.start) : groupTerm(frame.alternatives, frame.start, unicode));
    } else if (char === "[") {
      let end = i + 1;
      if (source[end] === "^") end += 1;
      while (end < source.length && source[end] !== "]") end += source[end] === "\\" ? 2 : 1;
      i = Math.min(end + 1, source.length);
      push(atom(classCharSet(source.slice(start, i)), start));
    } else if (char === "\\") {
      const [term, next] = readEscape(source, i, unicode);
      i = next;
      push(term);
    } else if (char === "^" || char === "$") {
      i += 1;
      push(ZERO_WIDTH(start));
    } else if (char === ".") {
      i += 1;
      push(atom(classCharSet("."), start));
    } else {
      i += 1;
      push(atom(literalCharSet(char.charCodeAt(0)), start));
    }
  }
  return finding;
}

/** Reads a quantifier at `at`, if there is one (a `{` that is not a quantifier is a literal outside `u` mode). */
function readQuantifier(source: string, at: number, unicode: boolean): Quantifier | null {
  const char = source[at];
  let quantifier: Quantifier | null = null;
  if (char === "*") quantifier = { min: 0, max: Infinity, end: at + 1 };
  else if (char === "+") quantifier = { min: 1, max: Infinity, end: at + 1 };
  else if (char === "?") quantifier = { min: 0, max: 1, end: at + 1 };
  else if (char === "{") {
    const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(at, at + 40));
    if (match) {
      const min = Number(match[1]);
      const max = match[2] === undefined ? min : match[3] === "" ? Infinity : Number(match[3]);
      quantifier = { min, max, end: at + match[0].length };
    } else if (unicode) return null;
  }
  if (quantifier !== null && source[quantifier.end] === "?") quantifier.end += 1; // lazy: same backtracking
  return quantifier;
}

const CLASS_ESCAPES = new Set(["d", "D", "w", "W", "s", "S"]);
const CONTROL_ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, f: 12, v: 11 };

/** Reads the escape at `at` (a backslash) and returns its term and the index after it. */
function readEscape(source: string, at: number, unicode: boolean): [Term, number] {
  const letter = source[at + 1];
  if (letter === undefined) return [atom(literalCharSet(92), at), at + 1];
  if (CLASS_ESCAPES.has(letter)) return [atom(classCharSet("\\" + letter), at), at + 2];
  if (letter === "b" || letter === "B") return [ZERO_WIDTH(at), at + 2];
  const control = CONTROL_ESCAPES[letter];
  if (control !== undefined) return [atom(literalCharSet(control), at), at + 2];
  if (/[1-9]/.test(letter)) {
    // A back-reference repeats unknown text: treat it as any characters, possibly none.
    const digits = /^\d+/.exec(source.slice(at + 1)) as RegExpExecArray;
    return [atom(classCharSet(ANY_CLASS), at, true), at + 1 + digits[0].length];
  }
  if (letter === "k" && source[at + 2] === "<") {
    const close = source.indexOf(">", at);
    return [atom(classCharSet(ANY_CLASS), at, true), close === -1 ? at + 2 : close + 1];
  }
  const hex =
    letter === "x" ? /^[0-9a-fA-F]{2}/.exec(source.slice(at + 2)) : letter === "u" ? /^[0-9a-fA-F]{4}/.exec(source.slice(at + 2)) : null;
  if (hex) return [atom(literalCharSet(parseInt(hex[0], 16)), at), at + 2 + hex[0].length];
  if (unicode && letter === "u" && source[at + 2] === "{") {
    const close = source.indexOf("}", at);
    const code = parseInt(source.slice(at + 3, close), 16);
    return [atom(literalCharSet(Number.isFinite(code) ? code : 0), at), close === -1 ? at + 3 : close + 1];
  }
  if (unicode && (letter === "p" || letter === "P") && source[at + 2] === "{") {
    const close = source.indexOf("}", at);
    const end = close === -1 ? at + 2 : close + 1;
    return [atom(classCharSet(source.slice(at, end)), at), end];
  }
  if (letter === "c" && /[A-Za-z]/.test(source[at + 2] ?? "")) {
    return [atom(literalCharSet((source.charCodeAt(at + 2) as number) % 32), at), at + 3];
  }
  if (letter === "0") return [atom(literalCharSet(0), at), at + 2];
  return [atom(literalCharSet(letter.charCodeAt(0)), at), at + 2];
}

/** Applies rules 1 and 2 to a term about to be repeated; returns a message or null. */
function checkRepetition(term: Term, quantifier: Quantifier, quoted: string, unicode: boolean): string | null {
  if (quantifier.max >= NESTED_OUTER_MIN_MAX && term.unguarded !== null) {
    return (
      `"${quoted}" repeats a part that itself repeats a varying number of times, so matching can take ` +
      `exponential time on some inputs (catastrophic backtracking). Repeat only once (e.g. "(a+)+" → "a+") ` +
      `or put a character the inner part cannot match between repetitions (e.g. "(\\w+\\s?)+" → "(\\w+\\s)*\\w+")`
    );
  }
  if (quantifier.max >= ALTERNATION_OUTER_MIN_MAX && term.alternativeFirsts !== null) {
    const firsts = term.alternativeFirsts;
    for (let a = 0; a < firsts.length; a++) {
      for (let b = a + 1; b < firsts.length; b++) {
        if (charSetsIntersect(firsts[a] as CharSet, firsts[b] as CharSet, unicode)) {
          return (
            `"${quoted}" repeats alternatives that can start with the same character, so matching can take ` +
            `exponential time on some inputs (catastrophic backtracking). Make the alternatives start ` +
            `differently (e.g. "(a|ab)*" → "(ab?)*", "(\\r\\n|\\r|\\n)*" → "(\\r\\n?|\\n)*")`
          );
        }
      }
    }
  }
  return null;
}

function quantify(term: Term, quantifier: Quantifier): Term {
  const variable = quantifier.max > quantifier.min && quantifier.max > 1;
  return {
    nullable: term.nullable || quantifier.min === 0,
    chars: term.chars,
    first: term.first,
    // A variably repeated part is itself the danger an outer repetition would multiply.
    unguarded: variable && !isEmptyCharSet(term.chars) ? term.chars : term.unguarded,
    alternativeFirsts: null,
    start: term.start,
  };
}

function sequenceTerm(terms: readonly Term[], start: number, unicode: boolean): Term {
  const first: CharSet[] = [];
  for (const term of terms) {
    first.push(term.first);
    if (!term.nullable) break;
  }
  const unguarded: CharSet[] = [];
  terms.forEach((term, index) => {
    if (term.unguarded === null) return;
    const risky = term.unguarded;
    // A sibling that must consume a character the repeated part cannot match separates repetitions.
    const guarded = terms.some(
      (other, otherIndex) =>
        otherIndex !== index && !other.nullable && !isEmptyCharSet(other.chars) && !charSetsIntersect(other.chars, risky, unicode),
    );
    if (!guarded) unguarded.push(risky);
  });
  return {
    nullable: terms.every((term) => term.nullable),
    chars: unionCharSets(terms.map((term) => term.chars)),
    first: unionCharSets(first),
    unguarded: unguarded.length === 0 ? null : unionCharSets(unguarded),
    alternativeFirsts: null,
    start,
  };
}

function groupTerm(alternatives: readonly Term[][], start: number, unicode: boolean): Term {
  const sequences = alternatives.map((terms) => sequenceTerm(terms, start, unicode));
  const unguarded = sequences.flatMap((sequence) => (sequence.unguarded === null ? [] : [sequence.unguarded]));
  return {
    nullable: sequences.some((sequence) => sequence.nullable),
    chars: unionCharSets(sequences.map((sequence) => sequence.chars)),
    first: unionCharSets(sequences.map((sequence) => sequence.first)),
    unguarded: unguarded.length === 0 ? null : unionCharSets(unguarded),
    alternativeFirsts: sequences.length >= 2 ? sequences.map((sequence) => sequence.first) : null,
    start,
  };
}
