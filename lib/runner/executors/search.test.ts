import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { optimizePlan } from "../../plan/optimize-plan";
import { SearchParams, type SearchParams as SearchParamsType } from "../../plan/schema";
import { executorContext, memoryResources, plan, runPlan, temporaryDirectory } from "../testing/harness";
import { searchExecutor, searchPass, type SearchResult } from "./search";
import { necessaryLiterals } from "./search-literals";
import { compilePattern } from "./search-text";
import { prefilterExpressions, ripgrepCandidates, ripgrepFiles, type CandidateFile } from "./search-ripgrep";

let ws: ReturnType<typeof temporaryDirectory>;
beforeEach(() => {
  ws = temporaryDirectory();
});
afterEach(() => ws.cleanup());

function write(relative: string, content: string | Buffer): void {
  mkdirSync(path.dirname(path.join(ws.dir, relative)), { recursive: true });
  writeFileSync(path.join(ws.dir, relative), content);
}

const search = (params: Record<string, unknown>) => SearchParams.parse(params);
const pathsOf = (result: SearchResult) => [...new Set(result.matches.map((match) => match.path))];

describe("search params", () => {
  it("takes either pattern or patterns, and a sound expect", () => {
    expect(SearchParams.safeParse({ pattern: "a", patterns: ["b"] }).success).toBe(false);
    expect(SearchParams.safeParse({}).success).toBe(false);
    expect(SearchParams.safeParse({ patterns: [] }).success).toBe(false);
    expect(SearchParams.safeParse({ pattern: "a", expect: {} }).success).toBe(false);
    expect(SearchParams.safeParse({ pattern: "a", expect: { min: 3, max: 2 } }).success).toBe(false);
    expect(SearchParams.safeParse({ patterns: ["a", "b"], expect: { min: 1 } }).success).toBe(true);
  });
});

describe("search expect", () => {
  beforeEach(() => {
    write("src/a.ts", "const oldName = 1;\nuse(oldName);\n");
    write("src/b.ts", "const newName = 2;\n");
  });

  it("fails a search whose patterns are found when none may be, naming the pattern, the count and where", async () => {
    const { ctx } = await executorContext(ws.dir);
    const failure = searchExecutor(search({ patterns: ["oldName", "gone"], expect: "none" }), ctx);
    await expect(failure).rejects.toMatchObject({ code: "expectation-failed" });
    await expect(failure).rejects.toThrow(/"oldName" matched 2 lines: src\/a\.ts:1, src\/a\.ts:2 in 2 files searched/);
    const passed = await searchExecutor(search({ patterns: ["gone", "absent"], expect: "none" }), ctx);
    expect(passed.counts).toEqual([0, 0]);
  });

  it("checks every pattern against any and {min, max}, and keeps the matches with the error", async () => {
    const { ctx } = await executorContext(ws.dir);
    const ok = await searchExecutor(search({ patterns: ["oldName", "newName"], expect: "any" }), ctx);
    expect(ok.counts).toEqual([2, 1]);
    expect(ok.matches.map((match) => `${match.path}:${match.line}:${match.pattern}`)).toEqual([
      "src/a.ts:1:oldName",
      "src/a.ts:2:oldName",
      "src/b.ts:1:newName",
    ]);
    await expect(searchExecutor(search({ patterns: ["oldName", "missing"], expect: "any" }), ctx)).rejects.toThrow(
      /"missing" matched 0 lines/,
    );
    await expect(searchExecutor(search({ pattern: "Name", expect: { max: 2 } }), ctx)).rejects.toMatchObject({
      message: expect.stringContaining('Expected at most 2 matching lines per pattern, but "Name" matched 3 lines'),
      result: expect.objectContaining({ counts: [3] }),
    });
    expect((await searchExecutor(search({ pattern: "Name", expect: { min: 3, max: 3 } }), ctx)).counts).toEqual([3]);
  });

  it("fails a search over no files when it expects matches", async () => {
    const { ctx } = await executorContext(ws.dir);
    await expect(searchExecutor(search({ pattern: "oldName", glob: "lib/**/*.ts", expect: "any" }), ctx)).rejects.toThrow(
      /"oldName" matched 0 lines in 0 files searched \(glob "lib\/\*\*\/\*\.ts"/,
    );
  });

  it("fails only the node whose expectation is off when the optimizer merges searches into one pass", async () => {
    const document = plan({
      nodes: [
        { id: "gone", type: "search", params: { pattern: "oldName", glob: "src/**", expect: "none" } },
        { id: "there", type: "search", params: { pattern: "newName", glob: "src/**", expect: "any" } },
      ],
    });
    const executionPlan = optimizePlan(document);
    expect(executionPlan.batches.flatMap((batch) => batch.units).map((unit) => unit.kind)).toEqual(["search-pass"]);
    const { outcome } = await runPlan(memoryResources(), document, ws.dir, { executionPlan });
    expect(outcome.nodes.get("gone")).toMatchObject({ status: "failed", error: { code: "expectation-failed" } });
    expect(outcome.nodes.get("there")?.status).toBe("succeeded");
  });
});

describe("search walk", () => {
  beforeEach(() => {
    write(".gitignore", "*.log\nbuild/\n");
    write("src/app.ts", "needle\n");
    write("src/debug.log", "needle\n");
    write("build/out.js", "needle\n");
    write("sub/.gitignore", "secret.txt\n!keep.log\n");
    write("sub/secret.txt", "needle\n");
    write("sub/keep.log", "needle\n");
    write("sub/deeper/secret.txt", "needle\n");
    write("node_modules/pkg/index.js", "needle\n");
    write(".hidden/config", "needle\n");
    write(".env", "needle\n");
    write(".git/config", "needle\n");
  });

  it("respects .gitignore files, nested ones too, and skips hidden files, node_modules and .git", async () => {
    const { ctx } = await executorContext(ws.dir);
    expect(pathsOf(await searchExecutor(search({ pattern: "needle" }), ctx))).toEqual(["src/app.ts", "sub/keep.log"]);
  });

  it("searches hidden files with hidden, ignored ones with noIgnore, and never .git", async () => {
    const { ctx } = await executorContext(ws.dir);
    expect(pathsOf(await searchExecutor(search({ pattern: "needle", hidden: true }), ctx))).toEqual([
      ".env",
      ".hidden/config",
      "src/app.ts",
      "sub/keep.log",
    ]);
    expect(pathsOf(await searchExecutor(search({ pattern: "needle", noIgnore: true }), ctx))).toEqual([
      "build/out.js",
      "node_modules/pkg/index.js",
      "src/app.ts",
      "src/debug.log",
      "sub/deeper/secret.txt",
      "sub/keep.log",
      "sub/secret.txt",
    ]);
  });

  it("applies the rules to the directory the glob names too", async () => {
    const { ctx } = await executorContext(ws.dir);
    expect(pathsOf(await searchExecutor(search({ pattern: "needle", glob: "build/**" }), ctx))).toEqual([]);
    expect(pathsOf(await searchExecutor(search({ pattern: "needle", glob: "build/**", noIgnore: true }), ctx))).toEqual(["build/out.js"]);
    expect(pathsOf(await searchExecutor(search({ pattern: "needle", glob: "node_modules/pkg/*.js", noIgnore: true }), ctx))).toEqual([
      "node_modules/pkg/index.js",
    ]);
    expect(pathsOf(await searchExecutor(search({ pattern: "needle", glob: ".hidden/*", hidden: true }), ctx))).toEqual([".hidden/config"]);
    expect(pathsOf(await searchExecutor(search({ pattern: "needle", glob: "sub/**" }), ctx))).toEqual(["sub/keep.log"]);
  });
});

describe("search in a dry run", () => {
  it("sees what the dry run wrote and deleted before it, and leaves the disk alone", async () => {
    write("src/old.ts", "const needle = 1;\n");
    write("src/gone.ts", "needle\n");
    const document = plan({
      nodes: [
        { id: "write", type: "file.write", params: { path: "src/new.ts", content: "export const needle = 2;\n" } },
        { id: "edit", type: "file.edit", params: { path: "src/old.ts", edits: [{ find: "needle", replace: "pin" }] } },
        { id: "delete", type: "file.delete", params: { path: "src/gone.ts" } },
        { id: "search", type: "search", params: { pattern: "needle", glob: "src/**", expect: { min: 1, max: 1 } } },
        { id: "read", type: "file.read", params: { glob: "src/*.ts" } },
      ],
      edges: ["write", "edit", "delete"].flatMap((from) => [
        { from, to: "search" },
        { from, to: "read" },
      ]),
    });
    const { outcome } = await runPlan(memoryResources(), document, ws.dir, { dryRun: true });
    expect(outcome.nodes.get("search")?.status).toBe("succeeded");
    const found = outcome.nodes.get("search")?.result as SearchResult;
    expect(found.matches).toEqual([{ path: "src/new.ts", line: 1, column: 14, text: "export const needle = 2;" }]);
    const read = outcome.nodes.get("read")?.result as { files: Array<{ path: string; content: string }> };
    expect(read.files).toEqual([
      expect.objectContaining({ path: "src/new.ts", content: "export const needle = 2;\n" }),
      expect.objectContaining({ path: "src/old.ts", content: "const pin = 1;\n" }),
    ]);
    expect(existsSync(path.join(ws.dir, "src/new.ts"))).toBe(false);
    expect(existsSync(path.join(ws.dir, "src/gone.ts"))).toBe(true);
  });
});

describe("search engines", () => {
  it("finds the necessary literals of common expressions, conservatively", () => {
    expect(necessaryLiterals("buffer\\.(cache|index)\\.value")).toEqual(["buffer.cache.value", "buffer.index.value"]);
    expect(necessaryLiterals("TODO_\\d{2}\\b")).toEqual(["TODO_"]);
    expect(necessaryLiterals("(thread\\.){2}")).toEqual(["thread.thread."]);
    expect(necessaryLiterals("x{2,3}yz")).toEqual(["xyz"]);
    expect(necessaryLiterals("foo(bar)?baz")).toEqual(["foo"]);
    expect(necessaryLiterals("(?=abc)x[yz]+")).toEqual(["x"]);
    expect(necessaryLiterals("\\d+")).toBeNull();
    expect(necessaryLiterals("abc|")).toBeNull();
  });

  it("report the same matches with the ripgrep prefilter as in-process", async () => {
    const words = ["alpha", "Beta", "gamma", "délta", "TODO_12", "TODO_7", "socket();", "x\u2028y alpha"];
    for (let file = 0; file < 60; file += 1) {
      const lines = Array.from(
        { length: 30 },
        (_, line) => `${words[(file + line) % words.length]} ${words[(file * 7 + line) % words.length]} ${line}`,
      );
      write(`pkg${file % 4}/f${file}.txt`, lines.join(file % 5 === 0 ? "\r\n" : "\n") + (file % 3 ? "\n" : ""));
    }
    write("bin/late-nul.dat", Buffer.concat([Buffer.from("alpha\n".repeat(2000)), Buffer.from([0]), Buffer.from("alpha\n")]));
    write("pkg0/huge-line.txt", `${"z".repeat(700)} alpha ${"z".repeat(100)}\n`);
    // Where the walks' rules meet ripgrep's own: ignore files, hidden names, node_modules, sizes.
    write(".gitignore", "ignored/\npkg2/secret.txt\n*.log\n");
    write("pkg1/.gitignore", "!kept.log\n");
    write("pkg1/kept.log", "alpha kept\n");
    write("pkg1/dropped.log", "alpha dropped\n");
    write("ignored/a.txt", "alpha ignored\n");
    write("pkg2/secret.txt", "alpha secret\n");
    write(".ignore", "pkg3/\n");
    write("pkg0/node_modules", "alpha in a file named node_modules\n");
    write("node_modules/dep/index.js", "alpha in a dependency\n");
    write(".hidden/h.txt", "alpha hidden\n");
    write("pkg3/large.txt", "alpha large\n".repeat(5_000));
    const searches: SearchParamsType[] = [
      search({ patterns: ["alpha", "Beta", "délta", "socket();"], maxMatches: 100_000 }),
      search({ pattern: "beta", caseSensitive: false, maxMatches: 100_000 }),
      search({ patterns: ["TODO_\\d{2}\\b", "(alpha|gamma) (Beta|TODO)", "socket\\(\\);$", "y alpha"], regex: true, maxMatches: 100_000 }),
      search({ pattern: "alpha", maxMatches: 5 }),
    ];
    const limits = { searchMaxFileBytes: 40_000 };
    const inProcess = await executorContext(ws.dir, { ripgrepPath: null, limits });
    const withRipgrep = await executorContext(ws.dir, { ripgrepPath: "rg", limits: { ...limits, searchRipgrepMinFiles: 0 } });
    const expected = await searchPass(searches, "**/*", inProcess.ctx);
    expect(expected[0]?.counts.every((count) => count > 0)).toBe(true);
    expect(await searchPass(searches, "**/*", withRipgrep.ctx)).toEqual(expected);
    const matchedFiles = new Set(expected[0]?.matches.map((match) => match.path));
    expect(["pkg1/kept.log", "pkg0/node_modules", "pkg3/f3.txt"].every((file) => matchedFiles.has(file))).toBe(true);
    expect(
      ["pkg1/dropped.log", "ignored/a.txt", "pkg2/secret.txt", "node_modules/dep/index.js", ".hidden/h.txt", "pkg3/large.txt"].some(
        (file) => matchedFiles.has(file),
      ),
    ).toBe(false);
    for (const [glob, options] of [
      ["pkg2/**", {}],
      ["pkg1/*.log", {}],
      ["**/*", { hidden: true }],
      ["**/*", { noIgnore: true }],
      ["**/*", { hidden: true, noIgnore: true }],
    ] as const) {
      const variant = searches.map((params) => ({ ...params, glob, ...options }));
      expect(await searchPass(variant, glob, withRipgrep.ctx), `${glob} ${JSON.stringify(options)}`).toEqual(
        await searchPass(variant, glob, inProcess.ctx),
      );
    }
    // ripgrep really is asked: its candidate lines cover every match.
    const patterns = searches[0]?.patterns?.map((pattern) => compilePattern(pattern, false, true)) ?? [];
    const expressions = prefilterExpressions(patterns) ?? [];
    const listed: CandidateFile[] = [];
    const walk = { start: "", exclusions: { hidden: false, noIgnore: false }, maxFileBytes: limits.searchMaxFileBytes };
    const { signal } = new AbortController();
    expect(
      await ripgrepCandidates("rg", withRipgrep.ctx.workspace.root, walk, expressions, signal, withRipgrep.ctx.limits.shellPath, (file) =>
        listed.push(file),
      ),
    ).toBe(true);
    expect(listed.find((file) => file.path === "bin/late-nul.dat")?.binary).toBe(true);
    expect(listed.find((file) => file.path === "pkg1/f1.txt")?.lines.size).toBeGreaterThan(0);
    const looked = await ripgrepFiles("rg", withRipgrep.ctx.workspace.root, walk, signal, withRipgrep.ctx.limits.shellPath);
    expect(looked?.has("pkg1/f1.txt")).toBe(true);
    expect(looked?.has("pkg3/large.txt")).toBe(false);
    expect(
      await ripgrepCandidates(
        "/nonexistent/rg",
        withRipgrep.ctx.workspace.root,
        walk,
        expressions,
        signal,
        withRipgrep.ctx.limits.shellPath,
        () => undefined,
      ),
    ).toBe(false);
  });
});
