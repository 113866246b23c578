import { describe, expect, it } from "vitest";
import { summaryText } from "./operation-summary";

describe("summaryText", () => {
  it("summarises each operation type in one line", () => {
    expect(summaryText("file.write", { path: "src/a.ts", content: "x" })).toBe("src/a.ts");
    expect(summaryText("file.edit", { path: "a.ts", edits: [{ find: "a", replace: "b" }] })).toBe("a.ts · 1 edit");
    expect(summaryText("file.move", { from: "a", to: "b" })).toBe("a → b");
    expect(summaryText("file.read", { paths: ["a", "b"], glob: "src/**" })).toBe("a, b, src/**");
    expect(summaryText("search", { pattern: "TODO", regex: true, glob: "**/*.ts" })).toBe("/TODO/ in **/*.ts");
    expect(summaryText("shell", { command: "npm test\nnpm run lint", background: true })).toBe("(background) npm test");
    expect(summaryText("shell", { command: "x".repeat(80) }, 10)).toBe(`${"x".repeat(9)}…`);
  });

  it("reads incomplete params, as a node being drawn has", () => {
    expect(summaryText("file.edit", {})).toBe(" · 0 edits");
  });
});
