/**
 * The compiled zygote starts every command, so a binary in the cache is run
 * only if it is exactly what this process compiled: its SHA-256 is stored
 * beside it, and before reuse the file must still match it, be a regular
 * file (not a symlink) owned by this user, and be writable by nobody else,
 * in a directory nobody else may write to. Anything else is removed and
 * compiled again.
 */
import { createHash } from "node:crypto";
import { chmodSync, lstatSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

const hashFileOf = (binary: string) => `${binary}.sha256`;

function sha256Of(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/** Only this user may have written it: owned by us and not writable by group or others. */
function isPrivate(file: string): boolean {
  const stats = lstatSync(file);
  const ownedByUs = typeof process.getuid !== "function" || stats.uid === process.getuid();
  return ownedByUs && (stats.mode & 0o022) === 0;
}

/**
 * Moves a freshly compiled binary into place, locked down, with its hash
 * beside it. The hash lands first, so another process that finds the binary
 * always finds its hash too.
 */
export function installVerifiedBinary(compiled: string, binary: string): void {
  chmodSync(compiled, 0o700);
  const pendingHash = `${compiled}.sha256`;
  writeFileSync(pendingHash, sha256Of(compiled), { mode: 0o600 });
  renameSync(pendingHash, hashFileOf(binary));
  renameSync(compiled, binary);
}

/**
 * Whether the cached binary may be run. One that fails the check is removed
 * (with its hash), so the caller compiles a fresh one.
 */
export function verifyCachedBinary(binary: string): boolean {
  try {
    const stats = lstatSync(binary);
    const trusted =
      stats.isFile() &&
      isPrivate(binary) &&
      isPrivate(path.dirname(binary)) &&
      isPrivate(hashFileOf(binary)) &&
      readFileSync(hashFileOf(binary), "utf8").trim() === sha256Of(binary);
    if (trusted) return true;
  } catch {
    // Missing, unreadable or vanished halfway: not trusted.
  }
  rmSync(binary, { force: true });
  rmSync(hashFileOf(binary), { force: true });
  return false;
}
