import { describe, expect, it } from "vitest";
import { optimizePlan } from "./optimize-plan";
import { ExecutionPlan, type Hazard } from "./execution-plan";
import { buildPlan, edit, move, read, remove, search, shell, write } from "./testing/plan-builders";

const hazardsOf = (plan: ReturnType<typeof buildPlan>, code?: Hazard["code"]) =>
  optimizePlan(plan).hazards.filter((hazard) => code === undefined || hazard.code === code);

describe("optimizePlan: waves", () => {
  it("puts each node one wave after its latest dependency", () => {
    const plan = buildPlan([shell("a"), shell("b"), shell("c"), shell("d"), shell("e")], ["a->b", "a->c", "b->d", "c->d", "a->e"]);
    const result = optimizePlan(plan);
    expect(result.waves).toEqual([["a"], ["b", "c", "e"], ["d"]]);
    expect(result.widest).toEqual({ wave: 1, width: 3 });
  });

  it("handles an empty plan", () => {
    // Plans must have a node; the optimizer still copes with none.
    const result = optimizePlan({ ...buildPlan([shell("a")]), nodes: [] });
    expect(result).toMatchObject({ waves: [], batches: [], widest: { wave: -1, width: 0 }, criticalPath: { nodeIds: [], estimatedMs: 0 } });
  });

  it("returns a value that satisfies the ExecutionPlan schema", () => {
    const plan = buildPlan([write("a", "x"), edit("b", "x"), search("c", "**/*"), shell("d")], ["a->b", "a-failure->d"]);
    const result = optimizePlan(plan);
    expect(ExecutionPlan.parse(result)).toEqual(result);
  });
});

describe("optimizePlan: batches", () => {
  const wave = buildPlan([
    write("w1", "a.ts"),
    remove("w2", "b.ts"),
    read("r1", ["c.ts"]),
    search("s1", "src/**/*.ts", "foo"),
    shell("x1"),
    search("s2", "./src/**/*.ts", "bar"),
    search("s3", "lib/**", "foo"),
    shell("x2"),
  ]);

  it("groups a wave's nodes by kind, file changes first", () => {
    const { batches } = optimizePlan(wave);
    expect(batches.map((batch) => [batch.id, batch.nodeIds])).toEqual([
      ["w0:file-change", ["w1", "w2"]],
      ["w0:file-read", ["r1"]],
      ["w0:search", ["s1", "s2", "s3"]],
      ["w0:shell", ["x1", "x2"]],
    ]);
  });

  it("makes file batches atomic in atomic mode only", () => {
    expect(optimizePlan(wave).batches[0]?.atomic).toBe(true);
    expect(optimizePlan({ ...wave, settings: { ...wave.settings, fileBatchMode: "independent" } }).batches[0]?.atomic).toBe(false);
    expect(
      optimizePlan(wave)
        .batches.filter((batch) => batch.kind !== "file-change")
        .every((batch) => !batch.atomic),
    ).toBe(true);
  });

  it("turns searches over the same files into one pass", () => {
    const searchBatch = optimizePlan(wave).batches.find((batch) => batch.kind === "search");
    expect(searchBatch?.units).toEqual([
      { kind: "search-pass", nodeIds: ["s1", "s2"], target: "src/**/*.ts" },
      { kind: "node", nodeIds: ["s3"] },
    ]);
  });

  it("never merges a checkpoint node", () => {
    const plan = buildPlan([
      write("a", "a"),
      write("cp", "b", { checkpoint: true }),
      write("c", "c"),
      search("s1", "**"),
      search("s2", "**", "x", { checkpoint: true }),
    ]);
    const { batches } = optimizePlan(plan);
    expect(batches.map((batch) => [batch.id, batch.nodeIds, batch.atomic])).toEqual([
      ["w0:file-change", ["a", "c"], true],
      ["w0:search", ["s1"], false],
      ["w0:file-change:cp", ["cp"], false],
      ["w0:search:s2", ["s2"], false],
    ]);
  });

  it("gives every node its own batch when batching is off", () => {
    const plan = buildPlan(
      [write("a", "a"), write("b", "b"), search("s1", "**"), search("s2", "**"), edit("e1", "f"), edit("e2", "f")],
      ["e1->e2"],
      {
        batching: false,
      },
    );
    const { batches } = optimizePlan(plan);
    expect(batches.every((batch) => batch.nodeIds.length === 1 && batch.units.length === 1 && !batch.atomic)).toBe(true);
    expect(batches).toHaveLength(6);
    expect(batches.flatMap((batch) => batch.units.map((unit) => unit.kind))).not.toContain("multi-edit");
  });

  it("maps every node to its batch", () => {
    const result = optimizePlan(wave);
    for (const batch of result.batches) for (const id of batch.nodeIds) expect(result.batchIdOf[id]).toBe(batch.id);
    expect(Object.keys(result.batchIdOf).sort()).toEqual(wave.nodes.map((node) => node.id).sort());
  });
});

describe("optimizePlan: merged edits", () => {
  it("merges a chain of edits to one file into one multi-edit, in dependency order", () => {
    const plan = buildPlan(
      [edit("e3", "src/a.ts"), edit("e1", "./src/a.ts"), edit("e2", "src/a.ts"), shell("after")],
      ["e1->e2", "e2->e3", "e1->after"],
    );
    const result = optimizePlan(plan);
    expect(result.waves).toEqual([["e1", "e2", "e3"], ["after"]]);
    expect(result.batches[0]?.units).toEqual([{ kind: "multi-edit", nodeIds: ["e1", "e2", "e3"], target: "src/a.ts" }]);
  });

  it.each([
    ["a command runs between them", [edit("e1", "f"), shell("x"), edit("e2", "f")], ["e1->x", "x->e2"]],
    ["the second also waits for another node", [edit("e1", "f"), shell("x"), edit("e2", "f")], ["e1->e2", "x->e2"]],
    ["they edit different files", [edit("e1", "f"), edit("e2", "g")], ["e1->e2"]],
    ["the edge is a failure edge", [edit("e1", "f"), edit("e2", "f")], ["e1-failure->e2"]],
    ["the edge is an always edge", [edit("e1", "f"), edit("e2", "f")], ["e1-always->e2"]],
    ["one is a checkpoint", [edit("e1", "f"), edit("e2", "f", { checkpoint: true })], ["e1->e2"]],
  ])("keeps edits apart when %s", (_name, nodes, edges) => {
    const result = optimizePlan(buildPlan(nodes, edges));
    const units = result.batches.flatMap((batch) => batch.units);
    expect(units.every((unit) => unit.kind === "node")).toBe(true);
  });

  it("merges a fan-out of edits that wait only for the first", () => {
    const result = optimizePlan(buildPlan([edit("e1", "f"), edit("e2", "f"), edit("e3", "f")], ["e1->e2", "e1->e3"]));
    expect(result.batches[0]?.units).toEqual([{ kind: "multi-edit", nodeIds: ["e1", "e2", "e3"], target: "f" }]);
  });
});

describe("optimizePlan: critical path", () => {
  const plan = buildPlan(
    [shell("build"), write("config", "c.json"), search("find", "**"), shell("test")],
    ["config->build", "build->test", "find->test"],
  );

  it("follows the longest chain by estimated duration", () => {
    expect(optimizePlan(plan).criticalPath).toEqual({ nodeIds: ["config", "build", "test"], estimatedMs: 10 + 2_000 + 2_000 });
  });

  it("uses estimates from earlier runs, per type and per node", () => {
    const result = optimizePlan(plan, { estimates: { byType: { search: 10_000 }, byNode: { test: 1 } } });
    expect(result.criticalPath).toEqual({ nodeIds: ["find", "test"], estimatedMs: 10_001 });
  });
});

describe("optimizePlan: hazards", () => {
  it("reports two unordered writers of one file with a fix", () => {
    const hazards = hazardsOf(buildPlan([write("a", "src/x.ts"), edit("b", "./src/x.ts"), shell("c")], ["a->c"]), "unordered-writes");
    expect(hazards).toEqual([
      expect.objectContaining({
        nodeIds: ["a", "b"],
        path: "src/x.ts",
        severity: "warning",
        fix: { kind: "add-edge", from: "a", to: "b" },
      }),
    ]);
  });

  it("counts both ends of a move as writes", () => {
    const hazards = hazardsOf(buildPlan([move("m", "old.ts", "new.ts"), write("w", "new.ts"), remove("d", "old.ts")]), "unordered-writes");
    expect(hazards.map((hazard) => hazard.path).sort()).toEqual(["new.ts", "old.ts"]);
  });

  it("is quiet once writers are ordered, even through other nodes", () => {
    const plan = buildPlan([write("a", "x"), shell("between"), edit("b", "x"), remove("c", "x")], ["a->between", "between->b", "b->c"]);
    expect(hazardsOf(plan, "unordered-writes")).toEqual([]);
  });

  it("suggests edges that order all writers of a file", () => {
    const plan = buildPlan([write("a", "x"), write("b", "x"), write("c", "x")]);
    const fixes = hazardsOf(plan, "unordered-writes").map((hazard) => hazard.fix);
    expect(fixes).toEqual([
      { kind: "add-edge", from: "a", to: "b" },
      { kind: "add-edge", from: "b", to: "c" },
    ]);
    const fixed = buildPlan([write("a", "x"), write("b", "x"), write("c", "x")], ["a->b", "b->c"]);
    expect(hazardsOf(fixed, "unordered-writes")).toEqual([]);
  });

  it.each([
    ["a read of the file", read("r", ["src/x.ts"])],
    ["a read by glob", read("r", [], "src/*.ts")],
    ["a search over it", search("r", "src/**/*.ts")],
  ])("reports a race between a write and %s", (_name, reader) => {
    const hazards = hazardsOf(buildPlan([write("w", "src/x.ts"), reader]), "read-write-race");
    expect(hazards).toEqual([
      expect.objectContaining({ nodeIds: ["r", "w"], path: "src/x.ts", fix: { kind: "add-edge", from: "w", to: "r" } }),
    ]);
  });

  it.each([
    ["the read waits for the write", [write("w", "x.ts"), read("r", ["x.ts"])], ["w->r"]],
    ["the write waits for the read", [write("w", "x.ts"), read("r", ["x.ts"])], ["r->w"]],
    ["the glob does not cover the file", [write("w", "lib/x.ts"), search("r", "src/**")], []],
  ])("reports no race when %s", (_name, nodes, edges) => {
    expect(hazardsOf(buildPlan(nodes, edges), "read-write-race")).toEqual([]);
  });

  it("reports edges implied by a path of success edges, with a fix", () => {
    const hazards = hazardsOf(
      buildPlan([shell("a"), shell("b"), shell("c"), shell("d")], ["a->b", "b->c", "c->d", "a->d", "a->c"]),
      "implied-edge",
    );
    expect(hazards.map((hazard) => hazard.edgeId).sort()).toEqual(["a->c", "a->d"]);
    expect(hazards[0]).toMatchObject({ severity: "info", fix: { kind: "remove-edge", edgeId: hazards[0]?.edgeId } });
  });

  it.each([
    ["an always edge on the path", ["a-always->b", "b->c", "a->c"], []],
    ["a failure edge on the path", ["a-failure->b", "b->c", "a->c"], []],
    ["the edge itself is a failure edge", ["a->b", "b->c", "a-failure->c"], []],
    ["the edge itself is an always edge", ["a->b", "b->c", "a-always->c"], ["a->c"]],
  ])("handles conditions: %s", (_name, edges, implied) => {
    const hazards = hazardsOf(buildPlan([shell("a"), shell("b"), shell("c")], edges), "implied-edge");
    expect(hazards.map((hazard) => hazard.edgeId)).toEqual(implied);
  });

  it("uses an explicit edge id in the fix", () => {
    const plan = buildPlan([shell("a"), shell("b"), shell("c")], ["a->b", "b->c", { id: "shortcut", from: "a", to: "c" }]);
    expect(hazardsOf(plan, "implied-edge")[0]?.fix).toEqual({ kind: "remove-edge", edgeId: "shortcut" });
  });

  it("reports nodes that need a node to both succeed and fail", () => {
    const plan = buildPlan(
      [shell("a"), shell("ok"), shell("recover"), shell("join"), shell("after")],
      ["a->ok", "a-failure->recover", "ok->join", "recover->join", "join->after"],
    );
    const hazards = hazardsOf(plan, "never-runs");
    expect(hazards).toEqual([expect.objectContaining({ nodeIds: ["join", "after"], severity: "warning" })]);
    expect(hazards[0]?.message).toContain('"a"');
  });

  it.each([
    ["joined by an always edge", ["a->ok", "a-failure->recover", "ok-always->join", "recover->join"]],
    ["only a failure branch", ["a-failure->recover", "recover->join"]],
    ["a cleanup after both branches", ["a->ok", "a-failure->recover", "ok-always->join", "recover-always->join"]],
  ])("does not report reachable nodes: %s", (_name, edges) => {
    const plan = buildPlan([shell("a"), shell("ok"), shell("recover"), shell("join")], edges);
    expect(hazardsOf(plan, "never-runs")).toEqual([]);
  });

  it("reports a cycle in an unvalidated plan and leaves its nodes unscheduled", () => {
    const plan = buildPlan([shell("a"), shell("b"), shell("c"), shell("free")], ["a->b", "b->a", "b->c"]);
    const result = optimizePlan(plan);
    expect(result.hazards).toEqual([expect.objectContaining({ code: "cycle", severity: "error", nodeIds: ["a", "b"] })]);
    expect(result.waves).toEqual([["free"]]);
    expect(result.notes).toEqual(["3 node(s) are on or after a cycle and were not scheduled."]);
  });

  it("lists at most maxHazardsPerCode hazards and counts the rest", () => {
    const nodes = Array.from({ length: 6 }, (_, index) => write(`w${index}`, "same.txt"));
    const result = optimizePlan(buildPlan(nodes), { bounds: { maxHazardsPerCode: 2 } });
    expect(result.hazards).toHaveLength(2);
    expect(result.notes).toEqual(['3 more "unordered-writes" hazard(s) were found but not listed (2 are).']);
  });

  it("says when the implied-edge check is skipped for size", () => {
    const result = optimizePlan(buildPlan([shell("a"), shell("b")], ["a->b"]), { bounds: { impliedEdgeMaxNodes: 1 } });
    expect(result.notes).toEqual(["Implied edges were not looked for: the check runs on plans of up to 1 nodes."]);
  });
});
