import { describe, expect, it } from "vitest";
import type { RunEvent, RunEventInput } from "../run-events/run-events";
import { applyRunEvents, initialRunViewState, OUTPUT_TAIL_BYTES, runFileChanges } from "./run-view-state";

let seq = 0;
const at = (ms: number) => ms;
function event(fields: RunEventInput & { at: number }): RunEvent {
  seq += 1;
  return { runId: "run-1", seq, ...fields };
}

function retriedThenSucceeded(): RunEvent[] {
  seq = 0;
  return [
    event({ type: "run.status", status: "running", at: at(0) }),
    event({ type: "node.status", nodeId: "build", status: "running", attempt: 1, batchId: "w0:shell", at: at(10) }),
    event({ type: "node.output", nodeId: "build", stream: "stderr", data: "boom\n", at: at(20) }),
    event({
      type: "node.retry",
      nodeId: "build",
      attempt: 1,
      delayMs: 5,
      error: { code: "exit-code", message: "exited with 1" },
      at: at(30),
    }),
    event({ type: "node.status", nodeId: "build", status: "running", attempt: 2, at: at(40) }),
    event({ type: "node.output", nodeId: "build", stream: "stdout", data: "ok\n", at: at(50) }),
    event({ type: "file.change", nodeId: "write", path: "a.txt", operation: "create", diff: "+a", at: at(55) }),
    event({ type: "node.status", nodeId: "write", status: "succeeded", attempt: 1, reused: true, at: at(56) }),
    event({ type: "node.status", nodeId: "build", status: "succeeded", attempt: 2, durationMs: 25, result: { exitCode: 0 }, at: at(65) }),
    event({ type: "node.status", nodeId: "deploy", status: "skipped", attempt: 0, at: at(66) }),
    event({ type: "run.status", status: "succeeded", at: at(70) }),
  ];
}

describe("run view state", () => {
  it("keeps the atomic batches recovery rolled back after the runner stopped mid-batch, once each", () => {
    seq = 0;
    const running = event({ type: "run.status", status: "running", at: at(0) });
    // A batch rolled back because one of its members failed is explained on that member, not here.
    const failedBatch = event({
      type: "batch.status",
      batchId: "w0:file-change",
      kind: "file-change",
      status: "rolled-back",
      nodeIds: ["x"],
      at: at(1),
    });
    const rolledBack = event({
      type: "batch.status",
      batchId: "w1:file-change",
      kind: "file-change",
      status: "rolled-back",
      nodeIds: ["a", "b", "c"],
      interrupted: true,
      at: at(5),
    });
    const { seq: _first, ...sameRollBack } = rolledBack;
    const events = [running, failedBatch, rolledBack, event(sameRollBack)];
    const state = applyRunEvents(initialRunViewState(["a", "b", "c", "x"]), events);
    expect(state.interruptedBatches).toEqual([{ batchId: "w1:file-change", nodeCount: 3 }]);
    // Resumed: the stop's error goes with its status.
    const stopped = applyRunEvents(state, [
      event({ type: "run.status", status: "interrupted", error: "The runner stopped during the run", at: at(6) }),
    ]);
    expect(stopped.error).toBe("The runner stopped during the run");
    expect(applyRunEvents(stopped, [event({ type: "run.status", status: "running", at: at(7) })]).error).toBeUndefined();
  });

  it("folds node statuses, attempts, output, file changes and run timing", () => {
    const state = applyRunEvents(initialRunViewState(["build", "write", "deploy"]), retriedThenSucceeded());
    expect(state).toMatchObject({ status: "succeeded", startedAt: 0, finishedAt: 70, lastSeq: 11 });
    const build = state.nodes.build;
    expect(build?.status).toBe("succeeded");
    expect(build?.spans).toEqual([
      { attempt: 1, startedAt: 10, finishedAt: 30, status: "failed", error: { code: "exit-code", message: "exited with 1" } },
      { attempt: 2, startedAt: 40, finishedAt: 65, status: "succeeded" },
    ]);
    expect(build?.output.map((chunk) => chunk.data).join("")).toBe("boom\nok\n");
    expect(build?.batchId).toBe("w0:shell");
    expect(build?.error).toBeUndefined();
    expect(state.nodes.write).toMatchObject({
      status: "succeeded",
      reused: true,
      fileChanges: [{ path: "a.txt", operation: "create", diff: "+a" }],
    });
    expect(state.nodes.deploy).toMatchObject({ status: "skipped", spans: [] });
  });

  it("ends identical however the stream is cut into frames, and ignores replayed events", () => {
    const events = retriedThenSucceeded();
    const whole = applyRunEvents(initialRunViewState(["build", "write", "deploy"]), events);
    for (const frame of [1, 2, 3, 5]) {
      let state = initialRunViewState(["build", "write", "deploy"]);
      for (let start = 0; start < events.length; start += frame) state = applyRunEvents(state, events.slice(start, start + frame));
      expect(state).toEqual(whole);
    }
    // A reconnect that replays from an earlier point changes nothing.
    expect(applyRunEvents(whole, events.slice(4))).toBe(whole);
  });

  it("keeps only a bounded tail of output in memory", () => {
    seq = 0;
    const chunk = "x".repeat(64 * 1024);
    const flood = Array.from({ length: 20 }, () => event({ type: "node.output", nodeId: "noisy", stream: "stdout", data: chunk, at: 1 }));
    const noisy = applyRunEvents(initialRunViewState(["noisy"]), flood).nodes.noisy;
    expect(noisy?.outputBytes).toBeLessThanOrEqual(OUTPUT_TAIL_BYTES);
    expect(noisy?.outputTrimmed).toBe(true);
  });

  it("shows a merged edit's one write on every node whose edit it holds", () => {
    seq = 0;
    const state = applyRunEvents(initialRunViewState(["e1", "e2", "e3"]), [
      event({ type: "file.change", nodeId: "e3", nodeIds: ["e1", "e3"], path: "f.ts", operation: "update", diff: "-a\n+b\n", at: 1 }),
    ]);
    expect(state.nodes.e1?.fileChanges).toEqual([{ path: "f.ts", operation: "update", diff: "-a\n+b\n" }]);
    expect(state.nodes.e3?.fileChanges).toHaveLength(1);
    expect(state.nodes.e2?.fileChanges).toEqual([]);
  });

  it("lists every change of the run once, in journal order", () => {
    seq = 0;
    const state = applyRunEvents(initialRunViewState(["w", "e1", "e2"]), [
      event({ type: "file.change", nodeId: "e2", nodeIds: ["e1", "e2"], path: "f.ts", operation: "update", changeSeq: 2, at: 2 }),
      event({ type: "file.change", nodeId: "w", path: "a.ts", operation: "create", changeSeq: 1, at: 1 }),
    ]);
    expect(runFileChanges(state).map((change) => [change.changeSeq, change.path])).toEqual([
      [1, "a.ts"],
      [2, "f.ts"],
    ]);
  });

  it("gives a node that finished without a running event (a merged edit) a span from its duration", () => {
    seq = 0;
    const state = applyRunEvents(initialRunViewState(["e1", "e2"]), [
      event({ type: "node.status", nodeId: "e1", status: "succeeded", attempt: 1, durationMs: 4, at: 10 }),
      event({ type: "node.status", nodeId: "e2", status: "skipped", attempt: 0, at: 10 }),
    ]);
    expect(state.nodes.e1?.spans).toEqual([{ attempt: 1, startedAt: 6, finishedAt: 10, status: "succeeded" }]);
    expect(state.nodes.e2?.spans).toEqual([]);
  });

  it("does not copy state when nothing new arrives", () => {
    const state = initialRunViewState(["a"]);
    expect(applyRunEvents(state, [])).toBe(state);
  });
});

describe("a retry's carried-over nodes", () => {
  it("start as reused successes and stay so while the retried nodes run", () => {
    seq = 0;
    const state = applyRunEvents(
      initialRunViewState(["kept", "again"], [{ nodeId: "kept", status: "succeeded", attempt: 1, result: { exitCode: 0 } }]),
      [
        event({ type: "node.status", nodeId: "again", status: "running", attempt: 1, at: 5 }),
        event({ type: "node.status", nodeId: "again", status: "succeeded", attempt: 1, at: 9 }),
      ],
    );
    expect(state.nodes.kept).toMatchObject({ status: "succeeded", reused: true, result: { exitCode: 0 }, spans: [] });
    expect(state.nodes.again).toMatchObject({ status: "succeeded", reused: false });
  });
});
