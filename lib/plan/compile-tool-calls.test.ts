import { describe, expect, it } from "vitest";
import { compileToolCalls } from "./compile-tool-calls";
import { optimizePlan } from "./optimize-plan";

const edit = (file_path: string, old_string = "a", new_string = "b") => ({ name: "Edit", input: { file_path, old_string, new_string } });
const edgesOf = (result: ReturnType<typeof compileToolCalls>) =>
  result.ok ? result.plan.edges.map((edge) => `${edge.from}>${edge.to}`) : result.problems;

describe("compileToolCalls", () => {
  it("runs edits of different files side by side and a command after all of them", () => {
    const compiled = compileToolCalls([
      edit("src/a.ts"),
      edit("src/b.ts"),
      { name: "Bash", input: { command: "npm test" } },
      { name: "Read", input: { file_path: "src/a.ts" } },
    ]);
    expect(edgesOf(compiled)).toEqual(["call1-edit>call2-bash", "call0-edit>call2-bash", "call2-bash>call3-read"]);
    if (!compiled.ok) throw new Error("expected a plan");
    expect(compiled.plan.settings.fileBatchMode).toBe("independent");
    expect(compiled.plan.edges.every((edge) => edge.when === "always")).toBe(true);
    expect(optimizePlan(compiled.plan).waves).toEqual([["call0-edit", "call1-edit"], ["call2-bash"], ["call3-read"]]);
  });

  it("orders calls on the same path in list order and leaves out edges implied by others", () => {
    const compiled = compileToolCalls([
      { name: "Write", input: { file_path: "a.txt", content: "a\n" } },
      edit("a.txt"),
      { name: "Read", input: { file_path: "a.txt", offset: 2, limit: 5 } },
      { name: "Read", input: { file_path: "b.txt" } },
    ]);
    expect(edgesOf(compiled)).toEqual(["call0-write>call1-edit", "call1-edit>call2-read"]);
    expect(compiled.ok && compiled.calls[2]).toEqual({ callIndex: 2, name: "Read", nodeId: "call2-read" });
    const read = compiled.ok ? compiled.plan.nodes[2] : undefined;
    expect(read?.type === "file.read" && read.params).toMatchObject({ paths: ["a.txt"], offset: 2, limit: 5 });
  });

  it("makes a Grep wait only for earlier writes its path and glob cover", () => {
    const compiled = compileToolCalls([
      { name: "Write", input: { file_path: "src/x.ts", content: "x" } },
      { name: "Write", input: { file_path: "docs/x.md", content: "x" } },
      { name: "Grep", input: { pattern: "x+", path: "src", glob: "*.ts", "-i": true } },
      { name: "Grep", input: { pattern: "x", glob: "*.py" } },
    ]);
    expect(edgesOf(compiled)).toEqual(["call0-write>call2-grep"]);
    const search = compiled.ok ? compiled.plan.nodes[2] : undefined;
    expect(search?.type === "search" && search.params).toMatchObject({
      glob: "src/**/*.ts",
      regex: true,
      caseSensitive: false,
      output: "files",
    });
    const modes = compileToolCalls(["content", "count"].map((output_mode) => ({ name: "Grep", input: { pattern: "x", output_mode } })));
    expect(modes.ok && modes.plan.nodes.map((node) => node.type === "search" && node.params.output)).toEqual(["lines", "count"]);
  });

  it("maps absolute paths inside the workspace and names the call of one outside it", () => {
    const inside = compileToolCalls([edit("/srv/ws/src/a.ts")], { workspaceRoot: "/srv/ws" });
    expect(inside.ok && inside.plan.nodes[0]?.type === "file.edit" && inside.plan.nodes[0].params.path).toBe("src/a.ts");
    const outside = compileToolCalls([edit("src/a.ts"), edit("/etc/passwd")], { workspaceRoot: "/srv/ws" });
    expect(outside).toEqual({
      ok: false,
      problems: [{ callIndex: 1, field: "file_path", message: 'Call 1 (file_path): "/etc/passwd" is outside the workspace /srv/ws' }],
    });
    const escaping = compileToolCalls([edit("../x")]);
    expect(!escaping.ok && escaping.problems[0]).toMatchObject({ callIndex: 0, field: "file_path" });
  });

  it("names the index of calls it cannot map: unknown tools, unknown options, missing fields", () => {
    expect(compileToolCalls([edit("a"), { name: "Glob", input: { pattern: "*" } }])).toMatchObject({
      ok: false,
      problems: [{ callIndex: 1, field: "name" }],
    });
    const unknownOption = compileToolCalls([{ name: "Grep", input: { pattern: "x", "-A": 3 } }]);
    expect(!unknownOption.ok && unknownOption.problems[0]?.callIndex).toBe(0);
    expect(!unknownOption.ok && unknownOption.problems[0]?.message).toContain("-A");
    expect(compileToolCalls([edit("a"), edit("b"), { name: "Write", input: { file_path: "c" } }])).toMatchObject({
      ok: false,
      problems: [{ callIndex: 2, field: "content" }],
    });
    expect(compileToolCalls([{ name: "Grep", input: { pattern: "(a+)+$" } }])).toMatchObject({ ok: false, problems: [{ callIndex: 0 }] });
  });
});
