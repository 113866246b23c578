import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RunEvent } from "../run-events/run-events";
import { memoryResources, plan, runPlan, temporaryDirectory } from "./testing/harness";

let ws: ReturnType<typeof temporaryDirectory>;
beforeEach(() => {
  ws = temporaryDirectory();
});
afterEach(() => ws.cleanup());

const shell = (id: string, command: string, extra: Record<string, unknown> = {}) => ({
  id,
  type: "shell" as const,
  params: { command },
  ...extra,
});

describe("scheduler", () => {
  it("runs a DAG in dependency order and emits a valid, ordered event stream", async () => {
    const resources = memoryResources();
    const document = plan({
      nodes: [
        { id: "write", type: "file.write", params: { path: "a.txt", content: "hello\n" } },
        shell("append", "echo world >> a.txt"),
        { id: "edit", type: "file.edit", params: { path: "a.txt", edits: [{ find: "hello", replace: "HELLO" }] } },
        { id: "search", type: "search", params: { pattern: "world" } },
      ],
      edges: [
        { from: "write", to: "append" },
        { from: "append", to: "edit" },
        { from: "edit", to: "search" },
      ],
    });
    const { outcome } = await runPlan(resources, document, ws.dir);
    expect(outcome.status).toBe("succeeded");
    expect(readFileSync(path.join(ws.dir, "a.txt"), "utf8")).toBe("HELLO\nworld\n");
    const search = outcome.nodes.get("search")?.result as { matches: Array<{ path: string; line: number }> };
    expect(search.matches).toEqual([expect.objectContaining({ path: "a.txt", line: 2 })]);
    const events = resources.events.filter((event) => event.runId === outcome.runId);
    events.forEach((event, index) => {
      expect(event.seq).toBe(index + 1);
      expect(RunEvent.safeParse(JSON.parse(JSON.stringify(event))).success).toBe(true);
    });
    const stored = await resources.store.loadRun(outcome.runId);
    expect(stored?.status).toBe("succeeded");
    expect(stored?.lastEventSeq).toBe(events.length);
  });

  it("continue policy: skips dependents of a failure, independent branches go on; failure/always edges fire", async () => {
    const resources = memoryResources();
    const document = plan({
      nodes: [shell("bad", "exit 3"), shell("after", "true"), shell("other", "true"), shell("onFail", "true"), shell("cleanup", "true")],
      edges: [
        { from: "bad", to: "after" },
        { from: "bad", to: "onFail", when: "failure" },
        { from: "after", to: "cleanup", when: "always" },
      ],
    });
    const { outcome } = await runPlan(resources, document, ws.dir);
    const status = (id: string) => outcome.nodes.get(id)?.status;
    expect(outcome.status).toBe("failed");
    expect([status("bad"), status("after"), status("other"), status("onFail"), status("cleanup")]).toEqual([
      "failed",
      "skipped",
      "succeeded",
      "succeeded",
      "succeeded",
    ]);
    expect(outcome.nodes.get("bad")?.exitCode).toBe(3);
  });

  it("stop policy cancels the rest", async () => {
    const resources = memoryResources();
    const document = plan({
      settings: { failurePolicy: "stop", concurrency: 2 },
      nodes: [shell("bad", "sleep 0.05; exit 1"), shell("slow", "sleep 5"), shell("later", "true")],
      edges: [{ from: "slow", to: "later" }],
    });
    const started = Date.now();
    const { outcome } = await runPlan(resources, document, ws.dir);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(outcome.nodes.get("slow")?.status).toBe("cancelled");
    expect(outcome.nodes.get("later")?.status).toBe("cancelled");
    expect(outcome.status).toBe("failed");
  });

  it("retries with backoff until success", async () => {
    const resources = memoryResources();
    const document = plan({
      settings: { retries: 3, retryBackoffMs: 10 },
      nodes: [shell("flaky", "n=$(cat n 2>/dev/null || echo 0); n=$((n+1)); echo $n > n; [ $n -ge 3 ]")],
    });
    const { outcome } = await runPlan(resources, document, ws.dir);
    expect(outcome.status).toBe("succeeded");
    expect(outcome.nodes.get("flaky")?.attempt).toBe(3);
    expect(outcome.nodes.get("flaky")?.attempts).toHaveLength(2);
    expect(
      resources.events.filter((event) => event.type === "node.retry").map((event) => event.type === "node.retry" && event.delayMs),
    ).toEqual([10, 20]);
  });

  it("respects the per-run concurrency limit", async () => {
    const resources = memoryResources();
    const document = plan({
      settings: { concurrency: 2 },
      nodes: Array.from({ length: 6 }, (_, i) => shell(`n${i}`, "echo start >> log; sleep 0.1; echo end >> log")),
    });
    const { outcome } = await runPlan(resources, document, ws.dir);
    expect(outcome.status).toBe("succeeded");
    let running = 0;
    let peak = 0;
    for (const line of readFileSync(path.join(ws.dir, "log"), "utf8").trim().split("\n")) {
      running += line === "start" ? 1 : -1;
      peak = Math.max(peak, running);
    }
    expect(peak).toBeLessThanOrEqual(2);
  });

  it("cancels a whole run and one node", async () => {
    const resources = memoryResources();
    const document = plan({ nodes: [shell("a", "sleep 10"), shell("b", "sleep 10"), shell("c", "true")], edges: [{ from: "b", to: "c" }] });
    resources.plans.set("v1", document);
    const { startRun } = await import("./runs");
    const { RunRegistry } = await import("./run-registry");
    const registry = new RunRegistry();
    const handle = registry.track(
      await startRun(resources, { teamId: "t", planId: "p", planVersionId: "v1", startedById: "u", plan: document, directory: ws.dir }),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(registry.cancelNode(handle.runId, "a")).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(registry.cancel(handle.runId)).toBe(true);
    const outcome = await handle.done;
    expect(outcome.status).toBe("cancelled");
    expect(outcome.nodes.get("a")?.status).toBe("cancelled");
    expect(outcome.nodes.get("b")?.status).toBe("cancelled");
    expect(["cancelled", "skipped"]).toContain(outcome.nodes.get("c")?.status);
    await Promise.resolve();
    expect(registry.activeRunIds()).toEqual([]);
  });

  it("atomic file batch: one failing change rolls back the others", async () => {
    const resources = memoryResources();
    writeFileSync(path.join(ws.dir, "keep.txt"), "original");
    const document = plan({
      settings: { fileBatchMode: "atomic" },
      nodes: [
        { id: "w1", type: "file.write", params: { path: "new.txt", content: "x" } },
        { id: "w2", type: "file.write", params: { path: "keep.txt", content: "changed" } },
        { id: "bad", type: "file.edit", params: { path: "keep.txt", edits: [{ find: "nope", replace: "y" }] } },
      ],
    });
    const { outcome } = await runPlan(resources, document, ws.dir);
    expect(outcome.status).toBe("failed");
    expect(readFileSync(path.join(ws.dir, "keep.txt"), "utf8")).toBe("original");
    expect(() => readFileSync(path.join(ws.dir, "new.txt"))).toThrow();
    expect(outcome.nodes.get("w1")?.error?.code).toBe("batch-rolled-back");
    expect(await resources.store.listFileChanges(outcome.runId)).toEqual([]);
  });

  it("resolves paths afresh after a command: a directory it turned into a symlink out of the workspace is refused", async () => {
    const outside = temporaryDirectory("batchboard-outside-");
    try {
      mkdirSync(path.join(ws.dir, "dir"));
      const resources = memoryResources();
      const document = plan({
        settings: { fileBatchMode: "independent" },
        nodes: [
          { id: "first", type: "file.write", params: { path: "dir/a.txt", content: "inside\n" } },
          shell("swap", `rm -r dir && ln -s ${JSON.stringify(outside.dir)} dir`),
          { id: "second", type: "file.write", params: { path: "dir/b.txt", content: "escaped\n" } },
        ],
        edges: [
          { from: "first", to: "swap" },
          { from: "swap", to: "second" },
        ],
      });
      const { outcome } = await runPlan(resources, document, ws.dir);
      expect(outcome.nodes.get("swap")?.status).toBe("succeeded");
      expect(outcome.nodes.get("second")).toMatchObject({ status: "failed", error: { code: "path-escape" } });
      expect(readdirSync(outside.dir)).toEqual([]);
    } finally {
      outside.cleanup();
    }
  });

  it("persists in batches: far fewer writes than events", async () => {
    const resources = memoryResources({ flushIntervalMs: 50 });
    const document = plan({ settings: { concurrency: 8 }, nodes: Array.from({ length: 40 }, (_, i) => shell(`n${i}`, "true")) });
    const { outcome } = await runPlan(resources, document, ws.dir);
    expect(outcome.status).toBe("succeeded");
    const events = resources.events.filter((event) => event.runId === outcome.runId).length;
    const store = resources.store as typeof resources.store & { flushes: number };
    expect(events).toBeGreaterThan(80);
    expect(store.flushes).toBeLessThan(events / 4);
    expect((await store.loadRun(outcome.runId))?.nodes.every((node) => node.status === "succeeded")).toBe(true);
  });

  it("multi-edit units: one write, per-node results; atomic batches apply all or nothing", async () => {
    const edits = (mode: "atomic" | "independent") =>
      plan({
        settings: { fileBatchMode: mode },
        nodes: [
          { id: "e1", type: "file.edit", params: { path: "f.txt", edits: [{ find: "a", replace: "A" }] } },
          { id: "e2", type: "file.edit", params: { path: "f.txt", edits: [{ find: "missing", replace: "x" }] } },
          { id: "e3", type: "file.edit", params: { path: "f.txt", edits: [{ find: "c", replace: "C" }] } },
          { id: "s1", type: "search", params: { pattern: "b" } },
          { id: "s2", type: "search", params: { pattern: "zzz" } },
        ],
        edges: [
          { from: "e1", to: "e2" },
          { from: "e2", to: "e3" },
        ],
      });
    const resources = memoryResources();
    writeFileSync(path.join(ws.dir, "f.txt"), "a b c\n");
    const independent = await runPlan(resources, edits("independent"), ws.dir);
    const status = (outcome: typeof independent.outcome, id: string) => outcome.nodes.get(id)?.status;
    expect(["e1", "e2", "e3"].map((id) => status(independent.outcome, id))).toEqual(["succeeded", "failed", "skipped"]);
    expect(independent.outcome.nodes.get("e2")?.error).toMatchObject({ code: "edit-not-found", editIndex: 0 });
    expect(readFileSync(path.join(ws.dir, "f.txt"), "utf8")).toBe("A b c\n");
    // The one write is journalled under the unit's last node and names the node whose edit it holds.
    const changes = resources.events.filter((event) => event.type === "file.change" && event.runId === independent.outcome.runId);
    expect(changes).toMatchObject([{ nodeId: "e3", nodeIds: ["e1"], path: "f.txt", operation: "update", changeSeq: 1 }]);
    expect(changes[0]).not.toHaveProperty("diff");
    expect(independent.outcome.nodes.get("e1")?.result).toEqual({ path: "f.txt", replacements: 1 });
    expect((independent.outcome.nodes.get("s1")?.result as { matches: unknown[] }).matches).toHaveLength(1);
    expect((independent.outcome.nodes.get("s2")?.result as { matches: unknown[] }).matches).toHaveLength(0);

    writeFileSync(path.join(ws.dir, "f.txt"), "a b c\n");
    const atomic = await runPlan(resources, edits("atomic"), ws.dir);
    expect(["e1", "e2", "e3"].map((id) => status(atomic.outcome, id))).toEqual(["failed", "failed", "skipped"]);
    expect(atomic.outcome.nodes.get("e1")?.error?.code).toBe("batch-rolled-back");
    expect(readFileSync(path.join(ws.dir, "f.txt"), "utf8")).toBe("a b c\n");
  });
});
