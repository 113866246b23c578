/**
 * Estimates how large a value would be as JSON without serialising it:
 * serialising a 100k-node plan just to measure it would cost more than
 * validating it, and arbitrary input may not even be serialisable.
 */
import { isRecord } from "./plan-view";

/**
 * Approximate JSON size in characters: string lengths plus quotes, keys and
 * punctuation, numbers counted as 8. Stops counting once above `stopAbove`,
 * and counts an object met twice (not possible in parsed JSON) only once.
 */
export function approximateJsonSize(value: unknown, stopAbove = Number.POSITIVE_INFINITY): number {
  let size = 0;
  const pending: unknown[] = [value];
  const seen = new Set<object>();
  while (pending.length > 0 && size <= stopAbove) {
    const current = pending.pop();
    if (typeof current === "string") size += current.length + 2;
    else if (typeof current === "number") size += 8;
    else if (typeof current === "boolean" || current === null) size += 5;
    else if (Array.isArray(current)) {
      if (seen.has(current)) continue;
      seen.add(current);
      size += 2 + current.length;
      for (const item of current) pending.push(item);
    } else if (isRecord(current)) {
      if (seen.has(current)) continue;
      seen.add(current);
      size += 2;
      for (const key of Object.keys(current)) {
        size += key.length + 4;
        pending.push(current[key]);
      }
    }
  }
  return size;
}
