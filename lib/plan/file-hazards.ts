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
 * Ordering is decided with bitsets (see reachability.ts) whose columns are
 * the readers and the later writer of each pair: one pass for what each node
 * reaches, one for what reaches it; each pair is then one bit lookup.
 */
import type { z } from "zod";
import type { FileMoveNode, PlanNode } from "./schema";
import type { Hazard } from "./execution-plan";
import type { PlanGraph } from "./plan-graph";
import { BitsetScratch, computeReachability, chunkHas, reachabilityCost } from "./reachability";
import { cachedGlobToRegExp } from "./glob";
import { normalizeWorkspacePath } from "./workspace-path";

/** Bounds that keep hazard detection fast on very large plans. */
export interface FileHazardBounds {
  /** Skip when the bitset passes would exceed this many word operations. */
  maxReachabilityCost: number;
  /** Skip glob coverage when distinct globs × distinct written files exceeds this. */
  maxGlobChecks: number;
  /** Check at most this many reader–writer pairs for races. */
  maxRacePairs: number;
  /** Most 32-bit words of bitset memory per pass. */
  maxRowWords: number;
  /** Hazards of one code beyond this many are counted in a note, not listed. */
  maxHazardsPerCode: number;
}

interface Reader {
  node: number;
  paths: string[];
  globs: string[];
}

/** A growable list of int32s: hundreds of thousands of pairs as objects would cost more than checking them. */
class IntList {
  values = new Int32Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Int32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
}

/** Finds unordered writers and read/write races; returns hazards and notes. */
export function findFileHazards(
  planGraph: PlanGraph,
  bounds: FileHazardBounds,
  scratch = new BitsetScratch(),
): { hazards: Hazard[]; notes: string[] } {
  const { nodes, order, edges, graph, position } = planGraph;
  const notes: string[] = [];
  const writersByPath = new Map<string, number[]>();
  const readers: Reader[] = [];

  for (const node of order) {
    const current = nodes[node] as PlanNode;
    for (const path of writtenPaths(current)) {
      const writers = writersByPath.get(path);
      if (writers === undefined) writersByPath.set(path, [node]);
      else if (writers[writers.length - 1] !== node) writers.push(node); // a move onto itself counts once
    }
    if (current.type === "file.read") {
      const paths = current.params.paths.flatMap((path) => normalizeWorkspacePath(path) ?? []);
      readers.push({ node, paths, globs: current.params.glob === undefined ? [] : [current.params.glob] });
    } else if (current.type === "search") readers.push({ node, paths: [], globs: [current.params.glob] });
  }
  if (writersByPath.size === 0) return { hazards: [], notes };

  // Neighbouring writers of each file; `order` was walked topologically, so they are sorted.
  const writeEarlier = new IntList();
  const writeLater = new IntList();
  const writePath: string[] = [];
  for (const [path, writers] of writersByPath) {
    for (let at = 1; at < writers.length; at++) {
      writeEarlier.push(writers[at - 1] as number);
      writeLater.push(writers[at] as number);
      writePath.push(path);
    }
  }

  // Reader–writer pairs: each reader with every writer of a file it covers, once.
  const raceReader = new IntList();
  const raceWriter = new IntList();
  const coveredBy = globCoverage(readers, writersByPath, bounds.maxGlobChecks, notes);
  const lastReaderOf = new Int32Array(nodes.length).fill(-1);
  readerLoop: for (const reader of readers) {
    const lists = [...reader.paths.map((path) => writersByPath.get(path) ?? []), ...reader.globs.map((glob) => coveredBy.get(glob) ?? [])];
    for (const writers of lists) {
      for (const writer of writers) {
        if (writer === reader.node || lastReaderOf[writer] === reader.node) continue;
        lastReaderOf[writer] = reader.node;
        if (raceReader.length === bounds.maxRacePairs) {
          notes.push(`Read/write races were checked for the first ${bounds.maxRacePairs} reader–writer pairs only.`);
          break readerLoop;
        }
        raceReader.push(reader.node);
        raceWriter.push(writer);
      }
    }
  }
  if (writeEarlier.length === 0 && raceReader.length === 0) return { hazards: [], notes };

  // Bitset columns: readers and later writers only — usually far fewer than all
  // writers — so a race is decided from the writer's row: a writer before the
  // reader must reach it (descendants pass), one after it must be reached from
  // it (ancestors pass).
  const isTarget = new Uint8Array(nodes.length);
  for (let pair = 0; pair < writeLater.length; pair++) isTarget[writeLater.values[pair] as number] = 1;
  for (let pair = 0; pair < raceReader.length; pair++) isTarget[raceReader.values[pair] as number] = 1;
  const targets = order.filter((node) => isTarget[node] === 1);
  const passes = raceReader.length > 0 ? 2 : 1;
  if (passes * reachabilityCost(graph.nodeCount, edges.length, targets.length) > bounds.maxReachabilityCost) {
    notes.push(`File hazards were not checked: the plan is too large for the ordering check (${targets.length} nodes share files with others).`);
    return { hazards: [], notes };
  }

  const writeOrdered = new Uint8Array(writeEarlier.length);
  const raceOrdered = new Uint8Array(raceReader.length);
  const common = { graph, order, position, targets, maxRowWords: bounds.maxRowWords, scratch };
  computeReachability({
    ...common,
    direction: "descendants",
    onChunk: (chunk) => {
      for (let pair = 0; pair < writeEarlier.length; pair++) {
        if (chunkHas(chunk, writeEarlier.values[pair] as number, writeLater.values[pair] as number)) writeOrdered[pair] = 1;
      }
      for (let pair = 0; pair < raceReader.length; pair++) {
        if (chunkHas(chunk, raceWriter.values[pair] as number, raceReader.values[pair] as number)) raceOrdered[pair] = 1;
      }
    },
  });
  if (raceReader.length > 0) {
    computeReachability({
      ...common,
      direction: "ancestors",
      onChunk: (chunk) => {
        for (let pair = 0; pair < raceReader.length; pair++) {
          if (chunkHas(chunk, raceWriter.values[pair] as number, raceReader.values[pair] as number)) raceOrdered[pair] = 1;
        }
      },
    });
  }

  const hazards: Hazard[] = [];
  let unorderedWrites = 0;
  for (let pair = 0; pair < writeEarlier.length; pair++) {
    if (writeOrdered[pair] === 1 || unorderedWrites++ >= bounds.maxHazardsPerCode) continue;
    hazards.push(unorderedWritesHazard(planGraph, writeEarlier.values[pair] as number, writeLater.values[pair] as number, writePath[pair] as string));
  }
  const readerOf = new Map(readers.map((reader) => [reader.node, reader]));
  let races = 0;
  for (let pair = 0; pair < raceReader.length; pair++) {
    if (raceOrdered[pair] === 1 || races++ >= bounds.maxHazardsPerCode) continue;
    hazards.push(raceHazard(planGraph, readerOf.get(raceReader.values[pair] as number) as Reader, raceWriter.values[pair] as number));
  }
  for (const [count, code] of [
    [unorderedWrites, "unordered-writes"],
    [races, "read-write-race"],
  ] as const) {
    if (count > bounds.maxHazardsPerCode) {
      notes.push(`${count - bounds.maxHazardsPerCode} more "${code}" hazard(s) were found but not listed (${bounds.maxHazardsPerCode} are).`);
    }
  }
  return { hazards, notes };
}

function writtenPaths(node: PlanNode): string[] {
  switch (node.type) {
    case "file.write":
    case "file.edit":
    case "file.delete":
      return normalizedOrEmpty(node.params.path);
    case "file.move": {
      const { from, to } = (node as z.infer<typeof FileMoveNode>).params;
      return [...normalizedOrEmpty(from), ...normalizedOrEmpty(to)];
    }
    default:
      return [];
  }
}

function normalizedOrEmpty(path: string): string[] {
  const normalized = normalizeWorkspacePath(path);
  return normalized === null ? [] : [normalized];
}

/** The writers of the written files each distinct glob covers; empty when that would exceed the bounds. */
function globCoverage(
  readers: readonly Reader[],
  writersByPath: ReadonlyMap<string, number[]>,
  maxChecks: number,
  notes: string[],
): Map<string, number[]> {
  const coverage = new Map<string, number[]>();
  const globs = new Set(readers.flatMap((reader) => reader.globs));
  if (globs.size * writersByPath.size > maxChecks) {
    notes.push(
      `Globs were not matched against written files (${globs.size} globs × ${writersByPath.size} files is over ${maxChecks}); races of globbed reads and searches were not checked.`,
    );
    return coverage;
  }
  for (const glob of globs) {
    const matcher = cachedGlobToRegExp(glob);
    const writers: number[] = [];
    // A glob's literal start (`src/module-1` of `src/module-1*/**`) rules most files out without the regex.
    const prefix = literalPrefix(glob);
    if (matcher !== null) {
      for (const [path, pathWriters] of writersByPath) {
        if (path.startsWith(prefix) && matcher.test(path)) for (const writer of pathWriters) writers.push(writer);
      }
    }
    coverage.set(glob, writers);
  }
  return coverage;
}

/** The part of a glob before its first special character, as written files would start. */
function literalPrefix(glob: string): string {
  const plain = glob.replace(/^(\.\/)+/, "");
  const special = plain.search(/[*?[{\\]/);
  return special === -1 ? plain : plain.slice(0, special);
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
    writtenPaths(planGraph.nodes[writerNode] as PlanNode).find(
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
