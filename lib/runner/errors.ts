/** Errors executors throw; the scheduler maps them to a node's {@link NodeError}. */
import type { NodeError } from "../run-events/run-events";

/**
 * A failure that retrying cannot fix (an edit that does not match, a path
 * outside the workspace): the scheduler does not retry it.
 */
export class NonRetryableError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: { editIndex?: number } = {},
  ) {
    super(message);
    this.name = "NonRetryableError";
  }
}

/** A failure that may pass on another attempt (a command's exit code, a timeout). */
export class OperationError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** A result worth keeping even though the node failed (exit code, output tail). */
    readonly result?: unknown,
  ) {
    super(message);
    this.name = "OperationError";
  }
}

/** Thrown when the node's abort signal fires (cancel, timeout, stop policy). */
export class AbortedError extends Error {
  constructor(readonly reason: "cancelled" | "timeout") {
    super(reason === "timeout" ? "Timed out" : "Cancelled");
    this.name = "AbortedError";
  }
}

/** Maps anything thrown by an executor to the stored error shape. */
export function toNodeError(error: unknown): NodeError {
  if (error instanceof NonRetryableError) {
    return { code: error.code, message: error.message, retryable: false, ...error.details };
  }
  if (error instanceof OperationError) return { code: error.code, message: error.message, retryable: true };
  if (error instanceof AbortedError) return { code: error.reason, message: error.message, retryable: error.reason === "timeout" };
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { code: typeof code === "string" ? code : "error", message: error.message, retryable: true };
  }
  return { code: "error", message: String(error), retryable: true };
}

/** Whether the scheduler may try again after this error. */
export function isRetryable(error: unknown): boolean {
  return !(error instanceof NonRetryableError) && !(error instanceof AbortedError && error.reason === "cancelled");
}
