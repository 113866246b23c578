/**
 * Estimates how large a value would be as JSON without serialising it:
 * serialising a 100k-node plan just to measure it would cost more than
 * validating it, and arbitrary input may not even be serialisable.
 */
import { isRecord } from "./plan-view";

/**
 * The most {@link approximateJsonSize} counts per character of JSON text: a
 * one-digit number in an array counts 8, plus 1 as an item, for the 2
 * characters of `1,`; everything else counts less. So a text this many
 * times shorter than a limit is within it, whatever it holds.
 */
export const MAX_ESTIMATE_PER_JSON_CHARACTER = 9;

/**
 * Approximate JSON size in characters: string lengths plus quotes, keys and
 * punctuation, numbers counted as 8. Stops counting once above `stopAbove`,
 * which also ends the walk on self-referencing objects (impossible in parsed
 * JSON, but the input is arbitrary): every visit adds to the size.
 */
export function approximateJsonSize(value: unknown, stopAbove: number): number {
  let size = 0;
  // Only objects and arrays wait on the stack; the leaves (most values) are counted as they are met.
  const pending: object[] = [];
  const count = (item: unknown) => {
    if (typeof item === "string") size += item.length + 2;
    else if (typeof item === "number") size += 8;
    else if (typeof item === "boolean" || item === null) size += 5;
    else if (Array.isArray(item) || isRecord(item)) pending.push(item);
  };
  count(value);
  while (pending.length > 0 && size <= stopAbove) {
    const current = pending.pop() as object;
    if (Array.isArray(current)) {
      size += 2 + current.length;
      for (const item of current) count(item);
    } else {
      size += 2;
      for (const key of Object.keys(current)) {
        size += key.length + 4;
        count((current as Record<string, unknown>)[key]);
      }
    }
  }
  return size;
}
