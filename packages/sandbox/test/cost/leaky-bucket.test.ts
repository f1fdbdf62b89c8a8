import { describe, expect, it } from 'vitest';
import { LeakyBucket, throttledError } from '../../src/cost/index.js';

/** A clock the test moves by hand (milliseconds). */
function fakeClock(start = 1_700_000_000_000) {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
    set(ms: number) {
      t = ms;
    },
  };
}

function standardBucket(clock = fakeClock()) {
  return { clock, bucket: new LeakyBucket({ maximumAvailable: 2000, restoreRate: 100, now: clock.now }) };
}

describe('LeakyBucket', () => {
  it('starts full', () => {
    const { bucket } = standardBucket();
    expect(bucket.status()).toEqual({ maximumAvailable: 2000, currentlyAvailable: 2000, restoreRate: 100 });
  });

  it('takes only when enough points are available, all or nothing', () => {
    const { bucket } = standardBucket();
    expect(bucket.tryTake(1500)).toBe(true);
    expect(bucket.status().currentlyAvailable).toBe(500);
    expect(bucket.tryTake(501)).toBe(false);
    expect(bucket.status().currentlyAvailable).toBe(500); // a refused take takes nothing
    expect(bucket.tryTake(500)).toBe(true);
    expect(bucket.status().currentlyAvailable).toBe(0);
    expect(bucket.tryTake(1)).toBe(false);
    expect(bucket.tryTake(0)).toBe(true); // free requests always pass
  });

  it('refills continuously at restoreRate points per second', () => {
    const { clock, bucket } = standardBucket();
    bucket.tryTake(1500); // 500 left
    clock.advance(1000); // +100
    expect(bucket.status().currentlyAvailable).toBe(600);
    clock.advance(2500); // +250
    expect(bucket.status().currentlyAvailable).toBe(850);
    clock.advance(10); // +1
    expect(bucket.status().currentlyAvailable).toBe(851);
  });

  it('reports a floored integer and compares against the exact level', () => {
    const { clock, bucket } = standardBucket();
    bucket.tryTake(2000); // empty
    clock.advance(15); // +1.5
    expect(bucket.status().currentlyAvailable).toBe(1);
    expect(bucket.tryTake(2)).toBe(false);
    clock.advance(5); // +0.5 → exactly 2
    expect(bucket.tryTake(2)).toBe(true);
    expect(bucket.status().currentlyAvailable).toBe(0);
  });

  it('refills exactly over many small steps (no floating-point drift)', () => {
    const clock = fakeClock();
    const bucket = new LeakyBucket({ maximumAvailable: 1000, restoreRate: 50, now: clock.now });
    bucket.tryTake(1000);
    for (let i = 0; i < 1000; i++) {
      clock.advance(1); // 1000 × 0.05 = 50 points
      bucket.status();
    }
    expect(bucket.status().currentlyAvailable).toBe(50);
  });

  it('never exceeds maximumAvailable however long it idles', () => {
    const { clock, bucket } = standardBucket();
    bucket.tryTake(100);
    clock.advance(60 * 60 * 1000);
    expect(bucket.status().currentlyAvailable).toBe(2000);
    // the idle time is not banked: a big take right after still leaves at most max − cost
    expect(bucket.tryTake(2000)).toBe(true);
    expect(bucket.tryTake(1)).toBe(false);
  });

  it('caps refunds at the maximum and ignores non-positive refunds', () => {
    const { clock, bucket } = standardBucket();
    bucket.tryTake(752); // 1248
    bucket.refund(700); // requested − actual
    expect(bucket.status().currentlyAvailable).toBe(1948);
    bucket.refund(500);
    expect(bucket.status().currentlyAvailable).toBe(2000);
    bucket.tryTake(1000);
    bucket.refund(-50);
    bucket.refund(Number.NaN);
    expect(bucket.status().currentlyAvailable).toBe(1000);
    clock.advance(5000); // +500
    bucket.refund(600); // 1500 + 600 → capped
    expect(bucket.status().currentlyAvailable).toBe(2000);
  });

  it('refills before a refund so the refund is not lost to the cap', () => {
    const { clock, bucket } = standardBucket();
    bucket.tryTake(2000);
    clock.advance(3000); // +300
    bucket.refund(100);
    expect(bucket.status().currentlyAvailable).toBe(400);
  });

  it('does not refill when the clock goes backwards', () => {
    const clock = fakeClock(10_000);
    const bucket = new LeakyBucket({ maximumAvailable: 2000, restoreRate: 100, now: clock.now });
    bucket.tryTake(2000);
    clock.set(5_000);
    expect(bucket.status().currentlyAvailable).toBe(0);
    clock.set(11_000); // 1 s after the last time seen (10 000), not after 5 000
    expect(bucket.status().currentlyAvailable).toBe(100);
  });

  it('reproduces the documented throttled sample (1000 / 50, 666 available, 752 requested)', () => {
    const clock = fakeClock();
    const bucket = new LeakyBucket({ maximumAvailable: 1000, restoreRate: 50, now: clock.now });
    bucket.tryTake(334);
    expect(bucket.status()).toEqual({ maximumAvailable: 1000, currentlyAvailable: 666, restoreRate: 50 });
    expect(bucket.tryTake(752)).toBe(false);
    // wait (752 − 666) / 50 = 1.72 s
    clock.advance(1720);
    expect(bucket.tryTake(752)).toBe(true);
    expect(bucket.status().currentlyAvailable).toBe(0);
  });

  it('rejects nonsensical options', () => {
    const now = () => 0;
    expect(() => new LeakyBucket({ maximumAvailable: 0, restoreRate: 100, now })).toThrow(RangeError);
    expect(() => new LeakyBucket({ maximumAvailable: 2000, restoreRate: -1, now })).toThrow(RangeError);
    expect(() => new LeakyBucket({ maximumAvailable: Number.NaN, restoreRate: 1, now })).toThrow(RangeError);
  });
});

describe('throttledError', () => {
  it("matches Shopify's THROTTLED error object", () => {
    expect(throttledError()).toEqual({
      message: 'Throttled',
      extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
    });
  });
});
