/**
 * The process-wide limiters for failed sign-ins: per email (a guessing
 * attack on one account) and, more loosely, per client address (one client
 * trying many accounts). Kept on globalThis because Next may load this module
 * more than once per process.
 */
import { createRateLimiter, type RateLimiter } from "../auth/rate-limiter";
import { SIGN_IN_MAX_FAILURES, SIGN_IN_WINDOW_MS } from "../auth/session-policy";

export interface SignInLimiters {
  byEmail: RateLimiter;
  byAddress: RateLimiter;
}

const slot = globalThis as typeof globalThis & { batchboardSignInLimiters?: SignInLimiters };

export function getSignInLimiters(): SignInLimiters {
  slot.batchboardSignInLimiters ??= {
    byEmail: createRateLimiter({ maxFailures: SIGN_IN_MAX_FAILURES, windowMs: SIGN_IN_WINDOW_MS }),
    byAddress: createRateLimiter({ maxFailures: SIGN_IN_MAX_FAILURES * 10, windowMs: SIGN_IN_WINDOW_MS }),
  };
  return slot.batchboardSignInLimiters;
}
