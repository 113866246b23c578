/**
 * Counts attempts per key in a sliding window and locks the key out once it
 * has too many. An attempt is counted *before* the slow check it guards
 * (a password hash), so any number of parallel attempts gets at most
 * `maxFailures` through; a successful one is forgiven afterwards. Kept in
 * memory: sign-in runs in one server process, and a restart forgetting a
 * lockout is harmless.
 */
export interface RateLimitDecision {
  allowed: boolean;
  /** Milliseconds until the next attempt is allowed; 0 when allowed. */
  retryAfterMs: number;
}

export interface RateLimiter {
  /** Whether an attempt may go ahead; when it may, it is counted at once (as a failure until forgiven). */
  attempt(key: string, now?: number): RateLimitDecision;
  /** Takes back one counted attempt: the one that turned out to succeed. */
  forgive(key: string): void;
  reset(key: string): void;
}

export interface RateLimitOptions {
  maxFailures: number;
  windowMs: number;
  /** Keys kept at most, so a flood of made-up emails cannot exhaust memory. */
  maxKeys?: number;
}

/** @example const limiter = createRateLimiter({ maxFailures: 5, windowMs: 15 * 60_000 }); */
export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const attempts = new Map<string, number[]>();
  const maxKeys = options.maxKeys ?? 10_000;

  function recent(key: string, now: number): number[] {
    const times = (attempts.get(key) ?? []).filter((time) => now - time < options.windowMs);
    if (times.length) attempts.set(key, times);
    else attempts.delete(key);
    return times;
  }

  return {
    attempt(key, now = Date.now()) {
      const times = recent(key, now);
      if (times.length >= options.maxFailures) {
        const oldest = times[times.length - options.maxFailures] ?? now;
        return { allowed: false, retryAfterMs: Math.max(1, oldest + options.windowMs - now) };
      }
      times.push(now);
      attempts.delete(key);
      attempts.set(key, times);
      // Maps iterate in insertion order: the first key is the least recently tried.
      while (attempts.size > maxKeys) {
        const oldestKey = attempts.keys().next().value;
        if (oldestKey === undefined) break;
        attempts.delete(oldestKey);
      }
      return { allowed: true, retryAfterMs: 0 };
    },
    forgive(key) {
      const times = attempts.get(key);
      times?.pop();
      if (times && !times.length) attempts.delete(key);
    },
    reset(key) {
      attempts.delete(key);
    },
  };
}
