import { describe, expect, it } from "vitest";
import { checkWorkspacePath, normalizeWorkspacePath } from "./workspace-path";

describe("checkWorkspacePath", () => {
  it.each([
    ["src/index.ts", null],
    ["./src/index.ts", null],
    ["a/../b", null],
    [".", null],
    ["dir/", null],
    ["..hidden/file", null],
    ["a/b/../../c", null],
    ["", "empty-path"],
    ["   ", "empty-path"],
    ["a\0b", "invalid-path-character"],
    ["/etc/passwd", "absolute-path"],
    ["\\\\server\\share", "absolute-path"],
    ["C:\\Windows", "absolute-path"],
    ["c:relative", "absolute-path"],
    ["..", "path-escapes-workspace"],
    ["../x", "path-escapes-workspace"],
    ["a/../../x", "path-escapes-workspace"],
    ["a\\..\\..\\x", "path-escapes-workspace"],
    ["./../x", "path-escapes-workspace"],
  ])("%j → %s", (path, code) => {
    expect(checkWorkspacePath(path)?.code ?? null).toBe(code);
  });

  it("names the field and says what to do", () => {
    expect(checkWorkspacePath("/x", "Glob")?.message).toMatch(/^Glob "\/x" is absolute: write it relative to the workspace root/);
  });
});

describe("normalizeWorkspacePath", () => {
  it.each([
    ["src/a.ts", "src/a.ts"],
    ["./src//a.ts", "src/a.ts"],
    ["src/x/../a.ts", "src/a.ts"],
    ["src\\a.ts", "src/a.ts"],
    ["src/", "src"],
    [".", "."],
    ["a/..", "."],
    ["..", null],
    ["a/.b", "a/.b"],
  ])("%j → %j", (path, expected) => {
    expect(normalizeWorkspacePath(path)).toBe(expected);
  });
});
