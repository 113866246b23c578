import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildPlanGraph } from "./plan-graph";
import { chunkHas, computeReachability } from "./reachability";
import { optimizePlan } from "./optimize-plan";
import { generatePlan } from "./testing/generate-plan";
import { PlanDocument } from "./schema";

/** A parsed random plan big enough to need several 32-target chunks. */
const randomPlan = fc
  .record({
    nodes: fc.integer({ min: 1, max: 160 }),
    density: fc.integer({ min: 0, max: 4 }),
    seed: fc.nat(),
    span: fc.integer({ min: 1, max: 80 }),
  })
  .map(({ nodes, density, seed, span }) =>
    PlanDocument.parse(generatePlan({ nodes, edges: nodes * density, seed, span, files: Math.max(1, nodes >> 2) })),
  );

describe("computeReachability", () => {
  it("agrees with a brute-force search in both directions, however the targets are chunked", () => {
    fc.assert(
      fc.property(randomPlan, fc.integer({ min: 0, max: 4 }), (plan, keepEvery) => {
        const planGraph = buildPlanGraph(plan);
        const { graph, order, position } = planGraph;
        const targets = order.filter((_, index) => keepEvery === 0 || index % (keepEvery + 1) === 0);
        // Reference: every node's descendants (itself included), by plain search.
        const descendants = Array.from({ length: graph.nodeCount }, () => new Set<number>());
        for (const start of order) {
          const stack = [start];
          const seen = descendants[start] as Set<number>;
          while (stack.length > 0) {
            const node = stack.pop() as number;
            if (seen.has(node)) continue;
            seen.add(node);
            stack.push(...graph.successors.subarray(graph.successorStart[node], graph.successorStart[node + 1]));
          }
        }
        const reaches = (from: number, to: number): boolean => (descendants[from] as Set<number>).has(to);
        // Collected rather than asserted one by one: expect() per pair would dominate the run time.
        const mismatches: string[] = [];
        for (const direction of ["descendants", "ancestors"] as const) {
          const seenTargets = new Set<number>();
          computeReachability({
            graph,
            order,
            position,
            targets,
            direction,
            // One word per row: 32 targets per chunk, so most plans here need several chunks.
            maxRowWords: graph.nodeCount,
            onChunk: (chunk) => {
              for (const target of targets) {
                if ((chunk.bitOf[target] as number) < 0) continue;
                seenTargets.add(target);
                for (const node of order) {
                  const expected = direction === "descendants" ? reaches(node, target) : reaches(target, node);
                  const inRange = (position[node] as number) >= chunk.minPosition && (position[node] as number) <= chunk.maxPosition;
                  const actual = inRange && chunkHas(chunk, node, target);
                  if (actual !== expected) mismatches.push(`${direction} ${node}→${target}: ${actual}`);
                }
              }
            },
          });
          expect(seenTargets.size).toBe(targets.length);
        }
        expect(mismatches).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});

describe("optimizePlan with small bitset chunks", () => {
  it("finds nodes that never run across several chunks of failure sources", () => {
    const count = 40;
    const nodes = Array.from({ length: count }, (_, index) => [
      { id: `s${index}`, type: "shell", params: { command: "x" } },
      { id: `ok${index}`, type: "shell", params: { command: "x" } },
      { id: `bad${index}`, type: "shell", params: { command: "x" } },
      { id: `join${index}`, type: "shell", params: { command: "x" } },
    ]).flat();
    const edges = Array.from({ length: count }, (_, index) => [
      { from: `s${index}`, to: `ok${index}` },
      { from: `s${index}`, to: `bad${index}`, when: "failure" },
      { from: `ok${index}`, to: `join${index}` },
      { from: `bad${index}`, to: `join${index}` },
    ]).flat();
    const plan = PlanDocument.parse({ name: "forks", nodes, edges });
    const big = optimizePlan(plan).hazards.filter((hazard) => hazard.code === "never-runs");
    const small = optimizePlan(plan, { bounds: { maxRowWords: plan.nodes.length } }).hazards.filter(
      (hazard) => hazard.code === "never-runs",
    );
    expect(big.map((hazard) => hazard.nodeIds)).toEqual(Array.from({ length: count }, (_, index) => [`join${index}`]));
    expect(small).toEqual(big);
  });

  it("finds the same hazards as with one big chunk", () => {
    fc.assert(
      fc.property(randomPlan, (plan) => {
        const big = optimizePlan(plan);
        const small = optimizePlan(plan, { bounds: { maxRowWords: plan.nodes.length } });
        // The same bound also caps the readers × writers coverage: where that cap, not the chunking, skips the
        // race check (it says so in a note), the plans are not comparable.
        fc.pre(!small.notes.some((note) => note.startsWith("Read/write races were not checked")));
        expect(small.hazards).toEqual(big.hazards);
        expect(small.notes).toEqual(big.notes);
      }),
      { numRuns: 100 },
    );
  });
});
