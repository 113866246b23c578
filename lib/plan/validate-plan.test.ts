import { describe, expect, it } from "vitest";
import { validatePlan, type PlanValidation } from "./validate-plan";
import { PlanProblem } from "./plan-problem";
import { edit, planInput, read, search, shell, write, type NodeInput } from "./testing/plan-builders";

function problemsOf(result: PlanValidation): PlanProblem[] {
  return result.ok ? [] : result.problems;
}

function codes(input: unknown): string[] {
  return problemsOf(validatePlan(input)).map((problem) => problem.code);
}

describe("validatePlan: a valid plan", () => {
  it("returns the parsed plan with defaults filled in", () => {
    const result = validatePlan(planInput([write("a", "src/a.ts"), shell("b")], ["a->b"]));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.plan.settings.concurrency).toBe(8);
    expect(result.plan.edges[0]).toEqual({ from: "a", to: "b", when: "success" });
    expect(result.warnings).toEqual([]);
  });
});

describe("validatePlan: graph rules", () => {
  it.each([
    ["duplicate node ids", planInput([shell("a"), shell("a")]), "duplicate-node-id", { nodeId: "a", path: ["nodes", 1, "id"] }],
    ["an edge to a missing node", planInput([shell("a")], ["a->ghost"]), "missing-node", { edgeId: "a->ghost", path: ["edges", 0, "to"] }],
    ["an edge from a missing node", planInput([shell("a")], ["ghost->a"]), "missing-node", { path: ["edges", 0, "from"] }],
    ["a self-loop", planInput([shell("a")], ["a->a"]), "self-loop", { edgeId: "a->a", path: ["edges", 0] }],
    ["a repeated edge", planInput([shell("a"), shell("b")], ["a->b", "a-always->b"]), "duplicate-edge", { path: ["edges", 1] }],
    [
      "a repeated edge id",
      planInput(
        [shell("a"), shell("b"), shell("c")],
        [
          { id: "e", from: "a", to: "b" },
          { id: "e", from: "b", to: "c" },
        ],
      ),
      "duplicate-edge-id",
      { edgeId: "e", path: ["edges", 1, "id"] },
    ],
    [
      "an explicit id equal to another edge's implicit id",
      planInput([shell("a"), shell("b"), shell("c")], [{ id: "a->b", from: "b", to: "c" }, "a->b"]),
      "duplicate-edge-id",
      { path: ["edges", 1] },
    ],
  ])("reports %s", (_name, input, code, location) => {
    const problems = problemsOf(validatePlan(input));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code, ...location, severity: "error" });
  });

  it("reports a cycle with its nodes in order", () => {
    const problems = problemsOf(
      validatePlan(planInput([shell("a"), shell("b"), shell("c"), shell("d")], ["d->a", "a->b", "b->c", "c->a"])),
    );
    expect(problems).toHaveLength(1);
    const [cycle] = problems;
    expect(cycle?.code).toBe("cycle");
    expect(cycle?.nodeIds).toEqual(["a", "b", "c"]);
    expect(cycle?.edgeId).toBe("c->a");
    expect(cycle?.message).toContain('"a" → "b" → "c" → "a"');
  });

  it("reports separate cycles separately", () => {
    const problems = problemsOf(
      validatePlan(planInput([shell("a"), shell("b"), shell("c"), shell("d")], ["a->b", "b->a", "c->d", "d->c"])),
    );
    expect(problems.map((problem) => problem.nodeIds)).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
  });

  it("finds a cycle in a 100k-node chain without overflowing the stack", () => {
    const count = 100_000;
    const nodes = Array.from({ length: count }, (_, index) => shell(`n${index}`));
    const edges = Array.from({ length: count }, (_, index) => `n${index}->n${(index + 1) % count}`);
    const problems = problemsOf(validatePlan(planInput(nodes, edges)));
    expect(problems.map((problem) => problem.code)).toEqual(["cycle"]);
    expect(problems[0]?.nodeIds).toHaveLength(count);
  });
});

describe("validatePlan: node rules", () => {
  it.each<[string, NodeInput, string, (string | number)[]]>([
    ["an absolute write path", write("a", "/etc/passwd"), "absolute-path", ["nodes", 0, "params", "path"]],
    ["an escaping edit path", edit("a", "../outside.ts"), "path-escapes-workspace", ["nodes", 0, "params", "path"]],
    ["an empty path", write("a", ""), "empty-path", ["nodes", 0, "params", "path"]],
    ["a NUL byte", write("a", "a\0b"), "invalid-path-character", ["nodes", 0, "params", "path"]],
    ["a drive letter", write("a", "C:\\x"), "absolute-path", ["nodes", 0, "params", "path"]],
    [
      "a move target outside",
      { id: "a", type: "file.move", params: { from: "x", to: "../y" } },
      "path-escapes-workspace",
      ["nodes", 0, "params", "to"],
    ],
    ["an absolute read path", read("a", ["ok.ts", "/abs"]), "absolute-path", ["nodes", 0, "params", "paths", 1]],
    ["an escaping read glob", read("a", [], "../**"), "path-escapes-workspace", ["nodes", 0, "params", "glob"]],
    ["an escaping search glob", search("a", "../../**/*"), "path-escapes-workspace", ["nodes", 0, "params", "glob"]],
    ["a malformed glob", search("a", "src/[abc"), "invalid-glob", ["nodes", 0, "params", "glob"]],
    ["a shell cwd outside", shell("a", "ls", { params: { command: "ls", cwd: "/tmp" } }), "absolute-path", ["nodes", 0, "params", "cwd"]],
    [
      "an invalid search regex",
      search("a", "**/*", "(unclosed", { params: { pattern: "(unclosed", regex: true, glob: "**/*" } }),
      "invalid-regex",
      ["nodes", 0, "params", "pattern"],
    ],
    [
      "a catastrophic search regex",
      search("a", "**/*", "", { params: { pattern: "(a+)+$", regex: true, glob: "**/*" } }),
      "catastrophic-regex",
      ["nodes", 0, "params", "pattern"],
    ],
    [
      "a catastrophic readyWhen regex",
      shell("a", "serve", { params: { command: "serve", background: true, readyWhen: { output: "(.*)*ready" } } }),
      "catastrophic-regex",
      ["nodes", 0, "params", "readyWhen", "output"],
    ],
    [
      "an invalid readyWhen regex",
      shell("a", "serve", { params: { command: "serve", background: true, readyWhen: { output: "[" } } }),
      "invalid-regex",
      ["nodes", 0, "params", "readyWhen", "output"],
    ],
  ])("reports %s", (_name, node, code, path) => {
    const problems = problemsOf(validatePlan(planInput([node])));
    expect(problems).toEqual([expect.objectContaining({ code, path, nodeId: "a", severity: "error" })]);
    expect(problems[0]?.message.length).toBeGreaterThan(20);
  });

  it("does not treat a literal search pattern as a regex", () => {
    expect(validatePlan(planInput([search("a", "**/*", "(a+)+")])).ok).toBe(true);
  });

  it.each([
    ["readyWhen without background", shell("a", "x", { params: { command: "x", readyWhen: { port: 3000 } } }), "ignored-setting"],
    ["keepRunning without background", shell("a", "x", { params: { command: "x", keepRunning: true } }), "ignored-setting"],
    ["a read of nothing", read("a", []), "reads-nothing"],
  ])("warns about %s without failing", (_name, node, code) => {
    const result = validatePlan(planInput([node]));
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([expect.objectContaining({ code, nodeId: "a", severity: "warning" })]);
  });
});

describe("validatePlan: limits", () => {
  it("limits the node count before parsing", () => {
    const input = planInput([shell("a"), shell("b"), shell("c")]);
    expect(codes(input)).toEqual([]);
    const result = validatePlan(input, { limits: { maxNodes: 2 } });
    expect(problemsOf(result)).toEqual([expect.objectContaining({ code: "too-many-nodes", path: ["nodes"] })]);
  });

  it("limits the edge count", () => {
    const result = validatePlan(planInput([shell("a"), shell("b"), shell("c")], ["a->b", "b->c"]), { limits: { maxEdges: 1 } });
    expect(problemsOf(result).map((problem) => problem.code)).toEqual(["too-many-edges"]);
  });

  it("limits content size in UTF-8 bytes", () => {
    const node = write("a", "big.txt", { params: { path: "big.txt", content: "é".repeat(600) } });
    expect(validatePlan(planInput([node]), { limits: { maxContentBytes: 1_200 } }).ok).toBe(true);
    const result = validatePlan(planInput([node]), { limits: { maxContentBytes: 1_000 } });
    expect(problemsOf(result)).toEqual([
      expect.objectContaining({ code: "content-too-large", nodeId: "a", path: ["nodes", 0, "params", "content"] }),
    ]);
  });

  it("limits the whole plan's size", () => {
    const nodes = Array.from({ length: 20 }, (_, index) => write(`n${index}`, `f${index}`));
    const result = validatePlan(planInput(nodes), { limits: { maxPlanSize: 1_000 } });
    expect(problemsOf(result).map((problem) => problem.code)).toEqual(["plan-too-large"]);
    // The length of the text it came from decides the same way: it only spares the estimate where it cannot matter.
    const text = JSON.stringify(planInput(nodes));
    const fromText = validatePlan(JSON.parse(text), { limits: { maxPlanSize: 1_000 }, jsonLength: text.length });
    expect(problemsOf(fromText).map((problem) => problem.code)).toEqual(["plan-too-large"]);
    expect(validatePlan(JSON.parse(text), { limits: { maxPlanSize: 9 * text.length }, jsonLength: text.length }).ok).toBe(true);
  });

  it("limits regex length", () => {
    const node = search("a", "**/*", "", { params: { pattern: "a".repeat(50), regex: true, glob: "**/*" } });
    expect(validatePlan(planInput([node])).ok).toBe(true);
    const result = validatePlan(planInput([node]), { limits: { maxRegexLength: 10 } });
    expect(problemsOf(result).map((problem) => problem.code)).toEqual(["pattern-too-long"]);
  });
});

describe("validatePlan: shape problems", () => {
  it.each([
    [null, "invalid-input"],
    [[], "invalid-input"],
    ["plan", "invalid-input"],
    [42, "invalid-input"],
  ])("rejects %j as a whole", (input, code) => {
    expect(codes(input)).toEqual([code]);
  });

  it("names an unknown operation type", () => {
    const problems = problemsOf(validatePlan(planInput([{ id: "a", type: "file.copy", params: {} } as never])));
    expect(problems).toEqual([expect.objectContaining({ code: "unknown-operation-type", nodeId: "a", path: ["nodes", 0, "type"] })]);
    expect(problems[0]?.message).toMatch(/Unknown operation type "file.copy": use one of file.write, .*shell/);
  });

  it.each(["__proto__", "constructor", "toString"])("names an unknown operation type that is a name every object has: %s", (type) => {
    const problems = problemsOf(validatePlan(planInput([{ id: "a", type, params: { path: "a.txt" } } as never])));
    expect(problems).toEqual([expect.objectContaining({ code: "unknown-operation-type", nodeId: "a", path: ["nodes", 0, "type"] })]);
  });

  it("reports a missing type as a missing field", () => {
    expect(problemsOf(validatePlan(planInput([{ id: "a" } as never])))).toEqual([
      expect.objectContaining({ code: "missing-field", nodeId: "a", path: ["nodes", 0, "type"] }),
    ]);
  });

  it("locates shape problems on their node and edge", () => {
    const input = {
      name: "x",
      nodes: [shell("ok"), { id: "broken", type: "file.write", params: { path: 3 } }],
      edges: [{ from: "ok", to: "broken", when: "sometimes" }],
    };
    const problems = problemsOf(validatePlan(input));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: "invalid-shape", nodeId: "broken", path: ["nodes", 1, "params", "path"] }),
        expect.objectContaining({ code: "missing-field", nodeId: "broken", path: ["nodes", 1, "params", "content"] }),
        expect.objectContaining({ code: "invalid-shape", edgeId: "ok->broken", path: ["edges", 0, "when"] }),
      ]),
    );
    const pathProblem = problems.find((problem) => problem.path.join(".") === "nodes.1.params.path");
    expect(pathProblem?.message).toBe('"params.path" must be a string, not a number');
  });

  it("reports graph problems alongside shape problems", () => {
    const input = { name: "", nodes: [shell("a"), shell("a"), { id: "b", type: "nope" }], edges: [{ from: "a", to: "zz" }] };
    expect(codes(input).sort()).toEqual(["duplicate-node-id", "invalid-shape", "missing-node", "unknown-operation-type"]);
  });

  it("describes a malformed readyWhen: an unknown key by name, two forms at once as exactly one", () => {
    const unknown = {
      id: "a",
      type: "shell",
      params: { command: "x", background: true, readyWhen: { when: "ready" } },
    } as unknown as NodeInput;
    expect(problemsOf(validatePlan(planInput([unknown])))[0]).toMatchObject({
      code: "unknown-field",
      path: ["nodes", 0, "params", "readyWhen", "when"],
      message: 'Node "a" has an unknown field "when" in its params.readyWhen; allowed here: "output", "port"',
    });
    const both = {
      id: "a",
      type: "shell",
      params: { command: "x", background: true, readyWhen: { output: "ready", port: 70_000 } },
    } as unknown as NodeInput;
    expect(problemsOf(validatePlan(planInput([both])))[0]?.message).toContain(
      'exactly one of {"output": "<regular expression>"} or {"port": <1–65535>}',
    );
  });

  it("produces problems that satisfy the PlanProblem schema", () => {
    const input = { name: 3, nodes: [{ id: "-bad", type: "shell" }, 7], edges: [{ from: 1 }, "x"] };
    const problems = problemsOf(validatePlan(input));
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) expect(PlanProblem.parse(problem)).toEqual(problem);
  });
});

describe("validatePlan: the strict contract", () => {
  const messageOf = (input: unknown) => problemsOf(validatePlan(input)).map((problem) => `${problem.code}: ${problem.message}`);

  it("names unknown keys with the key meant, for agents' aliases, typos and dependencies", () => {
    const input = {
      name: "strict",
      settings: { concurency: 2 },
      nodes: [
        { id: "e", type: "file.edit", params: { path: "a.ts", edits: [{ old_string: "a", new_string: "b", replace_all: true }] } },
        { id: "t", type: "shell", dependsOn: ["e"], params: { comand: "make" } },
      ],
      edges: [{ from: "e", to: "t", condition: "failure" }],
    };
    expect(messageOf(input)).toEqual(
      expect.arrayContaining([
        `unknown-field: The plan's "settings" has an unknown field "concurency": did you mean "concurrency"?`,
        `unknown-field: Node "e" has an unknown field "old_string" in its edit number 1: use "find"`,
        `unknown-field: Node "e" has an unknown field "new_string" in its edit number 1: use "replace"`,
        `unknown-field: Node "e" has an unknown field "replace_all" in its edit number 1: use "all"`,
        `unknown-field: Node "t" has an unknown field "dependsOn": a plan states dependencies as edges, not on the node. Remove it and add {"from":"e","to":"t"} to the plan's "edges": the "to" node waits for the "from" node`,
        `unknown-field: Node "t" has an unknown field "comand" in its params: did you mean "command"?`,
        `unknown-field: Edge "e->t" has an unknown field "condition": use "when"`,
      ]),
    );
  });

  it("refuses an empty plan, an edit that changes nothing, a blank name, bad base64 and a __proto__ variable", () => {
    expect(codes({ name: "empty", nodes: [] })).toEqual(["empty-plan"]);
    expect(
      codes(planInput([{ id: "e", type: "file.edit", params: { path: "a", edits: [{ find: "x", replace: "x" }] } } as NodeInput])),
    ).toEqual(["edit-changes-nothing"]);
    expect(codes({ name: "   ", nodes: [shell("a")] })).toEqual(["invalid-shape"]);
    expect(
      codes(
        planInput([{ id: "w", type: "file.write", params: { path: "a.bin", content: "not base64!", encoding: "base64" } } as NodeInput]),
      ),
    ).toEqual(["invalid-content"]);
    const env = JSON.parse('{"__proto__": "x"}') as Record<string, string>;
    expect(codes(planInput([{ id: "s", type: "shell", params: { command: "env", env } } as NodeInput]))).toEqual(["invalid-shape"]);
  });

  it("accepts and drops a top-level $schema, and keeps a padded name as written", () => {
    const result = validatePlan({ $schema: "https://example.com/plan.schema.json", name: " padded ", nodes: [shell("a")] });
    expect(result.ok && result.plan).toMatchObject({ name: " padded " });
    expect(result.ok && "$schema" in result.plan).toBe(false);
  });
});
