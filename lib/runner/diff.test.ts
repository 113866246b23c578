import { describe, expect, it } from "vitest";
import { unifiedDiff } from "./diff";

describe("unifiedDiff", () => {
  it("shows one hunk with context, with correct line numbers", () => {
    const before = Array.from({ length: 10 }, (_, i) => `line ${i + 1}`).join("\n") + "\n";
    const after = before.replace("line 5\n", "line five\nextra\n");
    expect(unifiedDiff("f.txt", before, after)).toBe(
      "--- a/f.txt\n+++ b/f.txt\n@@ -2,7 +2,8 @@\n line 2\n line 3\n line 4\n-line 5\n+line five\n+extra\n line 6\n line 7\n line 8\n",
    );
  });

  it("handles creation, deletion, equality, a change inside a line and binaries", () => {
    expect(unifiedDiff("n.txt", null, Buffer.from("a\nb\n"))).toBe("--- /dev/null\n+++ b/n.txt\n@@ -0,0 +1,2 @@\n+a\n+b\n");
    expect(unifiedDiff("n.txt", "a\n", null)).toBe("--- a/n.txt\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-a\n");
    expect(unifiedDiff("n.txt", "same", "same")).toBe("");
    expect(unifiedDiff("n.txt", "x = 1;\n", "x = 2;\n")).toBe("--- a/n.txt\n+++ b/n.txt\n@@ -1,1 +1,1 @@\n-x = 1;\n+x = 2;\n");
    expect(unifiedDiff("n.txt", "aXb", "aYb")).toBe(
      "--- a/n.txt\n+++ b/n.txt\n@@ -1,1 +1,1 @@\n-aXb\n\\ No newline at end of file\n+aYb\n\\ No newline at end of file\n",
    );
    expect(unifiedDiff("n.txt", "a\nb", "a\nb\n")).toBe(
      "--- a/n.txt\n+++ b/n.txt\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n",
    );
    expect(unifiedDiff("b.bin", Buffer.from([0, 1]), Buffer.from([0, 2]))).toContain("Binary files differ");
  });

  it("finds the changed lines of a long file whatever their position", () => {
    const before = Array.from({ length: 2000 }, (_, i) => `line ${i + 1}`).join("\n") + "\n";
    for (const changed of [1, 7, 1000, 1994, 2000]) {
      const after = before.replace(`line ${changed}\n`, `LINE ${changed}\n`);
      const from = Math.max(1, changed - 3);
      const to = Math.min(2000, changed + 3);
      const context = (first: number, last: number) =>
        Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => ` line ${first + i}\n`).join("");
      const count = to - from + 1;
      expect(unifiedDiff("long.txt", before, after)).toBe(
        `--- a/long.txt\n+++ b/long.txt\n@@ -${from},${count} +${from},${count} @@\n${context(from, changed - 1)}-line ${changed}\n+LINE ${changed}\n${context(changed + 1, to)}`,
      );
    }
  });
});
