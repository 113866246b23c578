import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./password";
import { createRateLimiter } from "./rate-limiter";
import { safeNextPath } from "./schemas";
import { generateSecret, hashSecret, isSecretOfKind } from "./secret-tokens";

describe("passwords", () => {
  it("verifies the right password only, and treats a malformed hash as a mismatch", async () => {
    const stored = await hashPassword("correct horse");
    expect(stored).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(stored, "correct horse")).toBe(true);
    expect(await verifyPassword(stored, "correct hors")).toBe(false);
    expect(await verifyPassword("not a hash", "correct horse")).toBe(false);
  });
});

describe("secrets", () => {
  it("are random, prefixed by kind, and hashed deterministically", () => {
    const a = generateSecret("api");
    const b = generateSecret("api");
    expect(a).not.toBe(b);
    expect(isSecretOfKind(a, "api")).toBe(true);
    expect(isSecretOfKind(a, "session")).toBe(false);
    expect(hashSecret(a)).toBe(hashSecret(a));
    expect(hashSecret(a)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("rate limiter", () => {
  it("counts an attempt before it is checked, locks the key at the limit, and lets it in again later", () => {
    const limiter = createRateLimiter({ maxFailures: 3, windowMs: 1000 });
    for (let i = 0; i < 3; i += 1) expect(limiter.attempt("k", 100 + i).allowed).toBe(true);
    expect(limiter.attempt("k", 500)).toEqual({ allowed: false, retryAfterMs: 600 });
    expect(limiter.attempt("other", 500).allowed).toBe(true);
    expect(limiter.attempt("k", 1101).allowed).toBe(true);
    limiter.reset("k");
    expect(limiter.attempt("k", 1201).allowed).toBe(true);
  });

  it("takes back a forgiven attempt (one that succeeded)", () => {
    const limiter = createRateLimiter({ maxFailures: 2, windowMs: 1000 });
    limiter.attempt("k", 0);
    limiter.attempt("k", 1);
    limiter.forgive("k");
    expect(limiter.attempt("k", 2).allowed).toBe(true);
    expect(limiter.attempt("k", 3).allowed).toBe(false);
  });

  it("keeps a bounded number of keys", () => {
    const limiter = createRateLimiter({ maxFailures: 1, windowMs: 1000, maxKeys: 2 });
    limiter.attempt("a", 0);
    limiter.attempt("b", 0);
    limiter.attempt("c", 0);
    expect(limiter.attempt("a", 1).allowed).toBe(true);
    expect(limiter.attempt("c", 1).allowed).toBe(false);
  });
});

describe("safeNextPath", () => {
  it("allows same-origin relative paths only", () => {
    expect(safeNextPath("/plans/1?tab=runs#x")).toBe("/plans/1?tab=runs#x");
    expect(safeNextPath("/runs/%2F%2Fnot-a-host")).toBe("/runs/%2F%2Fnot-a-host");
    for (const offSite of [
      "//evil.example",
      "/\\evil.example",
      "/\tevil",
      "/\t/evil.example",
      "/\n/evil.example",
      "/ /evil.example",
      "https://evil.example",
      "javascript:alert(1)",
      "evil.example",
      "",
      undefined,
    ]) {
      expect(safeNextPath(offSite), JSON.stringify(offSite)).toBe("/library");
    }
  });
});
