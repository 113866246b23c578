/**
 * Counts failed attempts per key in a sliding window and locks the key out
 * once it has too many. Kept in memory: sign-in runs in one server process,
 * and a restart forgetting a lockout is harmless.
 */
export interface RateLimitDecision {
  allowed: boolean;
  /** Milliseconds until the next attempt is allowed; 0 when allowed. */
  retryAfterMs: number;
}

export interface RateLimiter {
  check(key: string, now?: number): RateLimitDecision;
  recordFailure(key: string, now?: number): void;
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
  const failures = new Map<string, number[]>();
  const maxKeys = options.maxKeys ?? 10_000;

  function recent(key: string, now: number): number[] {
    const times = (failures.get(key) ?? []).filter((time) => now - time < options.windowMs);
    if (times.length) failures.set(key, times);
    else failures.delete(key);
    return times;
  }

  return {
    check(key, now = Date.now()) {
      const times = recent(key, now);
      if (times.length < options.maxFailures) return { allowed: true, retryAfterMs: 0 };
      const oldest = times[times.length - options.maxFailures] ?? now;
      return { allowed: false, retryAfterMs: Math.max(1, oldest + options.windowMs - now) };
    },
    recordFailure(key, now = Date.now()) {
      const times = recent(key, now);
      times.push(now);
      failures.delete(key);
      failures.set(key, times);
      // Maps iterate in insertion order: the first key is the least recently failed.
      while (failures.size > maxKeys) {
        const oldestKey = failures.keys().next().value;
        if (oldestKey === undefined) break;
        failures.delete(oldestKey);
      }
    },
    reset(key) {
      failures.delete(key);
    },
  };
}
