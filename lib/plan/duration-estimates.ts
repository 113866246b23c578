/**
 * How long each operation type is expected to take, for the critical path.
 * Defaults are rough orders of magnitude; callers pass better numbers learned
 * from earlier runs (per type, or per node).
 */
import type { OperationType } from "./schema";

/** Milliseconds per operation type when nothing better is known. */
export const DEFAULT_DURATION_ESTIMATES: Readonly<Record<OperationType, number>> = Object.freeze({
  "file.write": 10,
  "file.edit": 10,
  "file.delete": 5,
  "file.move": 5,
  "file.read": 10,
  search: 200,
  // Commands vary most; a background command counts until it is ready.
  shell: 2_000,
});

/** Estimates that refine the defaults. */
export interface DurationEstimates {
  /** Per operation type, e.g. the median of past runs. */
  byType?: Partial<Record<OperationType, number>>;
  /** Per node id, e.g. the node's own last duration; wins over `byType`. */
  byNode?: Readonly<Record<string, number>>;
}

/** The estimate for one node, never negative or NaN. */
export function estimateDuration(nodeId: string, type: OperationType, estimates: DurationEstimates = {}): number {
  const own = estimates.byNode?.[nodeId];
  const value = own ?? estimates.byType?.[type] ?? DEFAULT_DURATION_ESTIMATES[type];
  return Number.isFinite(value) && value > 0 ? value : 0;
}
