import { describe, expect, it } from "vitest";
import { diffPlans } from "./plan-diff";
import { buildPlan, edit, read, shell, write } from "./testing/plan-builders";

const before = buildPlan(
  [write("a", "x.ts", { position: { x: 0, y: 0 } }), edit("b", "x.ts"), shell("c"), read("gone", ["x.ts"])],
  ["a->b", "b->c", { id: "named", from: "a", to: "c" }],
);

describe("diffPlans", () => {
  it("finds nothing between equal plans", () => {
    expect(diffPlans(before, structuredClone(before))).toEqual({
      nodes: { added: [], removed: [], changed: [] },
      edges: { added: [], removed: [], changed: [] },
      moved: [],
      settings: [],
      plan: [],
      layoutOnly: true,
    });
  });

  it("reports added, removed and changed nodes and edges with the changed fields", () => {
    const after = buildPlan(
      [
        write("a", "y.ts", { position: { x: 0, y: 0 } }),
        { id: "b", type: "file.edit", params: { path: "x.ts", edits: [{ find: "a", replace: "changed" }] } },
        shell("c", "echo c", { label: "Build", retries: 2 }),
        shell("new"),
      ],
      ["a->b", "b-always->c", { id: "named", from: "b", to: "c" }, "c->new"],
      { concurrency: 2 },
    );
    const diff = diffPlans(before, { ...after, name: "Renamed" });
    expect(diff.nodes).toEqual({
      added: ["new"],
      removed: ["gone"],
      changed: [
        { id: "a", fields: ["params.path"] },
        { id: "b", fields: ["params.edits[0].replace"] },
        { id: "c", fields: ["label", "retries"] },
      ],
    });
    expect(diff.edges).toEqual({
      added: ["c->new"],
      removed: [],
      changed: [
        { id: "b->c", fields: ["when"] },
        { id: "named", fields: ["from"] },
      ],
    });
    expect(diff.settings).toEqual(["concurrency"]);
    expect(diff.plan).toEqual(["name"]);
    expect(diff.layoutOnly).toBe(false);
  });

  it("reports a type change and a changed list length as whole fields", () => {
    const after = buildPlan(
      [
        write("a", "x.ts"),
        {
          id: "b",
          type: "file.edit",
          params: {
            path: "x.ts",
            edits: [
              { find: "a", replace: "b" },
              { find: "c", replace: "d" },
            ],
          },
        },
        write("c", "c.ts"),
        read("gone", ["x.ts"]),
      ],
      ["a->b", "b->c", { id: "named", from: "a", to: "c" }],
    );
    const changed = diffPlans(before, after).nodes.changed;
    expect(changed).toEqual([
      { id: "b", fields: ["params.edits"] },
      { id: "c", fields: expect.arrayContaining(["type", "params.command", "params.path", "params.content"]) },
    ]);
  });

  it("keeps moves apart from changes", () => {
    const moved = { ...before, nodes: before.nodes.map((node) => (node.id === "a" ? { ...node, position: { x: 50, y: 0 } } : node)) };
    const diff = diffPlans(before, moved);
    expect(diff.moved).toEqual(["a"]);
    expect(diff.nodes.changed).toEqual([]);
    expect(diff.layoutOnly).toBe(true);
  });
});
