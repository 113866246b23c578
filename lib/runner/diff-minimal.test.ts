/**
 * Diff minimality against real `git diff --no-index` on real text (this
 * repository's own sources): the same hunks for scattered one-line changes,
 * and a refactor's total diff within 1.2× of git's.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { unifiedDiff } from "./diff";
import { temporaryDirectory } from "./testing/harness";

const workspace = temporaryDirectory("batchboard-diff-");
afterAll(() => workspace.cleanup());

/** git's unified diff of two texts, from its first hunk on (git's own header lines differ from ours). */
function gitDiff(before: string, after: string, name: string): string {
  const a = path.join(workspace.dir, `${name}.a`);
  const b = path.join(workspace.dir, `${name}.b`);
  writeFileSync(a, before);
  writeFileSync(b, after);
  const result = spawnSync("git", ["diff", "--no-index", "--no-color", "--no-ext-diff", "-U3", a, b], { encoding: "utf8" });
  if (result.status !== 0 && result.status !== 1) throw new Error(result.stderr);
  return hunksOf(result.stdout);
}

/** From the first hunk on, with `@@ -a,1` spelled as git spells it (`@@ -a`) and without git's function context. */
function hunksOf(diff: string): string {
  const at = diff.indexOf("@@");
  const counts = (start: string, count: string | undefined) => (count === undefined || count === ",1" ? start : start + count);
  return at === -1
    ? ""
    : diff
        .slice(at)
        .replace(
          /^@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@.*$/gm,
          (_, a, countA, b, countB) => `@@ -${counts(a, countA)} +${counts(b, countB)} @@`,
        );
}

const source = (file: string) => readFileSync(path.join(import.meta.dirname, file), "utf8");

describe("unifiedDiff is minimal, like git diff", () => {
  it("shows three one-line changes in a 300-line file as three one-line hunks, as git does", () => {
    const before = source("scheduler.ts").split("\n").slice(0, 300).join("\n") + "\n";
    const lines = before.split("\n");
    for (const line of [40, 150, 260]) lines[line - 1] = `${lines[line - 1]} // changed`;
    const after = lines.join("\n");
    const ours = unifiedDiff("scheduler.ts", before, after);
    const hunks = ours.split("\n").filter((line) => line.startsWith("@@"));
    expect(hunks).toEqual(["@@ -37,7 +37,7 @@", "@@ -147,7 +147,7 @@", "@@ -257,7 +257,7 @@"]);
    // Changed lines, not the file headers; a changed line may be empty or start with - or + itself.
    expect(ours.split("\n").filter((line) => /^[-+]/.test(line) && !/^(---|\+\+\+) /.test(line))).toHaveLength(6);
    expect(hunksOf(ours)).toBe(gitDiff(before, after, "three"));
  });

  it("keeps a refactor across several files within 1.2× of git diff's size", () => {
    const files = ["scheduler.ts", "task-runner.ts", "journal.ts", "file-system.ts", "workspace.ts"];
    let ours = 0;
    let git = 0;
    for (const file of files) {
      const before = source(file);
      // A rename, a removed block, an inserted helper and a reordered pair of lines: what a refactor does.
      const lines = before.replaceAll("workspace", "workDir").split("\n");
      lines.splice(Math.floor(lines.length / 3), 4);
      lines.splice(
        Math.floor(lines.length / 2),
        0,
        "/** Added by the refactor. */",
        "function helper(): number {",
        "  return 42;",
        "}",
        "",
      );
      const last = lines.length - 10;
      [lines[last], lines[last + 1]] = [lines[last + 1] as string, lines[last] as string];
      const after = lines.join("\n");
      const diff = unifiedDiff(file, before, after, { maxChars: 10_000_000 });
      ours += hunksOf(diff).length;
      git += gitDiff(before, after, file).length;
    }
    expect(ours).toBeGreaterThan(0);
    expect(ours / git).toBeLessThanOrEqual(1.2);
  });

  it("agrees with git on insertions, deletions and a missing final newline", () => {
    const before = source("journal.ts");
    const cases: Array<[string, string]> = [
      [before, before.replace("export class FileJournal", "// note\nexport class FileJournal")],
      [before, before.slice(0, -1)],
      ["", "one\ntwo\n"],
      [
        before,
        before
          .split("\n")
          .filter((_, index) => index % 17 !== 0)
          .join("\n"),
      ],
    ];
    cases.forEach(([a, b], index) => expect(hunksOf(unifiedDiff("f", a, b, { maxChars: 10_000_000 }))).toBe(gitDiff(a, b, `case${index}`)));
  });

  it("finds a few scattered changes in a 5 MB file (its speed: bench/diff.bench.ts)", () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => `  const value_${i} = compute(${i}, "some text on this line");`);
    const before = lines.join("\n") + "\n";
    for (const i of [10, 25_000, 50_000, 75_000, 99_990]) lines[i] += " // changed";
    const after = lines.join("\n") + "\n";
    const diff = unifiedDiff("big.ts", before, after);
    expect(diff.split("\n").filter((line) => line.startsWith("@@"))).toHaveLength(5);
    expect(hunksOf(diff)).toBe(gitDiff(before, after, "big"));
  });
});
