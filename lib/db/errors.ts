/**
 * Domain errors, and the one place where Prisma's error codes are translated
 * into them, so no caller ever inspects a `P2002`.
 */

export type DomainErrorCode = "not_found" | "conflict" | "invalid" | "forbidden" | "stale";

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** Field path → messages, for errors a form can show in place. */
    readonly fieldErrors: Record<string, string[]> = {},
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super("not_found", `${what} was not found`);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, fieldErrors: Record<string, string[]> = {}) {
    super("conflict", message, fieldErrors);
  }
}

/** Someone else saved first: the caller's base version is no longer the newest. */
export class StaleVersionError extends DomainError {
  constructor(readonly latestVersion: number) {
    super("stale", `A newer version (${latestVersion}) of this plan exists; reload it before saving`);
  }
}

interface PrismaKnownError {
  code: string;
  meta?: { target?: unknown; modelName?: string; driverAdapterError?: { cause?: { constraint?: { fields?: string[] } } } };
}

function isPrismaKnownError(error: unknown): error is PrismaKnownError {
  return (
    typeof error === "object" &&
    error !== null &&
    "code" in error &&
    typeof error.code === "string" &&
    /^P\d{4}$/.test(error.code)
  );
}

function uniqueFields(error: PrismaKnownError): string[] {
  const target = error.meta?.target;
  if (Array.isArray(target)) return target.map(String);
  return error.meta?.driverAdapterError?.cause?.constraint?.fields ?? [];
}

/** Turns a Prisma error into a DomainError; anything else is returned unchanged. */
export function translateDatabaseError(error: unknown): unknown {
  if (error instanceof DomainError || !isPrismaKnownError(error)) return error;
  switch (error.code) {
    case "P2002": {
      const fields = uniqueFields(error);
      const fieldErrors = Object.fromEntries(fields.map((field) => [field, ["Already taken"]]));
      return new ConflictError(`Already exists${fields.length ? ` (${fields.join(", ")})` : ""}`, fieldErrors);
    }
    case "P2025":
      return new NotFoundError(error.meta?.modelName ?? "Record");
    case "P2003":
      return new DomainError("invalid", "Refers to a record that does not exist");
    default:
      return error;
  }
}
