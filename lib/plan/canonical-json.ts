/**
 * Canonical JSON: object keys sorted, `undefined` left out, no whitespace —
 * the same value always gives the same text, whatever order it was built in.
 */

/** JSON values as produced by `JSON.parse` (and plan documents). */
export type JsonLike = string | number | boolean | null | undefined | readonly JsonLike[] | { readonly [key: string]: JsonLike };

/**
 * Serialises `value` canonically.
 *
 * @example
 * canonicalJson({ b: 1, a: [true, null] }); // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: JsonLike): string {
  const parts: string[] = [];
  write(value, parts);
  return parts.join("");
}

function write(value: JsonLike, parts: string[]): void {
  if (value === undefined || value === null) {
    parts.push("null");
  } else if (typeof value === "string") {
    parts.push(JSON.stringify(value));
  } else if (typeof value === "number") {
    parts.push(Number.isFinite(value) ? JSON.stringify(value) : "null");
  } else if (typeof value === "boolean") {
    parts.push(value ? "true" : "false");
  } else if (Array.isArray(value)) {
    parts.push("[");
    (value as readonly JsonLike[]).forEach((item, index) => {
      if (index > 0) parts.push(",");
      write(item, parts);
    });
    parts.push("]");
  } else {
    const record = value as { readonly [key: string]: JsonLike };
    parts.push("{");
    let first = true;
    for (const key of Object.keys(record).sort()) {
      const item = record[key];
      if (item === undefined) continue;
      if (!first) parts.push(",");
      first = false;
      parts.push(JSON.stringify(key), ":");
      write(item, parts);
    }
    parts.push("}");
  }
}
