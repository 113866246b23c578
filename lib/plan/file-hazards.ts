/**
 * File hazards: nodes whose effect on a file depends on timing because no
 * path orders them.
 *
 * - unordered-writes: two nodes change the same file (write, edit, delete,
 *   either side of a move). Writers of one file are sorted topologically and
 *   each neighbouring pair is checked: if all neighbours are ordered, all
 *   writers are (ordering is transitive), and the suggested edges, which all
 *   point forward in topological order, order every writer without creating
 *   a cycle even when all are applied.
 * - read-write-race: a read (paths or glob) or a search (glob) covers a file
 *   that a node it is not ordered with changes. Reported once per reader and
 *   writer.
 *
 * Shell commands can touch any file, but what they touch is unknown, so they
 * are left out rather than guessed at.
 *
 * Ordering is decided with bitsets over the writers (see reachability.ts):
 * one pass for what each node reaches, one for what reaches it, so a reader
 * covering thousands of files costs a few word operations per writer rather
 * than a query each.
 */
import { changedPaths } from "./changed-paths";
import type { PlanNode } from "./schema";
import type { Hazard } from "./execution-plan";
import type { PlanGraph } from "./plan-graph";
import { BitsetScratch, computeReachability, chunkHas, reachabilityCost, type ReachabilityChunk } from "./reachability";
import { cachedGlobToRegExp } from "./glob";
import { unlistedHazardsNote } from "./hazard-notes";
import { normalizeWorkspacePath } from "./workspace-path";

/** Bounds that keep hazard detection fast on very large plans. */
export interface FileHazardBounds {
  /** Skip when the bitset passes would exceed this many word operations. */
  maxReachabilityCost: number;
  /** Skip glob coverage when distinct globs × distinct written files exceeds this. */
  maxGlobChecks: number;
  /** Most 32-bit words of bitset memory per structure. */
  maxRowWords: number;
  /** Hazards of one code beyond this many are counted in a note, not listed. */
  maxHazardsPerCode: number;
}

interface Reader {
  node: number;
  paths: string[];
  globs: string[];
}

/** Finds unordered writers and read/write races; returns hazards and notes. */
export function findFileHazards(
  planGraph: PlanGraph,
  bounds: FileHazardBounds,
  scratch = new BitsetScratch(),
): { hazards: Hazard[]; notes: string[] } {
  const { nodes, order, edges, graph } = planGraph;
  const notes: string[] = [];
  const writersByPath = new Map<string, number[]>();
  const readers: Reader[] = [];
  // Writers become bitset columns, numbered in topological order.
  const columnOf = new Int32Array(nodes.length).fill(-1);
  const columns: number[] = [];

  for (const node of order) {
    const current = nodes[node] as PlanNode;
    for (const path of changedPaths(current)) {
      if (columnOf[node] === -1) {
        columnOf[node] = columns.length;
        columns.push(node);
      }
      const writers = writersByPath.get(path);
      if (writers === undefined) writersByPath.set(path, [node]);
      else if (writers[writers.length - 1] !== node) writers.push(node); // a move onto itself counts once
    }
    if (current.type === "file.read") {
      const paths = current.params.paths.flatMap((path) => normalizeWorkspacePath(path) ?? []);
      readers.push({ node, paths, globs: current.params.glob === undefined ? [] : [current.params.glob] });
    } else if (current.type === "search") readers.push({ node, paths: [], globs: [current.params.glob] });
  }
  if (columns.length === 0) return { hazards: [], notes };

  // Neighbouring writers of each file; `order` was walked topologically, so they are sorted.
  const pairEarlier: number[] = [];
  const pairLater: number[] = [];
  const pairPath: string[] = [];
  for (const [path, writers] of writersByPath) {
    for (let at = 1; at < writers.length; at++) {
      pairEarlier.push(writers[at - 1] as number);
      pairLater.push(writers[at] as number);
      pairPath.push(path);
    }
  }

  const totalWords = Math.ceil(columns.length / 32);
  const covered = readerCoverage(readers, writersByPath, columnOf, totalWords, bounds, notes);
  if (pairEarlier.length === 0 && covered === null) return { hazards: [], notes };

  if (2 * reachabilityCost(graph.nodeCount, edges.length, columns.length) > bounds.maxReachabilityCost) {
    notes.push(`File hazards were not checked: the plan is too large for the ordering check (${columns.length} nodes change files).`);
    return { hazards: [], notes };
  }

  const pairOrdered = new Uint8Array(pairEarlier.length);
  // Per reader: the writers it is ordered with, as bits over the columns.
  const orderedWith = covered === null ? null : new Int32Array(readers.length * totalWords);
  const targets = Int32Array.from(columns);
  const mergeReaderRows = (chunk: ReachabilityChunk) => {
    if (orderedWith === null) return;
    const offset = chunk.firstTarget >>> 5;
    readers.forEach((reader, index) => {
      const at = chunk.position[reader.node] as number;
      if (at < chunk.minPosition || at > chunk.maxPosition) return; // reaches no target of this chunk
      const row = reader.node * chunk.words;
      const base = index * totalWords + offset;
      for (let word = 0; word < chunk.words && offset + word < totalWords; word++) {
        orderedWith[base + word]! |= chunk.rows[row + word] as number;
      }
    });
  };
  const common = { graph, order, position: planGraph.position, targets, maxRowWords: bounds.maxRowWords, scratch };
  computeReachability({
    ...common,
    direction: "descendants",
    onChunk: (chunk) => {
      for (let pair = 0; pair < pairEarlier.length; pair++) {
        if (chunkHas(chunk, pairEarlier[pair] as number, pairLater[pair] as number)) pairOrdered[pair] = 1;
      }
      mergeReaderRows(chunk);
    },
  });
  if (orderedWith !== null) computeReachability({ ...common, direction: "ancestors", onChunk: mergeReaderRows });

  const hazards: Hazard[] = [];
  let omittedWrites = 0;
  let listedWrites = 0;
  for (let pair = 0; pair < pairEarlier.length; pair++) {
    if (pairOrdered[pair] === 1) continue;
    if (listedWrites++ < bounds.maxHazardsPerCode) {
      hazards.push(unorderedWritesHazard(planGraph, pairEarlier[pair] as number, pairLater[pair] as number, pairPath[pair] as string));
    } else omittedWrites += 1;
  }

  let omittedRaces = 0;
  let listedRaces = 0;
  if (covered !== null && orderedWith !== null) {
    readers.forEach((reader, index) => {
      const base = index * totalWords;
      for (let word = 0; word < totalWords; word++) {
        let racing = (covered[base + word] as number) & ~(orderedWith[base + word] as number);
        while (racing !== 0) {
          const bit = 31 - Math.clz32(racing & -racing);
          racing &= racing - 1;
          if (listedRaces++ >= bounds.maxHazardsPerCode) {
            omittedRaces += 1;
            continue;
          }
          const writer = columns[word * 32 + bit] as number;
          hazards.push(raceHazard(planGraph, reader, writer));
        }
      }
    });
  }

  if (omittedWrites > 0) notes.push(unlistedHazardsNote("unordered-writes", omittedWrites, bounds.maxHazardsPerCode));
  if (omittedRaces > 0) notes.push(unlistedHazardsNote("read-write-race", omittedRaces, bounds.maxHazardsPerCode));
  return { hazards, notes };
}

/**
 * Per reader, the writers of the files it covers, as bits over the writer
 * columns (`readers.length × totalWords` words); null when there is nothing
 * to check or it would not fit the bounds.
 */
function readerCoverage(
  readers: readonly Reader[],
  writersByPath: ReadonlyMap<string, number[]>,
  columnOf: Int32Array,
  totalWords: number,
  bounds: FileHazardBounds,
  notes: string[],
): Int32Array | null {
  if (readers.length === 0) return null;
  if (readers.length * totalWords > bounds.maxRowWords) {
    notes.push(`Read/write races were not checked: ${readers.length} reads and searches × ${totalWords * 32} writers is too many.`);
    return null;
  }
  const globMasks = new Map<string, Int32Array>();
  const globs = new Set(readers.flatMap((reader) => reader.globs));
  if (globs.size * writersByPath.size > bounds.maxGlobChecks) {
    notes.push(
      `Globs were not matched against written files (${globs.size} globs × ${writersByPath.size} files is over ${bounds.maxGlobChecks}); races of globbed reads and searches were not checked.`,
    );
    globs.clear();
  }
  for (const glob of globs) {
    const matcher = cachedGlobToRegExp(glob);
    const mask = new Int32Array(totalWords);
    // A glob's literal start (`src/module-1` of `src/module-1*/**`) rules most files out without the regex.
    const prefix = literalPrefix(glob);
    if (matcher !== null) {
      for (const [path, writers] of writersByPath) {
        if (path.startsWith(prefix) && matcher.test(path)) setColumns(mask, 0, writers, columnOf);
      }
    }
    globMasks.set(glob, mask);
  }

  const coverage = new Int32Array(readers.length * totalWords);
  readers.forEach((reader, index) => {
    const base = index * totalWords;
    for (const path of reader.paths) setColumns(coverage, base, writersByPath.get(path) ?? [], columnOf);
    for (const glob of reader.globs) {
      const mask = globMasks.get(glob);
      if (mask !== undefined) for (let word = 0; word < totalWords; word++) coverage[base + word]! |= mask[word] as number;
    }
  });
  return coverage;
}

/** The part of a glob before its first special character, as written files would start. */
function literalPrefix(glob: string): string {
  const plain = glob.replace(/^(\.\/)+/, "");
  const special = plain.search(/[*?[{\\]/);
  return special === -1 ? plain : plain.slice(0, special);
}

function setColumns(mask: Int32Array, base: number, writers: readonly number[], columnOf: Int32Array): void {
  for (const writer of writers) {
    const column = columnOf[writer] as number;
    mask[base + (column >>> 5)]! |= 1 << (column & 31);
  }
}

function unorderedWritesHazard(planGraph: PlanGraph, earlierNode: number, laterNode: number, path: string): Hazard {
  const earlier = planGraph.ids[earlierNode] as string;
  const later = planGraph.ids[laterNode] as string;
  return {
    code: "unordered-writes",
    severity: "warning",
    nodeIds: [earlier, later],
    path,
    message:
      `"${earlier}" and "${later}" both change "${path}" and neither waits for the other, so the ` +
      `result depends on timing. Add an edge "${earlier}" → "${later}" (or the other way) to fix the order`,
    fix: { kind: "add-edge", from: earlier, to: later },
  };
}

function raceHazard(planGraph: PlanGraph, reader: Reader, writerNode: number): Hazard {
  const readerId = planGraph.ids[reader.node] as string;
  const writer = planGraph.ids[writerNode] as string;
  // The first file they share, for the message; computed only for listed hazards.
  const path =
    changedPaths(planGraph.nodes[writerNode] as PlanNode).find(
      (written) => reader.paths.includes(written) || reader.globs.some((glob) => cachedGlobToRegExp(glob)?.test(written)),
    ) ?? "";
  const verb = planGraph.nodes[reader.node]?.type === "search" ? "searches" : "reads";
  return {
    code: "read-write-race",
    severity: "warning",
    nodeIds: [readerId, writer],
    path,
    message:
      `"${readerId}" ${verb} "${path}", which "${writer}" changes, and neither waits for the other, so it may ` +
      `see the old or the new content. Add an edge "${writer}" → "${readerId}" to see the new content (or the other way for the old)`,
    fix: { kind: "add-edge", from: writer, to: readerId },
  };
}
