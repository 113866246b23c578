/**
 * The run report on the real runner and real files: failures with their
 * codes, why skipped nodes were skipped, which node rolled a batch back,
 * diffs inline or linked, a dry run's diffs, the retry section; and a
 * compiled tool-call batch whose result equals the calls run one by one.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { compileToolCalls } from "../plan/compile-tool-calls";
import { loadRunReport } from "./build-run-report";
import { RunReport } from "./run-report";
import { memoryResources, plan, runPlan, temporaryDirectory } from "./testing/harness";

let workspace: ReturnType<typeof temporaryDirectory>;
afterEach(() => workspace?.cleanup());

async function reportOf(resources: ReturnType<typeof memoryResources>, runId: string, diffLimitChars?: number) {
  return RunReport.parse(await loadRunReport(resources.store, runId, { diffLimitChars }));
}

describe("run report", () => {
  it("says what failed, why dependents were skipped, what was rolled back and what a retry would run", async () => {
    workspace = temporaryDirectory();
    writeFileSync(path.join(workspace.dir, "a.txt"), "alpha\n");
    const resources = memoryResources();
    const document = plan({
      nodes: [
        { id: "w1", type: "file.write", params: { path: "one.txt", content: "1\n".repeat(50) } },
        { id: "e1", type: "file.edit", params: { path: "a.txt", edits: [{ find: "missing", replace: "x" }] } },
        { id: "build", type: "shell", params: { command: "echo building; echo oops >&2; exit 3" } },
        { id: "test", type: "shell", params: { command: "echo never" } },
        { id: "after-test", type: "shell", params: { command: "echo never" } },
      ],
      edges: [
        { from: "build", to: "test" },
        { from: "test", to: "after-test" },
      ],
    });
    const { outcome } = await runPlan(resources, document, workspace.dir);
    const report = await reportOf(resources, outcome.runId, 40);
    const node = (id: string) => report.nodes.find((candidate) => candidate.id === id);
    expect(report.status).toBe("failed");
    expect(node("build")).toMatchObject({
      status: "failed",
      exitCode: 3,
      output: { stdout: "building\n", stderr: "oops\n" },
      error: { code: "exit-code" },
    });
    expect(node("test")).toMatchObject({ status: "skipped", skipped: '"build" failed' });
    expect(node("after-test")?.skipped).toBe('"test" was skipped');
    expect(node("e1")).toMatchObject({ status: "failed", error: { code: "edit-not-found", editIndex: 0 } });
    // w1 and e1 share an atomic file batch: e1's failure rolled w1's write back.
    expect(node("w1")).toMatchObject({ status: "failed", rolledBackBy: ["e1"], error: { code: "batch-rolled-back" } });
    expect(report.rollbacks).toEqual([{ batchId: node("w1")?.batchId, causedBy: ["e1"], nodeIds: ["w1"] }]);
    expect(report.retry.nodeIds.sort()).toEqual(["after-test", "build", "e1", "test", "w1"]);
  });

  it("inlines short diffs, links long ones, and carries a dry run's diffs", async () => {
    workspace = temporaryDirectory();
    const resources = memoryResources();
    const document = plan({
      nodes: [
        { id: "short", type: "file.write", params: { path: "s.txt", content: "hi\n" } },
        { id: "long", type: "file.write", params: { path: "l.txt", content: "line\n".repeat(100) } },
      ],
    });
    const real = await runPlan(resources, document, workspace.dir);
    const report = await reportOf(resources, real.outcome.runId, 200);
    const [short, long] = report.nodes;
    expect(short?.changes).toEqual([
      {
        path: "s.txt",
        operation: "create",
        changeSeq: expect.any(Number),
        diff: "--- /dev/null\n+++ b/s.txt\n@@ -0,0 +1,1 @@\n+hi\n",
        diffChars: 46,
        revertedAt: null,
      },
    ]);
    expect(long?.changes[0]?.diff).toBeUndefined();
    expect(long?.changes[0]?.diffUrl).toBe(`/api/v1/runs/${real.outcome.runId}/changes/${long?.changes[0]?.changeSeq}`);
    expect(report.retry).toEqual({ nodeIds: [] });

    const dry = await runPlan(
      resources,
      plan({ nodes: [{ id: "edit", type: "file.edit", params: { path: "s.txt", edits: [{ find: "hi", replace: "ho" }] } }] }),
      workspace.dir,
      { dryRun: true },
    );
    const dryReport = await reportOf(resources, dry.outcome.runId);
    expect(dryReport.dryRun).toBe(true);
    expect(dryReport.nodes[0]?.changes[0]?.diff).toContain("-hi\n+ho\n");
    expect(readFileSync(path.join(workspace.dir, "s.txt"), "utf8")).toBe("hi\n");
  });
});

describe("compiled tool-call batches", () => {
  it("leave the workspace as the calls made one by one would, failures included", async () => {
    workspace = temporaryDirectory();
    writeFileSync(path.join(workspace.dir, "a.txt"), "one two\n");
    writeFileSync(path.join(workspace.dir, "b.txt"), "three\n");
    const calls = [
      { name: "Edit", input: { file_path: path.join(workspace.dir, "a.txt"), old_string: "one", new_string: "1" } },
      { name: "Edit", input: { file_path: "b.txt", old_string: "absent", new_string: "x" } },
      {
        name: "MultiEdit",
        input: {
          file_path: "a.txt",
          edits: [
            { old_string: "two", new_string: "2" },
            { old_string: "1 2", new_string: "1+2" },
          ],
        },
      },
      { name: "Bash", input: { command: "cat a.txt b.txt > both.txt" } },
      { name: "Write", input: { file_path: "b.txt", content: "rewritten\n" } },
      { name: "Grep", input: { pattern: "^1\\+2", glob: "*.txt", output_mode: "content" } },
      { name: "Read", input: { file_path: "both.txt" } },
    ];
    const compiled = compileToolCalls(calls, { workspaceRoot: workspace.dir, name: "refactor" });
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    const resources = memoryResources();
    const { outcome } = await runPlan(resources, compiled.plan, workspace.dir);
    const report = await reportOf(resources, outcome.runId);
    const statuses = Object.fromEntries(report.nodes.map((node) => [node.id, node.status]));
    expect(statuses).toEqual({
      "call0-edit": "succeeded",
      "call1-edit": "failed",
      "call2-multiedit": "succeeded",
      "call3-bash": "succeeded",
      "call4-write": "succeeded",
      "call5-grep": "succeeded",
      "call6-read": "succeeded",
    });
    expect(readFileSync(path.join(workspace.dir, "a.txt"), "utf8")).toBe("1+2\n");
    expect(readFileSync(path.join(workspace.dir, "b.txt"), "utf8")).toBe("rewritten\n");
    expect(readFileSync(path.join(workspace.dir, "both.txt"), "utf8")).toBe("1+2\nthree\n");
    expect(JSON.stringify(report.nodes[5]?.result)).toContain("both.txt");
  });
});
