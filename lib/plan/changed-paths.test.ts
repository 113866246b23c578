import { describe, expect, it } from "vitest";
import { changedPaths } from "./changed-paths";
import type { PlanNode } from "./schema";

describe("changedPaths", () => {
  it("names both ends of a move, normalized", () => {
    expect(changedPaths({ id: "m", type: "file.move", params: { from: "./a.txt", to: "b//a.txt" } } as PlanNode)).toEqual([
      "a.txt",
      "b/a.txt",
    ]);
  });

  it("names the file a write, edit or delete changes and nothing for reads, searches and commands", () => {
    expect(changedPaths({ id: "w", type: "file.delete", params: { path: "src/./x.ts" } } as PlanNode)).toEqual(["src/x.ts"]);
    expect(changedPaths({ id: "r", type: "file.read", params: { paths: ["a.txt"] } } as PlanNode)).toEqual([]);
    expect(changedPaths({ id: "s", type: "shell", params: { command: "touch a.txt" } } as PlanNode)).toEqual([]);
  });

  it("leaves out a path that leaves the workspace", () => {
    expect(changedPaths({ id: "w", type: "file.delete", params: { path: "../outside" } } as PlanNode)).toEqual([]);
  });
});
