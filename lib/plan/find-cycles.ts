/**
 * Finds cycles with an iterative depth-first search (a recursive one would
 * overflow the stack on a 100k-node chain).
 */
import type { GraphIndex } from "./graph-index";

/** The cycles found and whether more exist than were listed. */
export interface CycleReport {
  /** Each cycle as node numbers in order: `[a, b, c]` means a → b → c → a. */
  cycles: number[][];
  /** Edge index closing each cycle (the edge from the last node back to the first). */
  closingEdges: number[];
  /** True when `maxCycles` stopped the search while cycles remained. */
  truncated: boolean;
}

const WHITE = 0;
const ON_STACK = 1;
const DONE = 2;

/**
 * Lists node-disjoint cycles, every one a real cycle of the graph, at least
 * one per group of nodes that wait for each other; nodes already reported in
 * a cycle are not reported again. Runs in O(V + E).
 */
export function findCycles(graph: GraphIndex, maxCycles = 100): CycleReport {
  const { nodeCount, successorStart, successors, successorEdges } = graph;
  const state = new Uint8Array(nodeCount);
  const inReportedCycle = new Uint8Array(nodeCount);
  const stackNodes = new Int32Array(nodeCount);
  const stackCursor = new Int32Array(nodeCount);
  const positionOnStack = new Int32Array(nodeCount);
  const cycles: number[][] = [];
  const closingEdges: number[] = [];
  let truncated = false;

  for (let root = 0; root < nodeCount; root++) {
    if (state[root] !== WHITE) continue;
    let depth = 0;
    stackNodes[0] = root;
    stackCursor[0] = successorStart[root] as number;
    positionOnStack[root] = 0;
    state[root] = ON_STACK;
    while (depth >= 0) {
      const node = stackNodes[depth] as number;
      const cursor = stackCursor[depth] as number;
      if (cursor === successorStart[node + 1]) {
        state[node] = DONE;
        depth -= 1;
        continue;
      }
      stackCursor[depth] = cursor + 1;
      const next = successors[cursor] as number;
      if (state[next] === WHITE) {
        depth += 1;
        stackNodes[depth] = next;
        stackCursor[depth] = successorStart[next] as number;
        positionOnStack[next] = depth;
        state[next] = ON_STACK;
      } else if (state[next] === ON_STACK) {
        // A back edge: the stack from `next` up to `node` plus this edge is a cycle.
        const from = positionOnStack[next] as number;
        let fresh = true;
        for (let at = from; at <= depth && fresh; at++) if (inReportedCycle[stackNodes[at] as number]) fresh = false;
        if (!fresh) continue;
        if (cycles.length === maxCycles) {
          truncated = true;
          continue;
        }
        const cycle = Array.from(stackNodes.subarray(from, depth + 1));
        for (const member of cycle) inReportedCycle[member] = 1;
        cycles.push(cycle);
        closingEdges.push(successorEdges[cursor] as number);
      }
    }
  }
  return { cycles, closingEdges, truncated };
}
