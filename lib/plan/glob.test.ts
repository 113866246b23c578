import { describe, expect, it } from "vitest";
import { globToRegExp } from "./glob";

describe("globToRegExp", () => {
  it.each([
    ["**/*", "a.ts", true],
    ["**/*", "src/deep/a.ts", true],
    ["src/**/*.ts", "src/a.ts", true],
    ["src/**/*.ts", "src/x/y/a.ts", true],
    ["src/**/*.ts", "lib/a.ts", false],
    ["src/*.ts", "src/x/a.ts", false],
    ["*.{ts,tsx}", "a.tsx", true],
    ["*.{ts,tsx}", "a.js", false],
    ["file?.txt", "file1.txt", true],
    ["file?.txt", "file10.txt", false],
    ["[ab].txt", "a.txt", true],
    ["[!ab].txt", "a.txt", false],
    ["./src/*.ts", "src/a.ts", true],
    ["a+b(1).txt", "a+b(1).txt", true],
    ["src/**", "src/a/b", true],
  ])("%j matches %j: %s", (glob, path, expected) => {
    expect(globToRegExp(glob)?.test(path)).toBe(expected);
  });

  it.each(["src/[abc", "{a,b"])("rejects malformed %j", (glob) => {
    expect(globToRegExp(glob)).toBeNull();
  });
});
