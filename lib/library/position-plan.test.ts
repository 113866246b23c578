import { describe, expect, it } from "vitest";
import { layoutPlan } from "./layout-plan";
import { positionPlanDocument } from "./position-plan";

describe("positionPlanDocument", () => {
  const document = {
    name: "p",
    nodes: [
      { id: "a", type: "shell", params: { command: "true" } },
      { id: "b", type: "shell", params: { command: "true" } },
    ],
    edges: [{ from: "a", to: "b" }],
  };

  it("positions a document's nodes as the editor's layout would", () => {
    const positioned = positionPlanDocument(document) as { nodes: Array<{ position: { x: number; y: number } }>; edges: unknown };
    const expected = layoutPlan({ nodes: [{ id: "a" }, { id: "b" }], edges: [{ from: "a", to: "b" }] });
    expect(positioned.nodes.map((node) => node.position)).toEqual([expected.get("a"), expected.get("b")]);
    expect(positioned.edges).toBe(document.edges);
  });

  it("leaves a document whose nodes all have positions as it is", () => {
    const placed = { ...document, nodes: document.nodes.map((node, index) => ({ ...node, position: { x: index, y: 0 } })) };
    expect(positionPlanDocument(placed)).toBe(placed);
    expect(positionPlanDocument("not a plan")).toBe("not a plan");
  });
});
