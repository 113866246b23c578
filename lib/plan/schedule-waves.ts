/**
 * Topological waves over units (a merged multi-edit counts as one node):
 * a unit's wave is one more than the latest wave it waits for, i.e. the
 * levels Kahn's algorithm peels off, computed in one pass over the
 * topological order.
 */
import type { PlanGraph } from "./plan-graph";

/** Waves of node numbers and the unit bookkeeping batches are built from. */
export interface WaveSchedule {
  /** Node numbers per wave; a unit's members are adjacent and in dependency order. */
  waves: number[][];
  /** Node → wave, -1 when unscheduled. */
  waveOf: Int32Array;
  /** Unit root → its members in dependency order, for units of two or more nodes only. */
  members: Map<number, number[]>;
  /** Node → its unit's root (itself when not merged). */
  unitOf: Int32Array;
}

/** Assigns waves; units come in document order of their first node within a wave. */
export function scheduleWaves(planGraph: PlanGraph, unitOf: Int32Array): WaveSchedule {
  const { nodes, graph, order, position } = planGraph;
  const { predecessorStart, predecessors } = graph;
  const waveOf = new Int32Array(nodes.length).fill(-1);
  const members = new Map<number, number[]>();
  let waveCount = 0;

  for (const node of order) {
    const root = unitOf[node] as number;
    if (root !== node) {
      // Members' dependencies are all inside the unit (see edit-units.ts), so they share its wave.
      waveOf[node] = waveOf[root] as number;
      const list = members.get(root);
      if (list === undefined) members.set(root, [root, node]);
      else list.push(node);
      continue;
    }
    let wave = 0;
    const end = predecessorStart[node + 1] as number;
    for (let slot = predecessorStart[node] as number; slot < end; slot++) {
      const before = waveOf[unitOf[predecessors[slot] as number] as number] as number;
      if (before + 1 > wave) wave = before + 1;
    }
    waveOf[node] = wave;
    if (wave + 1 > waveCount) waveCount = wave + 1;
  }

  const waves: number[][] = Array.from({ length: waveCount }, () => []);
  for (let node = 0; node < nodes.length; node++) {
    if (position[node] === -1 || unitOf[node] !== node) continue;
    const wave = waves[waveOf[node] as number] as number[];
    const list = members.get(node);
    if (list === undefined) wave.push(node);
    else for (const member of list) wave.push(member);
  }
  return { waves, waveOf, members, unitOf };
}
