/**
 * The process-wide limiters for sign-in attempts: per account *and* client
 * address (guessing one account's password), and more loosely per client
 * address (one client trying many accounts). Never per account alone: then a
 * stranger could lock the owner out by failing on purpose. Kept on
 * globalThis because Next may load this module more than once per process.
 */
import { createRateLimiter, type RateLimiter } from "../auth/rate-limiter";
import { SIGN_IN_MAX_FAILURES, SIGN_IN_WINDOW_MS } from "../auth/session-policy";

export interface SignInLimiters {
  byAccountAndAddress: RateLimiter;
  byAddress: RateLimiter;
}

export function createSignInLimiters(maxFailures = SIGN_IN_MAX_FAILURES): SignInLimiters {
  return {
    byAccountAndAddress: createRateLimiter({ maxFailures, windowMs: SIGN_IN_WINDOW_MS }),
    byAddress: createRateLimiter({ maxFailures: maxFailures * 10, windowMs: SIGN_IN_WINDOW_MS }),
  };
}

const slot = globalThis as typeof globalThis & { batchboardSignInLimiters?: SignInLimiters };

export function getSignInLimiters(): SignInLimiters {
  slot.batchboardSignInLimiters ??= createSignInLimiters();
  return slot.batchboardSignInLimiters;
}
