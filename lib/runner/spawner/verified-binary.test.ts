/**
 * The compiled zygote is reused only when verified: a real binary compiled
 * with cc is reused as is, and one that was changed, replaced by a symlink
 * or made writable by others is compiled again before anything runs it.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ensureNativeZygote } from "./process-spawner";

const hasCompiler = existsSync("/usr/bin/cc");
let cacheDir: string;
beforeEach(() => {
  cacheDir = mkdtempSync(path.join(os.tmpdir(), "bb-zygote-"));
});
afterEach(() => {
  rmSync(cacheDir, { recursive: true, force: true });
});

describe.skipIf(!hasCompiler)("native zygote cache", () => {
  it("compiles once, private and with its hash beside it, and reuses the same file", () => {
    const binary = ensureNativeZygote(cacheDir);
    expect(binary).not.toBeNull();
    const file = binary as string;
    expect(statSync(file).mode & 0o777).toBe(0o700);
    expect(readFileSync(`${file}.sha256`, "utf8")).toMatch(/^[0-9a-f]{64}$/);
    const inode = statSync(file).ino;
    expect(ensureNativeZygote(cacheDir)).toBe(file);
    expect(statSync(file).ino).toBe(inode);
  });

  it.each([
    ["its bytes were changed", (file: string) => writeFileSync(file, "#!/bin/sh\necho pwned\n", { mode: 0o700 })],
    ["others may write it", (file: string) => chmodSync(file, 0o777)],
    [
      "it became a symlink",
      (file: string) => {
        rmSync(file);
        symlinkSync("/bin/sh", file);
      },
    ],
    ["its hash is missing", (file: string) => rmSync(`${file}.sha256`)],
  ])("compiles it again when %s", (_what, tamper) => {
    const file = ensureNativeZygote(cacheDir) as string;
    const original = readFileSync(file);
    tamper(file);
    expect(ensureNativeZygote(cacheDir)).toBe(file);
    expect(readFileSync(file).equals(original)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o700);
  });
});
