import { describe, expect, it } from "vitest";
import { generatePlan } from "../plan/testing/generate-plan";
import { layoutPlan } from "./layout-plan";

describe("layoutPlan", () => {
  it.each([40, 2_000])("places every node and points every edge rightwards (%i nodes)", (count) => {
    const plan = generatePlan({ nodes: count, edges: Math.round(count * 1.5), seed: 3, span: 20 });
    const edges = plan.edges ?? [];
    const started = performance.now();
    const positions = layoutPlan({ nodes: plan.nodes.map((node) => ({ id: node.id })), edges });
    const elapsed = performance.now() - started;
    expect(positions.size).toBe(count);
    for (const edge of edges) expect(positions.get(edge.to)!.x).toBeGreaterThan(positions.get(edge.from)!.x);
    // Imported plans are laid out while the editor opens.
    expect(elapsed).toBeLessThan(count > 400 ? 500 : 2_000);
  });

  it("does not overlap nodes and survives cycles and dangling edges", () => {
    const positions = layoutPlan({
      nodes: [{ id: "a" }, { id: "b" }, { id: "c" }],
      edges: [
        { from: "a", to: "b" },
        { from: "b", to: "a" },
        { from: "a", to: "missing" },
        { from: "c", to: "c" },
      ],
    });
    const seen = new Set([...positions.values()].map(({ x, y }) => `${x},${y}`));
    expect(seen.size).toBe(3);
  });
});
