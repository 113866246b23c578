import { describe, expect, it } from "vitest";
import { problemField, problemLocation } from "./problem-location";

describe("problemLocation", () => {
  it("names the node and its field, never the array index", () => {
    expect(problemLocation({ path: ["nodes", 7, "params", "command"], nodeId: "build" })).toBe('node "build" · command');
    expect(problemLocation({ path: ["nodes", 0, "params", "edits", 1, "find"], nodeId: "fix" })).toBe('node "fix" · edits#2 find');
    expect(problemLocation({ path: ["edges", 2, "when"], edgeId: "a->b" })).toBe('edge "a->b" · when');
    expect(problemLocation({ path: ["settings", "concurrency"] })).toBe("plan · settings concurrency");
    expect(problemLocation({ path: [] })).toBe("plan");
    expect(problemField({ path: ["nodes", 3] })).toBe("");
  });

  it("names a node or edge without a usable id by its place in the list", () => {
    expect(problemLocation({ path: ["nodes", 0, "type"] })).toBe("node #1 · type");
    expect(problemLocation({ path: ["edges", 4, "from"] })).toBe("edge #5 · from");
    expect(problemLocation({ path: ["nodes", 2] })).toBe("node #3");
  });
});
