/**
 * Deterministic random plans for property tests and the benchmark: acyclic
 * by construction (edges only go from a lower to a higher node number), with
 * a realistic mix of operation types, shared files and a few failure and
 * cleanup edges.
 */
import type { PlanDocumentInput, PlanNode } from "../schema";

type NodeInput = PlanDocumentInput["nodes"][number];
type EdgeInput = NonNullable<PlanDocumentInput["edges"]>[number];

export interface GeneratePlanOptions {
  nodes: number;
  edges: number;
  seed?: number;
  /** How far ahead (in node numbers) an edge may reach; small values give long, narrow plans. */
  span?: number;
  /** Distinct files the nodes touch; fewer files mean more shared-file hazards. */
  files?: number;
}

/** mulberry32: tiny, fast and good enough to spread test data. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A plan of `nodes` nodes and about `edges` distinct edges (fewer if the span cannot hold them). */
export function generatePlan(options: GeneratePlanOptions): PlanDocumentInput {
  const random = createRandom(options.seed ?? 1);
  const span = Math.max(1, options.span ?? 50);
  const files = Math.max(1, options.files ?? options.nodes);
  const pick = (count: number) => Math.floor(random() * count);
  const file = () => `src/module-${pick(files)}/index.ts`;

  const nodes: NodeInput[] = [];
  for (let n = 0; n < options.nodes; n++) {
    const id = `n${n}`;
    const roll = random();
    let node: NodeInput;
    if (roll < 0.35) node = { id, type: "file.write", params: { path: file(), content: `export const value${n} = ${n};\n` } };
    else if (roll < 0.5) node = { id, type: "file.edit", params: { path: file(), edits: [{ find: `value${n}`, replace: `v${n}` }] } };
    else if (roll < 0.6) node = { id, type: "file.read", params: { paths: [file()] } };
    else if (roll < 0.7) node = { id, type: "search", params: { pattern: `value${pick(100)}`, glob: `src/module-${pick(20)}*/**/*.ts` } };
    else if (roll < 0.75) node = { id, type: "file.delete", params: { path: file(), missingOk: true } };
    else if (roll < 0.78) node = { id, type: "file.move", params: { from: file(), to: file() } };
    else node = { id, type: "shell", params: { command: `echo ${n}` } };
    if (random() < 0.02) node.checkpoint = true;
    nodes.push(node);
  }

  const edges: EdgeInput[] = [];
  const seen = new Set<number>();
  const attempts = options.edges * 3;
  for (let attempt = 0; attempt < attempts && edges.length < options.edges; attempt++) {
    const from = pick(Math.max(1, options.nodes - 1));
    const to = from + 1 + pick(Math.min(span, options.nodes - 1 - from));
    if (to >= options.nodes) continue;
    const key = from * options.nodes + to;
    if (seen.has(key)) continue;
    seen.add(key);
    const roll = random();
    const when: EdgeInput["when"] = roll < 0.02 ? "failure" : roll < 0.06 ? "always" : "success";
    edges.push({ from: `n${from}`, to: `n${to}`, when });
  }
  return { name: `Generated plan (${options.nodes} nodes)`, nodes, edges };
}

/** Node types, for tests that want to reason about the mix. */
export type GeneratedNode = PlanNode;
