/**
 * Domain errors, and the one place where Prisma's error codes are translated
 * into them, so no caller ever inspects a `P2002`.
 */

export type DomainErrorCode = "not_found" | "conflict" | "invalid" | "forbidden" | "stale";

/** Where an error records the kinds of domain error it is (its class and every parent). */
const KINDS = Symbol.for("batchboard.domainErrorKinds");

interface ErrorClass {
  readonly kind?: string;
}

/** The kinds a class declares along its chain (a subclass without its own `kind` adds none). */
function kindsOf(errorClass: ErrorClass | null): string[] {
  const kinds: string[] = [];
  for (let current = errorClass; current && current !== Function.prototype; current = Object.getPrototypeOf(current) as ErrorClass | null) {
    if (Object.hasOwn(current, "kind")) kinds.push(current.kind as string);
  }
  return kinds;
}

/**
 * A refusal the app answers with its code (never a 500). Next bundles this
 * module into several server chunks, each with its own copy of the class, so
 * `instanceof` goes by the kinds an error records rather than by class
 * identity: a NotFoundError thrown in one chunk is still one in another.
 */
export class DomainError extends Error {
  static readonly kind: string = "DomainError";
  readonly [KINDS]: string[];

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** Field path → messages, for errors a form can show in place. */
    readonly fieldErrors: Record<string, string[]> = {},
  ) {
    super(message);
    this.name = "DomainError";
    this[KINDS] = kindsOf(new.target);
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    // A subclass that declares no kind of its own is matched the ordinary way.
    if (!Object.hasOwn(this, "kind")) return Function.prototype[Symbol.hasInstance].call(this, value);
    if (typeof value !== "object" || value === null) return false;
    const kinds = (value as { [KINDS]?: unknown })[KINDS];
    return Array.isArray(kinds) && kinds.includes((this as ErrorClass).kind);
  }
}

export class NotFoundError extends DomainError {
  static override readonly kind: string = "NotFoundError";
  constructor(what: string) {
    super("not_found", `${what} was not found`);
  }
}

export class ConflictError extends DomainError {
  static override readonly kind: string = "ConflictError";
  constructor(message: string, fieldErrors: Record<string, string[]> = {}) {
    super("conflict", message, fieldErrors);
  }
}

/** Someone else saved first: the caller's base version is no longer the newest. */
export class StaleVersionError extends DomainError {
  static override readonly kind: string = "StaleVersionError";
  constructor(readonly latestVersion: number) {
    super("stale", `A newer version (${latestVersion}) of this plan exists; reload it before saving`);
  }
}

/** Stored data that does not fit its contract: a bug or an edited database, never the caller's fault (a 500). */
export class StoredDataError extends Error {
  override readonly name = "StoredDataError";
}

interface PrismaKnownError {
  code: string;
  meta?: { target?: unknown; modelName?: string; driverAdapterError?: { cause?: { constraint?: { fields?: string[] } } } };
}

function isPrismaKnownError(error: unknown): error is PrismaKnownError {
  return typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" && /^P\d{4}$/.test(error.code);
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
