/**
 * The one mapping from failures to HTTP answers for the JSON API: every
 * error is `{error: {code, message, issues: [{path, message}]}}` with a
 * status that follows from the code, so clients branch on `code` and show
 * `issues` next to the field they name.
 */
import type * as z from "zod";
import { DomainError, StaleVersionError, type DomainErrorCode } from "../db/errors";

export type ApiErrorCode =
  | DomainErrorCode
  | "validation"
  | "unauthenticated"
  | "cross_origin"
  | "payload_too_large"
  | "unsupported_media_type"
  | "method_not_allowed"
  | "rate_limited"
  | "internal";

export interface ApiIssue {
  /** Dotted path of the offending field, e.g. `document.nodes.2.params.path`; empty for the whole request. */
  path: string;
  message: string;
  /** A stable problem code when the plan validator found it. */
  code?: string;
}

const STATUS: Record<ApiErrorCode, number> = {
  validation: 400,
  invalid: 422,
  unauthenticated: 401,
  forbidden: 403,
  cross_origin: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  stale: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
};

export function apiError(code: ApiErrorCode, message: string, issues: ApiIssue[] = [], extra: Record<string, unknown> = {}): Response {
  return Response.json({ error: { code, message, issues, ...extra } }, { status: STATUS[code] });
}

export function issuesOfZodError(error: z.ZodError, prefix: readonly PropertyKey[] = []): ApiIssue[] {
  return error.issues.map((issue) => ({ path: [...prefix, ...issue.path].map(String).join("."), message: issue.message }));
}

function issuesOfFieldErrors(fieldErrors: Record<string, string[]>): ApiIssue[] {
  return Object.entries(fieldErrors).flatMap(([path, messages]) => messages.map((message) => ({ path, message })));
}

/** A refused request with one issue per problem, each naming its field (a plan's nodes, a tool-call batch's calls). */
export class RequestIssuesError extends DomainError {
  constructor(
    code: DomainErrorCode,
    message: string,
    readonly issues: ApiIssue[],
  ) {
    super(code, message);
    this.name = "RequestIssuesError";
  }
}

/** DomainErrors become their answer; anything else is a bug, logged and answered 500 without details. */
export function responseOfError(error: unknown): Response {
  if (error instanceof StaleVersionError) {
    return apiError("stale", error.message, [], { latestVersion: error.latestVersion });
  }
  if (error instanceof RequestIssuesError) return apiError(error.code, error.message, error.issues);
  if (error instanceof DomainError) return apiError(error.code, error.message, issuesOfFieldErrors(error.fieldErrors));
  console.error("API request failed", error);
  return apiError("internal", "Something went wrong on the server");
}
