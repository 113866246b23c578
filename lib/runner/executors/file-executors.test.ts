import { mkdirSync, readFileSync, symlinkSync, writeFileSync, existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileEditParams, FileReadParams, FileWriteParams, SearchParams } from "../../plan/schema";
import { NonRetryableError } from "../errors";
import { executorContext, temporaryDirectory } from "../testing/harness";
import { deleteFileExecutor } from "./file-delete";
import { editFileExecutor } from "./file-edit";
import { moveFileExecutor } from "./file-move";
import { readFileExecutor } from "./file-read";
import { writeFileExecutor } from "./file-write";
import { searchExecutor, searchPass } from "./search";
import { applyEdits } from "./edit-text";
import { unifiedDiff } from "../diff";

let ws: ReturnType<typeof temporaryDirectory>;
let outside: ReturnType<typeof temporaryDirectory>;
beforeEach(() => {
  ws = temporaryDirectory();
  outside = temporaryDirectory("batchboard-outside-");
});
afterEach(() => {
  ws.cleanup();
  outside.cleanup();
});
const file = (name: string) => path.join(ws.dir, name);

describe("file.write", () => {
  it("creates parent directories, honours ifExists and leaves no temp files", async () => {
    const { ctx, scope, changes } = await executorContext(ws.dir);
    const result = await writeFileExecutor(FileWriteParams.parse({ path: "a/b/c.txt", content: "hi\n" }), ctx);
    expect(result).toMatchObject({ outcome: "created", bytesWritten: 3 });
    await expect(
      writeFileExecutor(FileWriteParams.parse({ path: "a/b/c.txt", content: "x", ifExists: "fail" }), ctx),
    ).rejects.toBeInstanceOf(NonRetryableError);
    expect((await writeFileExecutor(FileWriteParams.parse({ path: "a/b/c.txt", content: "x", ifExists: "skip" }), ctx)).outcome).toBe(
      "skipped",
    );
    expect((await writeFileExecutor(FileWriteParams.parse({ path: "a/b/c.txt", content: "bye\n" }), ctx)).outcome).toBe("overwritten");
    scope.commit();
    expect(readFileSync(file("a/b/c.txt"), "utf8")).toBe("bye\n");
    expect(readdirSync(file("a/b"))).toEqual(["c.txt"]);
    expect(changes.map((change) => change.operation)).toEqual(["create", "update"]);
  });

  it("writes base64 content as exact bytes, and its journalled diff says binary", async () => {
    const { ctx, scope, changes } = await executorContext(ws.dir);
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0xff, 0xfe, 0x80]);
    const result = await writeFileExecutor(
      FileWriteParams.parse({ path: "img/logo.png", content: bytes.toString("base64"), encoding: "base64" }),
      ctx,
    );
    scope.commit();
    expect(result).toMatchObject({ outcome: "created", bytesWritten: bytes.length });
    expect(readFileSync(file("img/logo.png")).equals(bytes)).toBe(true);
    expect(changes[0]?.after?.equals(bytes)).toBe(true);
    expect(unifiedDiff("img/logo.png", changes[0]?.before ?? null, changes[0]?.after ?? null)).toContain("Binary files differ");
  });

  it("refuses `..` and symlink escapes, writing nothing", async () => {
    symlinkSync(outside.dir, file("link-dir"));
    writeFileSync(path.join(outside.dir, "target.txt"), "outside");
    symlinkSync(path.join(outside.dir, "target.txt"), file("link-file"));
    const { ctx } = await executorContext(ws.dir);
    for (const target of ["../escape.txt", "a/../../escape.txt", "/etc/passwd", "link-dir/x.txt", "link-file"]) {
      await expect(writeFileExecutor(FileWriteParams.parse({ path: target, content: "pwned" }), ctx)).rejects.toMatchObject({
        code: "path-escape",
      });
    }
    await expect(
      editFileExecutor(FileEditParams.parse({ path: "link-file", edits: [{ find: "outside", replace: "x" }] }), ctx),
    ).rejects.toMatchObject({ code: "path-escape" });
    await expect(readFileExecutor(FileReadParams.parse({ paths: ["link-file"] }), ctx)).rejects.toMatchObject({ code: "path-escape" });
    expect(readFileSync(path.join(outside.dir, "target.txt"), "utf8")).toBe("outside");
    expect(readdirSync(outside.dir)).toEqual(["target.txt"]);
    expect(existsSync(path.join(path.dirname(ws.dir), "escape.txt"))).toBe(false);
  });
});

describe("file.edit (multi-edit contract)", () => {
  it("applies ordered edits, each to the previous result", () => {
    expect(
      applyEdits("a a b", [
        { find: "a", replace: "c", all: true },
        { find: "c b", replace: "d" },
      ]),
    ).toMatchObject({ ok: true, content: "c d", replacements: 3 });
  });

  it("is atomic: a missing or ambiguous find writes nothing and names the edit", async () => {
    writeFileSync(file("f.txt"), "one two two\n");
    const { ctx } = await executorContext(ws.dir);
    const miss = editFileExecutor(
      FileEditParams.parse({
        path: "f.txt",
        edits: [
          { find: "one", replace: "1" },
          { find: "three", replace: "3" },
        ],
      }),
      ctx,
    );
    await expect(miss).rejects.toMatchObject({ code: "edit-not-found", details: { editIndex: 1 } });
    await expect(miss).rejects.toThrow(/Edit 2/);
    const ambiguous = editFileExecutor(FileEditParams.parse({ path: "f.txt", edits: [{ find: "two", replace: "2" }] }), ctx);
    await expect(ambiguous).rejects.toMatchObject({ code: "edit-ambiguous" });
    expect(readFileSync(file("f.txt"), "utf8")).toBe("one two two\n");
    const ok = await editFileExecutor(
      FileEditParams.parse({
        path: "f.txt",
        edits: [
          { find: "one", replace: "1" },
          { find: "two", replace: "2", all: true },
        ],
      }),
      ctx,
    );
    expect(ok).toEqual({ path: "f.txt", replacements: 3 });
    expect(readFileSync(file("f.txt"), "utf8")).toBe("1 2 2\n");
  });

  it("fails with not-utf8 on a file that is not UTF-8 text, writing nothing", async () => {
    const latin1 = Buffer.from("caf\xe9 = 1\n", "latin1");
    writeFileSync(file("legacy.txt"), latin1);
    const { ctx, scope, changes } = await executorContext(ws.dir);
    const edit = editFileExecutor(FileEditParams.parse({ path: "legacy.txt", edits: [{ find: "1", replace: "2" }] }), ctx);
    await expect(edit).rejects.toMatchObject({ code: "not-utf8" });
    scope.commit();
    expect(readFileSync(file("legacy.txt")).equals(latin1)).toBe(true);
    expect(changes).toEqual([]);
  });

  it("fails on a missing file", async () => {
    const { ctx } = await executorContext(ws.dir);
    await expect(
      editFileExecutor(FileEditParams.parse({ path: "nope.txt", edits: [{ find: "a", replace: "b" }] }), ctx),
    ).rejects.toMatchObject({ code: "file-not-found" });
  });
});

describe("file.delete and file.move", () => {
  it("deletes (or tolerates a missing file with missingOk) and moves with overwrite rules", async () => {
    writeFileSync(file("a.txt"), "A");
    writeFileSync(file("b.txt"), "B");
    const { ctx, scope, changes } = await executorContext(ws.dir);
    await expect(deleteFileExecutor({ path: "zzz", missingOk: false }, ctx)).rejects.toMatchObject({ code: "file-not-found" });
    expect(await deleteFileExecutor({ path: "zzz", missingOk: true }, ctx)).toMatchObject({ deleted: false });
    await expect(moveFileExecutor({ from: "a.txt", to: "b.txt", overwrite: false }, ctx)).rejects.toMatchObject({ code: "file-exists" });
    expect(await moveFileExecutor({ from: "a.txt", to: "sub/a.txt", overwrite: false }, ctx)).toMatchObject({ bytes: 1 });
    expect(await deleteFileExecutor({ path: "b.txt", missingOk: false }, ctx)).toMatchObject({ deleted: true, bytes: 1 });
    scope.commit();
    expect(readFileSync(file("sub/a.txt"), "utf8")).toBe("A");
    expect(existsSync(file("a.txt"))).toBe(false);
    expect(existsSync(file("b.txt"))).toBe(false);
    expect(changes.map((change) => `${change.operation}:${change.path}`)).toEqual(["create:sub/a.txt", "delete:a.txt", "delete:b.txt"]);
  });

  it("rollback restores every change of a scope", async () => {
    writeFileSync(file("a.txt"), "A");
    const { ctx, scope, changes } = await executorContext(ws.dir);
    await moveFileExecutor({ from: "a.txt", to: "b.txt", overwrite: false }, ctx);
    await scope.rollback();
    expect(readFileSync(file("a.txt"), "utf8")).toBe("A");
    expect(existsSync(file("b.txt"))).toBe(false);
    expect(changes).toEqual([]);
  });
});

describe("file.read", () => {
  it("reads paths and globs with per-file and total caps", async () => {
    mkdirSync(file("src"));
    writeFileSync(file("src/a.ts"), "a".repeat(100));
    writeFileSync(file("src/b.ts"), "b".repeat(100));
    writeFileSync(file("src/c.js"), "c");
    const { ctx } = await executorContext(ws.dir, { limits: { readTotalBytes: 150 } });
    const result = await readFileExecutor(FileReadParams.parse({ glob: "src/*.ts", maxBytes: 80 }), ctx);
    expect(result.files.map((f) => [f.path, f.content.length, f.truncated])).toEqual([
      ["src/a.ts", 80, true],
      ["src/b.ts", 70, true],
    ]);
    expect(result.truncated).toBe(true);
    await expect(readFileExecutor(FileReadParams.parse({ paths: ["missing.txt"] }), ctx)).rejects.toMatchObject({ code: "file-not-found" });
  });

  it("reads a window of lines with offset and limit, across read chunks, capped in bytes", async () => {
    // 20,000 numbered lines (~190 KB): the window spans the executor's 64 KB read chunks.
    writeFileSync(file("log.txt"), Array.from({ length: 20_000 }, (_, index) => `line ${index + 1}`).join("\n"));
    const { ctx } = await executorContext(ws.dir);
    const read = async (params: object) => (await readFileExecutor(FileReadParams.parse({ paths: ["log.txt"], ...params }), ctx)).files[0];
    const middle = await read({ offset: 9_000, limit: 3 });
    expect(middle).toMatchObject({ content: "line 9000\nline 9001\nline 9002\n", firstLine: 9_000, lines: 3, truncated: false });
    expect(middle?.bytes).toBeGreaterThan(180_000);
    expect(await read({ limit: 2 })).toMatchObject({ content: "line 1\nline 2\n", firstLine: 1, lines: 2 });
    expect(await read({ offset: 19_999 })).toMatchObject({ content: "line 19999\nline 20000", lines: 2 });
    expect(await read({ offset: 30_000 })).toMatchObject({ content: "", lines: 0, truncated: false });
    expect(await read({ offset: 100, limit: 50, maxBytes: 20 })).toMatchObject({ content: "line 100\nline 101\nli", truncated: true });
    const { ctx: dry } = await executorContext(ws.dir, { dryRun: true });
    const dryRead = await readFileExecutor(FileReadParams.parse({ paths: ["log.txt"], offset: 9_000, limit: 3 }), dry);
    expect(dryRead.files[0]?.content).toBe(middle?.content);
  });
});

describe("search", () => {
  it("finds literal and regex matches with line and column, capped, and several searches in one pass", async () => {
    mkdirSync(file("src"));
    writeFileSync(file("src/a.ts"), "const x = 1;\nfunction foo() {}\nfoo();\n");
    writeFileSync(file("src/b.ts"), "// FOO\n");
    writeFileSync(file("bin.dat"), Buffer.from([0, 1, 2, 102, 111, 111]));
    const { ctx } = await executorContext(ws.dir);
    const literal = await searchExecutor(SearchParams.parse({ pattern: "foo" }), ctx);
    expect(literal.matches).toEqual([
      { path: "src/a.ts", line: 2, column: 10, text: "function foo() {}" },
      { path: "src/a.ts", line: 3, column: 1, text: "foo();" },
    ]);
    const [insensitive, regex, capped] = await searchPass(
      [
        SearchParams.parse({ pattern: "foo", caseSensitive: false, glob: "src/**" }),
        SearchParams.parse({ pattern: "^const \\w+", regex: true, glob: "src/**" }),
        SearchParams.parse({ pattern: "o", maxMatches: 1, glob: "src/**" }),
      ],
      "src/**",
      ctx,
    );
    expect(insensitive?.matches.map((m) => `${m.path}:${m.line}`)).toEqual(["src/a.ts:2", "src/a.ts:3", "src/b.ts:1"]);
    expect(regex?.matches).toEqual([{ path: "src/a.ts", line: 1, column: 1, text: "const x = 1;" }]);
    expect(capped?.matches).toHaveLength(1);
    expect(capped?.truncated).toBe(true);
    await expect(searchExecutor(SearchParams.parse({ pattern: "(", regex: true }), ctx)).rejects.toMatchObject({ code: "invalid-regex" });
  });

  it("lists matching files, or files with their counts, when output asks for it", async () => {
    mkdirSync(file("src"));
    writeFileSync(file("src/a.ts"), "foo\nbar\nfoo foo\n");
    writeFileSync(file("src/b.ts"), "nothing here\n");
    writeFileSync(file("src/c.ts"), "FOO\n");
    const { ctx } = await executorContext(ws.dir);
    const files = await searchExecutor(SearchParams.parse({ pattern: "foo", output: "files", caseSensitive: false }), ctx);
    expect(files).toMatchObject({
      matches: [],
      files: [{ path: "src/a.ts" }, { path: "src/c.ts" }],
      filesSearched: 3,
      truncated: false,
      counts: [3],
    });
    const counted = await searchExecutor(SearchParams.parse({ pattern: "foo", output: "count" }), ctx);
    expect(counted.files).toEqual([{ path: "src/a.ts", count: 2 }]);
    const capped = await searchExecutor(SearchParams.parse({ pattern: "o", output: "files", maxMatches: 1 }), ctx);
    expect(capped).toMatchObject({ files: [{ path: "src/a.ts" }], truncated: true });
    await expect(searchExecutor(SearchParams.parse({ pattern: "foo", output: "files", expect: "none" }), ctx)).rejects.toThrow(
      /matched 2 lines: src\/a\.ts/,
    );
  });
});
