import { describe, expect, it } from "vitest";
import { attemptsBefore, groupLineages } from "./run-lineage";

describe("attemptsBefore", () => {
  it("adds up each node's attempts over earlier runs, not counting a run's reused copies", () => {
    const counts = attemptsBefore([
      [
        { nodeId: "check", attempt: 2, reused: false },
        { nodeId: "write", attempt: 1, reused: false },
      ],
      [
        { nodeId: "check", attempt: 1, reused: false },
        { nodeId: "write", attempt: 1, reused: true },
      ],
    ]);
    expect(counts.get("check")).toBe(3);
    expect(counts.get("write")).toBe(1);
  });
});

describe("groupLineages", () => {
  it("puts each retry under its parent, oldest retry first, the lineage with the newest run first", () => {
    const runs = [
      { id: "r4", parentRunId: "r2" },
      { id: "other", parentRunId: null },
      { id: "r2", parentRunId: "r1" },
      { id: "r1", parentRunId: null },
      { id: "orphan", parentRunId: "gone" },
    ];
    const rows = groupLineages(runs).map((row) => `${row.run.id}:${row.generation}:${row.rootId}`);
    expect(rows).toEqual(["r1:0:r1", "r2:1:r1", "r4:2:r1", "other:0:other", "orphan:0:orphan"]);
  });
});
