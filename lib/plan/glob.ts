/**
 * A small glob matcher for the optimizer's read/write hazard checks: enough to
 * tell whether a search or read glob covers a file another node writes.
 * Supports `**`, `*`, `?`, `[...]` and `{a,b}`; paths use `/`.
 */

/**
 * Compiles a glob to an anchored regular expression, or null when the glob is
 * malformed (an unclosed `[` or `{`).
 *
 * @example
 * globToRegExp("src/**\/*.ts")?.test("src/a/b.ts"); // true
 */
export function globToRegExp(glob: string): RegExp | null {
  let source = "";
  let braceDepth = 0;
  let i = 0;
  const pattern = glob.replace(/\\/g, "/").replace(/^(\.\/)+/, "");
  while (i < pattern.length) {
    const char = pattern[i] as string;
    if (char === "*") {
      if (pattern[i + 1] === "*") {
        // `**/` may match zero directories, so `src/**/a` matches `src/a`.
        if (pattern[i + 2] === "/") {
          source += "(?:.*/)?";
          i += 3;
        } else {
          source += ".*";
          i += 2;
        }
      } else {
        source += "[^/]*";
        i += 1;
      }
    } else if (char === "?") {
      source += "[^/]";
      i += 1;
    } else if (char === "[") {
      const end = pattern.indexOf("]", i + 2);
      if (end === -1) return null;
      let body = pattern.slice(i + 1, end);
      if (body.startsWith("!")) body = "^" + body.slice(1);
      source += "[" + body.replace(/\\/g, "\\\\") + "]";
      i = end + 1;
    } else if (char === "{") {
      braceDepth += 1;
      source += "(?:";
      i += 1;
    } else if (char === "}" && braceDepth > 0) {
      braceDepth -= 1;
      source += ")";
      i += 1;
    } else if (char === "," && braceDepth > 0) {
      source += "|";
      i += 1;
    } else {
      source += char.replace(/[.+^$()|{}\\[\]]/g, "\\$&");
      i += 1;
    }
  }
  if (braceDepth !== 0) return null;
  try {
    return new RegExp("^" + source + "$");
  } catch {
    return null;
  }
}

const compiled = new Map<string, RegExp | null>();

/**
 * {@link globToRegExp}, remembered: plans reuse a handful of globs across
 * thousands of nodes. The cache is capped so user input cannot grow it forever.
 */
export function cachedGlobToRegExp(glob: string): RegExp | null {
  let matcher = compiled.get(glob);
  if (matcher === undefined) {
    matcher = globToRegExp(glob);
    if (compiled.size >= 10_000) compiled.clear();
    compiled.set(glob, matcher);
  }
  return matcher;
}
