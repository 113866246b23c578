import { appendFileSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { openChangeLog, readChangeLog, removeChangeLog } from "./change-log";
import { diskFileSystem } from "./file-system";
import { FileJournal, hashContent } from "./journal";
import { memoryResources, plan, runPlan, temporaryDirectory } from "./testing/harness";
import { openWorkspace } from "./workspace";

let dir: ReturnType<typeof temporaryDirectory>;
beforeEach(() => {
  dir = temporaryDirectory("batchboard-log-");
});
afterEach(() => dir.cleanup());

it("reads back what was appended, binary bytes and absent files included, and ignores an entry cut short", () => {
  const log = openChangeLog(dir.dir, "run/1");
  log.append({ nodeId: "a", path: "x.bin", before: Buffer.from([0, 10, 255]), afterHash: "h1" });
  log.append({ nodeId: "b", path: "new.txt", before: null, afterHash: "h2" });
  log.append({ nodeId: "c", path: "gone.txt", before: Buffer.from("bye\n"), afterHash: null });
  log.close();
  const file = path.join(dir.dir, `${encodeURIComponent("run/1")}.changes`);
  appendFileSync(
    file,
    Buffer.concat([
      Buffer.from(`${JSON.stringify({ nodeId: "d", path: "cut.txt", beforeLength: 100, afterHash: "h" })}\n`),
      Buffer.from("only part"),
    ]),
  );
  expect(readChangeLog(dir.dir, "run/1")).toEqual([
    { nodeId: "a", path: "x.bin", before: Buffer.from([0, 10, 255]), afterHash: "h1" },
    { nodeId: "b", path: "new.txt", before: null, afterHash: "h2" },
    { nodeId: "c", path: "gone.txt", before: Buffer.from("bye\n"), afterHash: null },
  ]);
  removeChangeLog(dir.dir, "run/1");
  expect(readChangeLog(dir.dir, "run/1")).toEqual([]);
});

it("the journal logs each change's previous bytes before the change reaches the disk", async () => {
  const ws = temporaryDirectory();
  try {
    writeFileSync(path.join(ws.dir, "a.txt"), "one");
    const log = openChangeLog(dir.dir, "r");
    const onDiskWhenLogged: string[] = [];
    const watched = {
      ...log,
      append: (intent: Parameters<typeof log.append>[0]) => {
        onDiskWhenLogged.push(readFileSync(path.join(ws.dir, intent.path), "utf8"));
        log.append(intent);
      },
    };
    const files = new FileJournal(diskFileSystem, openWorkspace(ws.dir), () => undefined, 1, watched).scope().forNode("n");
    await files.update("a.txt", () => Buffer.from("two"));
    await files.update("a.txt", (before) => before);
    log.close();
    expect(onDiskWhenLogged).toEqual(["one"]);
    expect(readChangeLog(dir.dir, "r")).toEqual([
      { nodeId: "n", path: "a.txt", before: Buffer.from("one"), afterHash: hashContent(Buffer.from("two")) },
    ]);
  } finally {
    ws.cleanup();
  }
});

it("a run removes its logs once its changes and events are stored; a dry run opens only an event log", async () => {
  const ws = temporaryDirectory();
  try {
    const document = plan({ nodes: [{ id: "w", type: "file.write", params: { path: "w.txt", content: "x" } }] });
    const wet = memoryResources();
    wet.changeLogDirectory = path.join(dir.dir, "wet");
    expect((await runPlan(wet, document, ws.dir)).outcome.status).toBe("succeeded");
    expect(readdirSync(wet.changeLogDirectory)).toEqual([]);
    const dry = memoryResources();
    const dryLogs = path.join(dir.dir, "dry");
    dry.changeLogDirectory = dryLogs;
    const logsMidRun: string[][] = [];
    dry.bus.subscribe("*", (event) => {
      if (event.type === "node.status" && event.status === "succeeded") logsMidRun.push(readdirSync(dryLogs));
    });
    expect((await runPlan(dry, document, ws.dir, { dryRun: true })).outcome.status).toBe("succeeded");
    expect(logsMidRun).toEqual([[expect.stringMatching(/\.events$/)]]);
    expect(readdirSync(dryLogs)).toEqual([]);
  } finally {
    ws.cleanup();
  }
});
