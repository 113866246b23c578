/**
 * Retry with a revised plan and undo of a retry chain, on the real runner
 * and real files.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { PlanDocument } from "../plan/schema";
import { retryWithRevisedPlan } from "./retry-with-plan";
import { memoryResources, plan, runPlan, temporaryDirectory } from "./testing/harness";
import { undoRun } from "./undo";

let workspace: ReturnType<typeof temporaryDirectory>;
afterEach(() => workspace?.cleanup());

const original = (find: string) =>
  plan({
    // Independent, so the failed edit does not roll the write back.
    settings: { fileBatchMode: "independent" },
    nodes: [
      { id: "write", type: "file.write", params: { path: "a.txt", content: "new a\n" } },
      { id: "edit", type: "file.edit", params: { path: "b.txt", edits: [{ find, replace: "fixed" }] } },
      { id: "check", type: "shell", params: { command: "cat a.txt b.txt" } },
      { id: "other", type: "shell", params: { command: "echo independent" } },
    ],
    edges: [
      { from: "write", to: "check" },
      { from: "edit", to: "check" },
    ],
  });

async function retry(resources: ReturnType<typeof memoryResources>, runId: string, revised: PlanDocument) {
  const planVersionId = `revision${resources.plans.size + 1}`;
  resources.plans.set(planVersionId, revised);
  return (await retryWithRevisedPlan(resources, runId, { plan: revised, planVersionId })).done;
}

describe("retry with a revised plan", () => {
  it("reruns failed, skipped and changed nodes and their dependents, reuses unchanged successes, and undo restores the whole chain", async () => {
    workspace = temporaryDirectory();
    writeFileSync(path.join(workspace.dir, "b.txt"), "broken\n");
    const resources = memoryResources();
    const first = (await runPlan(resources, original("typo"), workspace.dir)).outcome;
    expect(first.status).toBe("failed");

    const fixed = await retry(resources, first.runId, original("broken"));
    expect(fixed.status).toBe("succeeded");
    const reused = Object.fromEntries([...fixed.nodes.values()].map((node) => [node.nodeId, node.reused]));
    expect(reused).toEqual({ write: true, edit: false, check: false, other: true });
    expect(readFileSync(path.join(workspace.dir, "b.txt"), "utf8")).toBe("fixed\n");

    // A changed definition reruns that node and everything downstream of it.
    const changed = original("broken");
    changed.nodes[3] = { ...(changed.nodes[3] as PlanDocument["nodes"][number]), label: "renamed label" };
    const again = await retry(resources, fixed.runId, changed);
    expect([...again.nodes.values()].filter((node) => !node.reused).map((node) => node.nodeId)).toEqual(["other"]);

    // The chain's changes: a.txt from the first run, b.txt from the retry.
    const undone = await undoRun(resources, again.runId);
    expect(undone.restored.sort()).toEqual(["a.txt", "b.txt"]);
    expect(existsSync(path.join(workspace.dir, "a.txt"))).toBe(false);
    expect(readFileSync(path.join(workspace.dir, "b.txt"), "utf8")).toBe("broken\n");
    await expect(undoRun(resources, again.runId)).rejects.toThrow(
      /Nothing to undo: the file changes of run .* and the runs it retried .* were already undone/,
    );
  });

  it("refuses a revision that drops or renames a node whose changes are still in the workspace", async () => {
    workspace = temporaryDirectory();
    writeFileSync(path.join(workspace.dir, "b.txt"), "broken\n");
    const resources = memoryResources();
    const first = (await runPlan(resources, original("typo"), workspace.dir)).outcome;
    const renamed = original("broken");
    renamed.nodes[0] = { ...(renamed.nodes[0] as PlanDocument["nodes"][number]), id: "write-a" };
    renamed.edges[0] = { from: "write-a", to: "check", when: "success" };
    await expect(retry(resources, first.runId, renamed)).rejects.toThrow(
      `The revised plan drops or renames node "write", which changed a.txt in run ${first.runId}`,
    );
    expect(readFileSync(path.join(workspace.dir, "b.txt"), "utf8")).toBe("broken\n");
  });

  it("refuses to undo a run that changed no files instead of reporting success", async () => {
    workspace = temporaryDirectory();
    const resources = memoryResources();
    const { outcome } = await runPlan(
      resources,
      plan({ nodes: [{ id: "echo", type: "shell", params: { command: "true" } }] }),
      workspace.dir,
    );
    await expect(undoRun(resources, outcome.runId)).rejects.toThrow(`Nothing to undo: run ${outcome.runId} changed no files`);
  });
});
