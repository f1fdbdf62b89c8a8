// Shopify's GraphQL Admin leaky bucket, as emulated by the sandbox.
//
// Published (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits): limits are per app+store,
// the quota "refills continuously" at the plan's restore rate (points/second); "Before execution begins, an
// app's bucket must have enough capacity for the requested cost of a query. When execution is complete, the
// bucket is refunded the difference between the requested cost and the actual cost of the query."
// Response shape: `throttleStatus { maximumAvailable: 2000.0, currentlyAvailable: 1995, restoreRate: 100.0 }`
// (currentlyAvailable is an integer in every observed response).
//
// Sandbox choices where the docs are silent:
//   - The bucket starts full; refill is computed lazily from `now()` (ms) on every call, capped at the maximum.
//   - A clock that goes backwards refills nothing (the last-seen time never moves back).
//   - `tryTake` is all-or-nothing: it takes only if the (unrounded) available amount covers the cost; a cost
//     of 0 or less always succeeds and takes nothing.
//   - `refund` of a non-positive / non-finite amount is ignored; refunds never lift the level above the maximum.
//   - `currentlyAvailable` is reported floored to an integer; `maximumAvailable` / `restoreRate` as given.
//   - Internally the level is kept in thousandths of a point so that integer rates and millisecond clocks
//     refill exactly (no floating-point drift such as 99.99999 being reported as 99).

export interface LeakyBucketOptions {
  /** Bucket size in points (e.g. 2000 on Standard plans). */
  maximumAvailable: number;
  /** Points restored per second (e.g. 100 on Standard plans). */
  restoreRate: number;
  /** Current time in milliseconds. */
  now: () => number;
}

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

const SCALE = 1000; // internal unit: 1/1000 point

export class LeakyBucket {
  readonly #maximumAvailable: number;
  readonly #restoreRate: number;
  readonly #now: () => number;
  readonly #maxScaled: number;
  #levelScaled: number;
  #lastRefillAt: number;

  constructor(opts: LeakyBucketOptions) {
    if (!Number.isFinite(opts.maximumAvailable) || opts.maximumAvailable <= 0) {
      throw new RangeError(`maximumAvailable must be a positive number, got ${opts.maximumAvailable}`);
    }
    if (!Number.isFinite(opts.restoreRate) || opts.restoreRate < 0) {
      throw new RangeError(`restoreRate must be a non-negative number, got ${opts.restoreRate}`);
    }
    this.#maximumAvailable = opts.maximumAvailable;
    this.#restoreRate = opts.restoreRate;
    this.#now = opts.now;
    this.#maxScaled = Math.round(opts.maximumAvailable * SCALE);
    this.#levelScaled = this.#maxScaled;
    this.#lastRefillAt = opts.now();
  }

  /** Takes `cost` points if that many are available now; returns whether it did. */
  tryTake(cost: number): boolean {
    this.#refill();
    if (!(cost > 0)) return true;
    const scaled = Math.round(cost * SCALE);
    if (this.#levelScaled < scaled) return false;
    this.#levelScaled -= scaled;
    return true;
  }

  /** Gives `points` back (e.g. requested − actual cost), never above the maximum. */
  refund(points: number): void {
    this.#refill();
    if (!Number.isFinite(points) || points <= 0) return;
    this.#levelScaled = Math.min(this.#maxScaled, this.#levelScaled + Math.round(points * SCALE));
  }

  /** Shopify's `throttleStatus`, refilled up to `now()`. */
  status(): ThrottleStatus {
    this.#refill();
    return this.statusAsDecided();
  }

  /**
   * The `throttleStatus` as of the last take or refund, without refilling: what a THROTTLED answer reports,
   * so it never shows enough points for the request it refused (a refill a millisecond later could).
   */
  statusAsDecided(): ThrottleStatus {
    return {
      maximumAvailable: this.#maximumAvailable,
      currentlyAvailable: Math.floor(this.#levelScaled / SCALE),
      restoreRate: this.#restoreRate,
    };
  }

  #refill(): void {
    const now = this.#now();
    if (!(now > this.#lastRefillAt)) return; // same instant, or the clock went backwards
    const elapsedMs = now - this.#lastRefillAt;
    this.#lastRefillAt = now;
    // restoreRate points/s × elapsedMs ms = restoreRate × elapsedMs thousandths of a point.
    this.#levelScaled = Math.min(this.#maxScaled, this.#levelScaled + this.#restoreRate * elapsedMs);
  }
}

export interface ThrottledError {
  message: 'Throttled';
  extensions: { code: 'THROTTLED'; documentation: string };
}

/** Shopify's THROTTLED error object (sent with HTTP 200, `data` absent, `actualQueryCost: null`). */
export function throttledError(): ThrottledError {
  return {
    message: 'Throttled',
    extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
  };
}
