/**
 * "Which of these target nodes does each node reach (or get reached from)?"
 * answered with bitsets over a topological order, in chunks of targets so
 * memory stays bounded.
 *
 * Cost: O((V + E) × T / 32) word operations for T targets, and at most
 * `maxRowWords` 32-bit words of memory. Callers decide beforehand whether a
 * plan is small enough (see {@link reachabilityCost}).
 *
 * Bitsets are Int32Arrays, not Uint32Arrays: reading a Uint32 above 2^31
 * gives a number outside V8's small-integer range and pushes the hot loops
 * off their fast integer path.
 */
import type { GraphIndex } from "./graph-index";

/** One chunk of targets and, for every node, which of them it reaches (or is reached from). */
export interface ReachabilityChunk {
  /** Words per row. */
  words: number;
  /** Row of node `n` is `rows[n * words .. (n + 1) * words)`; bit `b` stands for `targets[firstTarget + b]`. */
  rows: Int32Array;
  /** Index into `targets` of this chunk's bit 0. */
  firstTarget: number;
  /** Node number → bit in this chunk, or -1 when the node is not a target of this chunk. */
  bitOf: Int32Array;
  /** Only rows of nodes with a position in this range are current; the others are stale. */
  minPosition: number;
  maxPosition: number;
  position: Int32Array;
}

/**
 * A reusable bitset buffer: the optimizer runs several passes over one plan,
 * and giving each its own megabytes to allocate, zero and collect costs more
 * than some of the passes themselves.
 */
export class BitsetScratch {
  private buffer = new Int32Array(0);

  /** A buffer of at least `words` words; its contents are left over from earlier use. */
  take(words: number): Int32Array {
    if (this.buffer.length < words) this.buffer = new Int32Array(words);
    return this.buffer;
  }
}

/** What {@link computeReachability} works on. */
export interface ReachabilityInput {
  graph: GraphIndex;
  /** Scheduled nodes in topological order. */
  order: Int32Array;
  /** Node → index in `order`, -1 if unscheduled; successor slots must be sorted by it. */
  position: Int32Array;
  /** Target nodes, sorted by position. */
  targets: Int32Array;
  /**
   * `descendants`: a row holds the targets the node reaches (itself included).
   * `ancestors`: a row holds the targets that reach the node (itself included).
   */
  direction?: "descendants" | "ancestors";
  /** Per edge index: nonzero when reachability flows along the edge (all edges when absent). */
  follows?: Uint8Array;
  /** Memory bound for the rows of one chunk, in 32-bit words. */
  maxRowWords: number;
  /** Where to keep the rows; a fresh buffer when absent. Rows need no zeroing: each pass clears the rows it fills. */
  scratch?: BitsetScratch;
  /**
   * `descendants` only: called for each successor slot of `node` (in order of
   * position, before that successor's row is merged into `node`'s): the row
   * then holds what `node` reaches through its earlier successors only.
   */
  beforeMerge?: (node: number, slot: number, chunk: ReachabilityChunk) => void;
  /** Called once a chunk's rows are complete. */
  onChunk?: (chunk: ReachabilityChunk) => void;
}

/** Word operations {@link computeReachability} will roughly take. */
export function reachabilityCost(nodeCount: number, edgeCount: number, targetCount: number): number {
  return (nodeCount + edgeCount) * Math.ceil(targetCount / 32);
}

/**
 * Rows of all nodes for one chunk should fit in a core's cache: measured on
 * 10k-node plans, 1 MB of rows ran about twice as fast as 16 MB, although
 * smaller rows mean more chunks, each walking the whole graph.
 */
const CACHE_FRIENDLY_WORDS = 256 * 1024;
/** Below this many words per row, walking the graph once per chunk costs more than the cache saves. */
const MIN_CHUNK_WORDS = 8;

/** Words per row {@link computeReachability} will use. */
export function reachabilityWords(nodeCount: number, targetCount: number, maxRowWords: number): number {
  const nodes = Math.max(1, nodeCount);
  const preferred = Math.max(MIN_CHUNK_WORDS, Math.floor(CACHE_FRIENDLY_WORDS / nodes));
  return Math.max(1, Math.min(Math.ceil(targetCount / 32), preferred, Math.floor(maxRowWords / nodes)));
}

/**
 * Whether the row of `node` holds target `target` (false when `target` is not
 * in the chunk or `node`'s row is stale).
 */
export function chunkHas(chunk: ReachabilityChunk, node: number, target: number): boolean {
  const bit = chunk.bitOf[target] as number;
  const at = chunk.position[node] as number;
  if (bit < 0 || at < chunk.minPosition || at > chunk.maxPosition) return false;
  return (((chunk.rows[node * chunk.words + (bit >>> 5)] as number) >>> (bit & 31)) & 1) === 1;
}

/** Runs the chunked bitset pass; results are handed to the callbacks. */
export function computeReachability(input: ReachabilityInput): void {
  const { graph, order, position, targets } = input;
  const { nodeCount } = graph;
  if (targets.length === 0 || nodeCount === 0) return;
  const words = reachabilityWords(nodeCount, targets.length, input.maxRowWords);
  const perChunk = words * 32;
  const rows = input.scratch?.take(nodeCount * words) ?? new Int32Array(nodeCount * words);
  const bitOf = new Int32Array(nodeCount).fill(-1);
  const descendants = (input.direction ?? "descendants") === "descendants";
  // targetsBefore[p]: how many targets sit before position p. A node reaches
  // only targets at or after it (and is reached only from targets at or
  // before it), so rows are zero outside a range these counts give; merging
  // only that range halves the work.
  const targetsBefore = new Int32Array(order.length + 1);
  for (let at = 0, next = 0; at <= order.length; at++) {
    while (next < targets.length && (position[targets[next] as number] as number) < at) next += 1;
    targetsBefore[at] = next;
  }

  for (let first = 0; first < targets.length; first += perChunk) {
    const last = Math.min(targets.length, first + perChunk);
    for (let at = first; at < last; at++) bitOf[targets[at] as number] = at - first;
    const firstPosition = position[targets[first] as number] as number;
    const lastPosition = position[targets[last - 1] as number] as number;
    const chunk: ReachabilityChunk = descendants
      ? { words, rows, firstTarget: first, bitOf, minPosition: 0, maxPosition: lastPosition, position }
      : { words, rows, firstTarget: first, bitOf, minPosition: firstPosition, maxPosition: order.length - 1, position };
    if (descendants) fillDescendantRows(input, chunk, targetsBefore);
    else fillAncestorRows(input, chunk, targetsBefore);
    input.onChunk?.(chunk);
    for (let at = first; at < last; at++) bitOf[targets[at] as number] = -1;
  }
}

/** Reverse topological order: every successor's row is final before it is merged. */
function fillDescendantRows(input: ReachabilityInput, chunk: ReachabilityChunk, targetsBefore: Int32Array): void {
  const { order, position, follows, beforeMerge } = input;
  const { successorStart, successors, successorEdges } = input.graph;
  const { words, rows, bitOf, maxPosition, firstTarget } = chunk;
  for (let index = maxPosition; index >= 0; index--) {
    const node = order[index] as number;
    const base = node * words;
    rows.fill(0, base, base + words);
    const end = successorStart[node + 1] as number;
    for (let slot = successorStart[node] as number; slot < end; slot++) {
      const next = successors[slot] as number;
      const nextPosition = position[next] as number;
      // Sorted by position: later successors cannot reach any target of this chunk.
      if (nextPosition > maxPosition || nextPosition < 0) break;
      beforeMerge?.(node, slot, chunk);
      if (follows !== undefined && follows[successorEdges[slot] as number] === 0) continue;
      const nextBase = next * words;
      // Words before the successor's own position hold no targets it can reach.
      const low = Math.max(0, ((targetsBefore[nextPosition] as number) - firstTarget) >> 5);
      for (let word = low; word < words; word++) rows[base + word]! |= rows[nextBase + word] as number;
    }
    const bit = bitOf[node] as number;
    if (bit >= 0) rows[base + (bit >>> 5)]! |= 1 << (bit & 31);
  }
}

/** Topological order from the chunk's first target: nodes before it cannot be reached from a target. */
function fillAncestorRows(input: ReachabilityInput, chunk: ReachabilityChunk, targetsBefore: Int32Array): void {
  const { order, position, follows } = input;
  const { predecessorStart, predecessors, predecessorEdges } = input.graph;
  const { words, rows, bitOf, minPosition, firstTarget } = chunk;
  for (let index = minPosition; index < order.length; index++) {
    const node = order[index] as number;
    const base = node * words;
    rows.fill(0, base, base + words);
    const end = predecessorStart[node + 1] as number;
    for (let slot = predecessorStart[node] as number; slot < end; slot++) {
      const before = predecessors[slot] as number;
      const beforePosition = position[before] as number;
      if (beforePosition < minPosition) continue;
      if (follows !== undefined && follows[predecessorEdges[slot] as number] === 0) continue;
      const beforeBase = before * words;
      // Words after the predecessor's own position hold no targets that reach it.
      const high = Math.min(words - 1, ((targetsBefore[beforePosition + 1] as number) - 1 - firstTarget) >> 5);
      for (let word = 0; word <= high; word++) rows[base + word]! |= rows[beforeBase + word] as number;
    }
    const bit = bitOf[node] as number;
    if (bit >= 0) rows[base + (bit >>> 5)]! |= 1 << (bit & 31);
  }
}
