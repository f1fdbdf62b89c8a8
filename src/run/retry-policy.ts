// How long to wait between attempts after a transient failure: exponential backoff with jitter (half
// fixed, half random, so many workers failing together do not retry together), capped.

export interface RetryLimits {
  /** Resends after THROTTLED or 429 (Shopify ran nothing), before giving up on that request. */
  throttleRetries: number;
  /** Attempts after 5xx, resets and timeouts. */
  transientRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_LIMITS: RetryLimits = {
  throttleRetries: 50,
  transientRetries: 6,
  baseDelayMs: 250,
  maxDelayMs: 20_000,
};

/** The wait before the `failures`-th retry (1-based). */
export function backoffMs(failures: number, limits: RetryLimits, random: () => number): number {
  const ceiling = Math.min(limits.maxDelayMs, limits.baseDelayMs * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
