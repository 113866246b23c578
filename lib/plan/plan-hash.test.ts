import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalPlanText, hashPlan } from "./plan-hash";
import { fnv1a64 } from "./fnv1a64";
import { canonicalJson } from "./canonical-json";
import { buildPlan, edit, shell, write } from "./testing/plan-builders";

describe("fnv1a64", () => {
  it.each([
    ["", "cbf29ce484222325"],
    ["a", "af63dc4c8601ec8c"],
    ["foobar", "85944171f73967e8"],
    ["héllo😀", "c8f6b08cb1e4cf0d"],
  ])("hashes %j like the reference FNV-1a 64 over UTF-8", (text, expected) => {
    expect(fnv1a64(text)).toBe(expected);
  });
});

describe("canonicalJson", () => {
  it("sorts keys, drops undefined and has no whitespace", () => {
    expect(canonicalJson({ b: 1, a: [true, null, { d: undefined, c: "x" }] })).toBe('{"a":[true,null,{"c":"x"}],"b":1}');
  });
});

describe("hashPlan", () => {
  const plan = buildPlan(
    [write("a", "x.ts", { position: { x: 0, y: 0 } }), edit("b", "x.ts", { position: { x: 10, y: 5 } }), shell("c")],
    ["a->b", "b-always->c"],
  );

  it("is 16 hex digits and stable", () => {
    expect(hashPlan(plan)).toMatch(/^[0-9a-f]{16}$/);
    expect(hashPlan(plan)).toBe(hashPlan(structuredClone(plan)));
  });

  it("ignores positions, $schema, key order and node/edge order", () => {
    const reshuffled = {
      $schema: "https://example.com/plan.schema.json",
      edges: [...plan.edges].reverse(),
      nodes: [...plan.nodes].reverse().map((node) => ({ ...node, position: { x: 99, y: 99 } })),
      settings: Object.fromEntries(Object.entries(plan.settings).reverse()) as typeof plan.settings,
      description: plan.description,
      name: plan.name,
      formatVersion: plan.formatVersion,
    };
    expect(hashPlan(reshuffled)).toBe(hashPlan(plan));
  });

  it.each([
    [
      "a node's params",
      (p: typeof plan) => ({
        ...p,
        nodes: p.nodes.map((node) => (node.type === "shell" ? { ...node, params: { ...node.params, command: "other" } } : node)),
      }),
    ],
    ["an edge condition", (p: typeof plan) => ({ ...p, edges: p.edges.map((edge) => ({ ...edge, when: "success" as const })) })],
    ["a setting", (p: typeof plan) => ({ ...p, settings: { ...p.settings, concurrency: 2 } })],
    ["the name", (p: typeof plan) => ({ ...p, name: "Renamed" })],
    ["a label", (p: typeof plan) => ({ ...p, nodes: p.nodes.map((node) => ({ ...node, label: "L" })) })],
  ])("changes when %s changes", (_name, change) => {
    expect(hashPlan(change(plan))).not.toBe(hashPlan(plan));
  });

  it("ignores node order for any permutation", () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(plan.nodes, { minLength: 3, maxLength: 3 }),
        fc.shuffledSubarray(plan.edges, { minLength: 2, maxLength: 2 }),
        (nodes, edges) => {
          expect(canonicalPlanText({ ...plan, nodes, edges })).toBe(canonicalPlanText(plan));
        },
      ),
    );
  });
});
