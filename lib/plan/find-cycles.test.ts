import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validatePlan } from "./validate-plan";

/** Random directed graphs (cycles allowed) as plans of shell nodes. */
const randomGraph = fc.integer({ min: 1, max: 15 }).chain((count) =>
  fc
    .uniqueArray(fc.tuple(fc.nat(count - 1), fc.nat(count - 1)), { maxLength: count * 3, selector: ([from, to]) => `${from}-${to}` })
    .map((pairs) => ({
      count,
      edges: pairs.filter(([from, to]) => from !== to).map(([from, to]) => ({ from: `n${from}`, to: `n${to}` })),
    })),
);

function hasCycle(count: number, edges: { from: string; to: string }[]): boolean {
  const indegree = new Map<string, number>(Array.from({ length: count }, (_, index) => [`n${index}`, 0]));
  for (const edge of edges) indegree.set(edge.to, (indegree.get(edge.to) ?? 0) + 1);
  const ready = [...indegree].filter(([, degree]) => degree === 0).map(([id]) => id);
  let seen = 0;
  while (ready.length > 0) {
    const id = ready.pop() as string;
    seen += 1;
    for (const edge of edges.filter((candidate) => candidate.from === id)) {
      const left = (indegree.get(edge.to) as number) - 1;
      indegree.set(edge.to, left);
      if (left === 0) ready.push(edge.to);
    }
  }
  return seen < count;
}

describe("cycle reports", () => {
  it("are real cycles, disjoint, and present exactly when the graph has a cycle", () => {
    fc.assert(
      fc.property(randomGraph, ({ count, edges }) => {
        const nodes = Array.from({ length: count }, (_, index) => ({ id: `n${index}`, type: "shell", params: { command: "x" } }));
        const result = validatePlan({ name: "graph", nodes, edges });
        const cycles = result.ok ? [] : result.problems.filter((problem) => problem.code === "cycle");
        const edgeSet = new Set(edges.map((edge) => `${edge.from}->${edge.to}`));
        const used = new Set<string>();
        for (const cycle of cycles) {
          const ids = cycle.nodeIds ?? [];
          expect(ids.length).toBeGreaterThanOrEqual(2);
          ids.forEach((id, index) => {
            expect(edgeSet.has(`${id}->${ids[(index + 1) % ids.length]}`)).toBe(true);
            expect(used.has(id)).toBe(false);
            used.add(id);
          });
          expect(cycle.edgeId).toBe(`${ids[ids.length - 1]}->${ids[0]}`);
        }
        expect(cycles.length > 0).toBe(hasCycle(count, edges));
      }),
      { numRuns: 500 },
    );
  });
});
