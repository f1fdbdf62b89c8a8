// A client-side mirror of Shopify's leaky bucket (docs/shopify-behaviour.md#rate-limits), so a run spends the store's
// whole budget without being THROTTLED: each request reserves its expected cost before it is sent,
// and every answer's throttleStatus corrects the mirror. Answers arrive out of order, so the server's
// figure only ever lowers our estimate (it may not yet count requests still in flight); what a request
// did not use is given back, and what it used beyond its reservation is taken off. Admission is
// first in, first out: a big reservation (a confirmation poll) is not starved by small ones taking
// every refilled point, and a later request never jumps the queue for a request slot either.
import type { CostInfo, ThrottleStatus } from '../shopify/call-outcome.js';
import type { Clock } from '../context.js';

export interface CostGateOptions extends Clock {
  /** Most requests in flight at once, whatever the budget. */
  maxInFlight: number;
  /** Until the first answer tells us the plan: Shopify's smallest published bucket. */
  initial?: ThrottleStatus;
}

export interface Reservation {
  readonly points: number;
}

export interface GateStats {
  /** Milliseconds spent waiting for budget. */
  waitedMs: number;
  throttled: number;
  inFlight: number;
  /** Our estimate of the points available now. */
  available: number;
  maximumAvailable: number;
  restoreRate: number;
}

interface Waiter {
  /** Set while the waiter is parked; a wake-up finding it unset is not lost, as it re-checks anyway. */
  wake: (() => void) | null;
}

const FALLBACK: ThrottleStatus = { maximumAvailable: 1000, currentlyAvailable: 1000, restoreRate: 50 };

export class CostGate {
  private maximum: number;
  private rate: number;
  private available: number;
  private updatedAt: number;
  private inFlight = 0;
  private waitedMs = 0;
  private throttled = 0;
  /** Requests waiting to be admitted, oldest first. Only the head waits for budget and a slot. */
  private readonly queue: Waiter[] = [];

  constructor(private readonly options: CostGateOptions) {
    const initial = options.initial ?? FALLBACK;
    this.maximum = initial.maximumAvailable;
    this.rate = initial.restoreRate;
    this.available = initial.currentlyAvailable;
    this.updatedAt = options.now();
  }

  /**
   * Waits its turn (first in, first out), then until `points` are available and a request slot is
   * free, then takes both. Rejects promptly when `signal` aborts, leaving the queue to the others.
   */
  async acquire(points: number, signal?: AbortSignal): Promise<Reservation> {
    signal?.throwIfAborted();
    const started = this.options.now();
    const waiter: Waiter = { wake: null };
    this.queue.push(waiter);
    try {
      while (this.queue[0] !== waiter) await this.park(waiter, signal);
      for (;;) {
        signal?.throwIfAborted();
        if (this.inFlight >= this.options.maxInFlight) {
          await this.park(waiter, signal);
          continue;
        }
        this.refill();
        // The maximum may have changed while we waited.
        const wanted = Math.min(points, this.maximum);
        if (this.available >= wanted) {
          this.available -= wanted;
          this.inFlight++;
          this.waitedMs += this.options.now() - started;
          return { points: wanted };
        }
        const ms = Math.ceil(((wanted - this.available) / this.rate) * 1000);
        await this.options.sleep(Math.max(ms, 1), signal);
      }
    } finally {
      // Admitted or aborted: leave the queue, and if we were its head, hand over to the next.
      const index = this.queue.indexOf(waiter);
      if (index >= 0) this.queue.splice(index, 1);
      if (index === 0) this.queue[0]?.wake?.();
    }
  }

  /**
   * Gives the slot back and corrects the mirror from the answer. `cost` is null when the request
   * never reached GraphQL (network error, HTTP 5xx): then we cannot know whether Shopify charged it,
   * so we keep the reservation spent.
   */
  release(reservation: Reservation, cost: CostInfo | null, outcome: 'answered' | 'throttled' | 'unknown'): void {
    this.inFlight--;
    this.queue[0]?.wake?.();
    this.refill();
    if (outcome === 'throttled') {
      this.throttled++;
      // Shopify took nothing for a throttled request.
      this.available += reservation.points;
    } else if (cost && cost.actual !== null) {
      // Gives back what was not used; takes off what was used beyond the reservation.
      this.available += reservation.points - cost.actual;
    }
    const status = cost?.throttleStatus;
    if (status) {
      this.maximum = status.maximumAvailable;
      this.rate = status.restoreRate;
      this.available = Math.min(this.available, status.currentlyAvailable);
    }
    this.available = Math.min(this.available, this.maximum);
  }

  /** Takes a reading that came with no reservation (e.g. the first probe of the store). */
  observe(status: ThrottleStatus): void {
    this.refill();
    this.maximum = status.maximumAvailable;
    this.rate = status.restoreRate;
    this.available = Math.min(status.currentlyAvailable, this.maximum);
  }

  /**
   * Whether `points` can be spent now and leave the bucket at least half full: then points are not
   * what limits the run, and a cheaper way to ask (in points) that is slower is not worth it.
   */
  canSpare(points: number): boolean {
    this.refill();
    return this.available - points >= this.maximum / 2;
  }

  stats(): GateStats {
    this.refill();
    return {
      waitedMs: this.waitedMs,
      throttled: this.throttled,
      inFlight: this.inFlight,
      available: Math.floor(this.available),
      maximumAvailable: this.maximum,
      restoreRate: this.rate,
    };
  }

  /** Resolves when `waiter` is woken (it became the head, or a slot was freed); rejects on abort. */
  private park(waiter: Waiter, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        waiter.wake = null;
        reject(signal?.reason);
      };
      waiter.wake = () => {
        waiter.wake = null;
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private refill(): void {
    const now = this.options.now();
    const elapsed = Math.max(0, now - this.updatedAt);
    this.updatedAt = now;
    this.available = Math.min(this.maximum, this.available + (elapsed / 1000) * this.rate);
  }
}
