import { describe, expect, it } from "vitest";
import { checkRegex } from "./regex-safety";

describe("checkRegex", () => {
  it.each([
    "error",
    "err(or)?: \\d+",
    "^\\s*#.*$",
    "([a-z]+\\.)+[a-z]{2,}",
    "(,\\s*\\w+)*",
    "(\\d{3})+",
    "(a+b)+",
    '([^"]*"[^"]*")+',
    "a{1,3}b{2}",
    "\\bfoo\\b|\\bbar\\b",
    "(foo|bar)+",
    "(?<year>\\d{4})-(?<month>\\d{2})",
    "[(]+",
    "\\(+\\)+",
    "(?:https?|ftp)://\\S+",
    "(a|b)?c",
    ".*foo.*bar",
    "(\\s*#.*\\n)*",
  ])("allows %j", (pattern) => {
    expect(checkRegex(pattern)).toEqual({ ok: true });
  });

  it.each([
    ["(a+)+", "nested"],
    ["(a*)*", "nested"],
    ["(.*)*", "nested"],
    ["(.*a){20}", "nested"],
    ["(\\w+\\s?)+$", "nested"],
    ["(x+x+)+y", "nested"],
    ["((a+)|c)+", "nested"],
    ["(?:a+){5}", "nested"],
    ["^(([a-z])+.)+[A-Z]([a-z])+$", "nested"],
    ["(a|a)*", "alternatives"],
    ["(a|ab)*c", "alternatives"],
    ["(\\r\\n|\\r|\\n)+", "alternatives"],
    ["(\\w|\\d)+", "alternatives"],
  ])("rejects %j (%s)", (pattern, kind) => {
    const result = checkRegex(pattern);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe("catastrophic-regex");
    expect(result.message).toMatch(kind === "nested" ? /itself repeats/ : /alternatives that can start with the same character/);
    expect(result.message).toMatch(/catastrophic backtracking/);
  });

  it.each(["(", "a)", "[b", "*a", "a{2,1}", "(?<n>a)(?<n>b)"])("reports %j as invalid", (pattern) => {
    const result = checkRegex(pattern);
    expect(result).toMatchObject({ ok: false, code: "invalid-regex" });
  });

  it("enforces the length limit before compiling", () => {
    expect(checkRegex("a".repeat(11), { maxLength: 10 })).toMatchObject({ ok: false, code: "pattern-too-long" });
  });

  it("handles deeply nested groups without recursion", () => {
    const deep = "(".repeat(5_000) + "a" + ")".repeat(5_000);
    expect(checkRegex(deep)).toEqual({ ok: true });
  });

  it("quotes the dangerous part in the message", () => {
    const result = checkRegex("^id=(\\d+)+$");
    expect(!result.ok && result.message).toContain('"(\\d+)+"');
  });
});
