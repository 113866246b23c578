/**
 * Only regular files are read or changed: real FIFOs, sockets and
 * directories in a real workspace get a clear `not-a-file` node error that
 * never shows the server's absolute path (and a FIFO never blocks), a
 * symlink swapped in after the path was resolved is not followed, and files
 * read whole are capped.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, openSync, closeSync, ftruncateSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NonRetryableError } from "./errors";
import { diskFileSystem, MAX_FILE_BYTES } from "./file-system";
import { memoryResources, plan, runPlan, temporaryDirectory } from "./testing/harness";

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

async function nodeErrors(document: ReturnType<typeof plan>) {
  const resources = memoryResources();
  const { handle } = await runPlan(resources, document, ws.dir);
  const run = await resources.store.loadRun(handle.runId);
  return Object.fromEntries((run?.nodes ?? []).map((node) => [node.nodeId, node.error]));
}

describe("special files", () => {
  it("refuses a FIFO, a socket and a directory for read, edit and write at once, naming only the file", async () => {
    execFileSync("mkfifo", [path.join(ws.dir, "pipe")]);
    mkdirSync(path.join(ws.dir, "adir"));
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(path.join(ws.dir, "sock"), resolve));
    try {
      const started = Date.now();
      const errors = await nodeErrors(
        plan({
          // Each write on its own: in an atomic batch the others would fail as rolled back.
          settings: { fileBatchMode: "independent" },
          nodes: [
            { id: "read-pipe", type: "file.read", params: { paths: ["pipe"] } },
            { id: "edit-pipe", type: "file.edit", params: { path: "pipe", edits: [{ find: "a", replace: "b" }] } },
            { id: "write-pipe", type: "file.write", params: { path: "pipe", content: "x" } },
            { id: "read-socket", type: "file.read", params: { paths: ["sock"] } },
            { id: "read-dir", type: "file.read", params: { paths: ["adir"] } },
            { id: "edit-dir", type: "file.edit", params: { path: "adir", edits: [{ find: "a", replace: "b" }] } },
            { id: "write-dir", type: "file.write", params: { path: "adir", content: "x" } },
          ],
        }),
      );
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(errors["read-pipe"]).toMatchObject({ code: "not-a-file", message: expect.stringMatching(/"pipe" is a FIFO/) });
      expect(errors["edit-pipe"]).toMatchObject({ code: "not-a-file" });
      expect(errors["write-pipe"]).toMatchObject({ code: "not-a-file" });
      expect(errors["read-socket"]).toMatchObject({ code: "not-a-file", message: expect.stringMatching(/socket/) });
      for (const id of ["read-dir", "edit-dir", "write-dir"]) {
        expect(errors[id], id).toMatchObject({ code: "not-a-file", message: expect.stringMatching(/"adir" is a directory, not a file/) });
      }
      for (const error of Object.values(errors)) expect(JSON.stringify(error)).not.toContain(ws.dir);
    } finally {
      server.close();
    }
  });

  it("does not follow a symlink swapped in after the path was resolved", async () => {
    writeFileSync(path.join(outside.dir, "secret"), "outside\n");
    const target = path.join(ws.dir, "swapped");
    symlinkSync(path.join(outside.dir, "secret"), target);
    // What the workspace resolved a moment earlier was a path inside it; the open itself must refuse the link.
    for (const attempt of [
      () => diskFileSystem.read(target),
      () => diskFileSystem.write(target, Buffer.from("pwned")),
      () => diskFileSystem.update(target, () => Buffer.from("pwned")),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: "path-escape" });
    }
    expect(readFileSync(path.join(outside.dir, "secret"), "utf8")).toBe("outside\n");
    unlinkSync(target);
  });

  it("caps files read whole (to edit or journal them), naming the limit; a capped file.read still reads their start", async () => {
    const big = path.join(ws.dir, "big.bin");
    const fd = openSync(big, "w");
    ftruncateSync(fd, MAX_FILE_BYTES + 1);
    closeSync(fd);
    await expect(diskFileSystem.update(big, () => null)).rejects.toSatisfy(
      (error: unknown) => error instanceof NonRetryableError && error.code === "file-too-large" && /up to 64 MiB/.test(error.message),
    );
    const errors = await nodeErrors(
      plan({
        nodes: [
          { id: "edit-big", type: "file.edit", params: { path: "big.bin", edits: [{ find: "a", replace: "b" }] } },
          { id: "read-big", type: "file.read", params: { paths: ["big.bin"], maxBytes: 16 } },
        ],
      }),
    );
    expect(errors["edit-big"]).toMatchObject({
      code: "file-too-large",
      message: expect.stringMatching(/"big.bin" is 64 MiB; file operations handle files up to 64 MiB/),
    });
    expect(errors["read-big"]).toBeNull();
  });
});
