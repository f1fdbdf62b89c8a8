// The soak tests (docs/architecture.md#soak-tests) at CI sizes: the shared soak driver (bench/soak-lib.ts; `npm run bench` runs it at
// 2000 orders and 20 kills) over the real bin against a real sandbox. See that file for the invariant.
import { describe, expect, it } from 'vitest';

import { ACTION_NAMES, faultSoak, killSoak, type SoakResult } from '../../bench/soak-lib.js';

function expectInvariant(figures: SoakResult): void {
  expect(figures.violations).toEqual([]);
  expect(figures.duplicates).toBe(0);
  expect(figures.lost).toBe(0);
  expect(figures.planned).toBeGreaterThan(10);
  expect(figures.outcomes.done).toBe(figures.planned);
}

describe('fault soak: each action over 200 orders with 503, 429, resets before and after apply, slow answers and THROTTLED pressure', () => {
  it.concurrent.each(ACTION_NAMES)(
    '%s: every planned order reaches its target state, each mutation applied exactly once, every other order has a reason',
    async (action) => {
      const figures = await faultSoak({ action, orders: 200, timeScale: 8 });
      expectInvariant(figures);
      expect(figures.faultsTotal).toBeGreaterThan(5);
    },
    120_000,
  );
});

describe('kill/resume soak', () => {
  it('cancel over 300 orders, SIGKILLed 6 times and resumed each time: the journal always parses, nothing done twice or lost', async () => {
    const figures = await killSoak({ action: 'cancel', orders: 300, kills: 6, timeScale: 2, maxDelayMs: 2_500 });
    expectInvariant(figures);
    expect(figures.kills).toBe(6);
    expect(figures.killPhases?.executing ?? 0).toBeGreaterThanOrEqual(3); // most kills land while it acts
  }, 180_000);
});
