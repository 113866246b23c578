import { chmodSync, linkSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SYNC_IO_LIMIT, createOverlayFileSystem, diskFileSystem } from "./file-system";
import { temporaryDirectory } from "./testing/harness";

let ws: ReturnType<typeof temporaryDirectory>;
beforeEach(() => {
  ws = temporaryDirectory();
});
afterEach(() => ws.cleanup());
const file = (name: string) => path.join(ws.dir, name);

describe("diskFileSystem", () => {
  it("rewrites an existing file in place: same inode, so its mode and hard links survive", async () => {
    writeFileSync(file("run.sh"), "#!/bin/sh\necho one two three\n");
    chmodSync(file("run.sh"), 0o754);
    linkSync(file("run.sh"), file("alias.sh"));
    const inode = statSync(file("run.sh")).ino;

    await diskFileSystem.write(file("run.sh"), Buffer.from("#!/bin/sh\necho 1\n"));

    expect(readFileSync(file("run.sh"), "utf8")).toBe("#!/bin/sh\necho 1\n");
    expect(statSync(file("run.sh")).ino).toBe(inode);
    expect(statSync(file("run.sh")).mode & 0o777).toBe(0o754);
    expect(readFileSync(file("alias.sh"), "utf8")).toBe("#!/bin/sh\necho 1\n");
  });

  it("updates through one open file: shorter content truncates, longer grows, null leaves the file alone", async () => {
    writeFileSync(file("a.txt"), "0123456789");
    const seen: Array<string | null> = [];
    const shrink = await diskFileSystem.update(file("a.txt"), (before) => {
      seen.push(before?.toString() ?? null);
      return Buffer.from("abc");
    });
    expect(shrink.before?.toString()).toBe("0123456789");
    expect(readFileSync(file("a.txt"), "utf8")).toBe("abc");
    await diskFileSystem.update(file("a.txt"), (before) => Buffer.concat([before ?? Buffer.alloc(0), Buffer.from("-more-than-before")]));
    expect(readFileSync(file("a.txt"), "utf8")).toBe("abc-more-than-before");
    const untouched = await diskFileSystem.update(file("a.txt"), () => null);
    expect(untouched.after).toBeNull();
    expect(readFileSync(file("a.txt"), "utf8")).toBe("abc-more-than-before");
    expect(seen).toEqual(["0123456789"]);
  });

  it("creates a missing file with its parent directories, and reads empty files", async () => {
    const created = await diskFileSystem.update(file("new/dir/n.txt"), (before) => (before === null ? Buffer.from("fresh") : null));
    expect(created).toEqual({ before: null, after: Buffer.from("fresh") });
    expect(readFileSync(file("new/dir/n.txt"), "utf8")).toBe("fresh");
    writeFileSync(file("empty.txt"), "");
    expect((await diskFileSystem.update(file("empty.txt"), () => null)).before).toEqual(Buffer.alloc(0));
  });

  it("reads and rewrites files larger than the synchronous limit through the asynchronous calls", async () => {
    const large = Buffer.alloc(SYNC_IO_LIMIT * 3 + 17, "x");
    writeFileSync(file("large.bin"), large);
    const grown = Buffer.concat([large, Buffer.from("tail")]);
    const result = await diskFileSystem.update(file("large.bin"), () => grown);
    expect(result.before?.equals(large)).toBe(true);
    expect(readFileSync(file("large.bin")).equals(grown)).toBe(true);
    await diskFileSystem.write(file("large.bin"), Buffer.from("small now"));
    expect(readFileSync(file("large.bin"), "utf8")).toBe("small now");
    expect((await diskFileSystem.read(file("large.bin")))?.toString()).toBe("small now");
    expect(await diskFileSystem.read(file("absent.bin"))).toBeNull();
  });

  it("leaves the file as it was when the change refuses", async () => {
    writeFileSync(file("keep.txt"), "original");
    await expect(
      diskFileSystem.update(file("keep.txt"), () => {
        throw new Error("refused");
      }),
    ).rejects.toThrow("refused");
    expect(readFileSync(file("keep.txt"), "utf8")).toBe("original");
  });
});

describe("createOverlayFileSystem", () => {
  it("shows updates to later reads without touching the disk", async () => {
    writeFileSync(file("a.txt"), "disk");
    const overlay = createOverlayFileSystem();
    await overlay.update(file("a.txt"), (before) => Buffer.from(`${before?.toString()} + overlay`));
    expect((await overlay.read(file("a.txt")))?.toString()).toBe("disk + overlay");
    expect(readFileSync(file("a.txt"), "utf8")).toBe("disk");
  });
});
