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
  it("locks a key out after too many failures in the window, and lets it in again later", () => {
    const limiter = createRateLimiter({ maxFailures: 3, windowMs: 1000 });
    for (let i = 0; i < 3; i += 1) {
      expect(limiter.check("k", 100 + i).allowed).toBe(true);
      limiter.recordFailure("k", 100 + i);
    }
    const locked = limiter.check("k", 500);
    expect(locked).toEqual({ allowed: false, retryAfterMs: 600 });
    expect(limiter.check("other", 500).allowed).toBe(true);
    expect(limiter.check("k", 1101).allowed).toBe(true);
    limiter.recordFailure("k", 1200);
    limiter.reset("k");
    expect(limiter.check("k", 1201).allowed).toBe(true);
  });

  it("keeps a bounded number of keys", () => {
    const limiter = createRateLimiter({ maxFailures: 1, windowMs: 1000, maxKeys: 2 });
    limiter.recordFailure("a", 0);
    limiter.recordFailure("b", 0);
    limiter.recordFailure("c", 0);
    expect(limiter.check("a", 1).allowed).toBe(true);
    expect(limiter.check("c", 1).allowed).toBe(false);
  });
});

describe("safeNextPath", () => {
  it("allows same-site paths only", () => {
    expect(safeNextPath("/plans/1")).toBe("/plans/1");
    expect(safeNextPath("//evil.example")).toBe("/library");
    expect(safeNextPath("https://evil.example")).toBe("/library");
    expect(safeNextPath(undefined)).toBe("/library");
  });
});
