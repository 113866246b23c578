/**
 * Next bundles lib/db/errors.ts into several server chunks; an error thrown
 * from one copy must still be recognised by another, or it answers 500.
 */
import { describe, expect, it, vi } from "vitest";
import { ConflictError, DomainError, NotFoundError, StaleVersionError } from "./errors";

describe("domain errors across module copies", () => {
  it("recognises a DomainError and its kind from another copy of the module", async () => {
    vi.resetModules();
    const other = await import("./errors");
    expect(other.DomainError).not.toBe(DomainError);
    const notFound = new other.NotFoundError("Run");
    expect(notFound instanceof DomainError).toBe(true);
    expect(notFound instanceof NotFoundError).toBe(true);
    expect(notFound instanceof ConflictError).toBe(false);
    expect(new other.StaleVersionError(3) instanceof StaleVersionError).toBe(true);
    expect(new other.DomainError("invalid", "x") instanceof StaleVersionError).toBe(false);
    expect(new Error("plain") instanceof DomainError).toBe(false);
  });
});
