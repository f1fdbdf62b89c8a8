import { describe, expect, it } from 'vitest';

import { CostGate, type Reservation } from '../../../src/run/cost-gate.js';
import type { CostInfo, ThrottleStatus } from '../../../src/shopify/call-outcome.js';
import { createFakeClock } from '../../helpers/context.js';

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

function setup(maxInFlight: number, initial: ThrottleStatus = { maximumAvailable: 1000, currentlyAvailable: 1000, restoreRate: 50 }) {
  const clock = createFakeClock(0);
  const gate = new CostGate({ now: clock.now, sleep: clock.sleep, maxInFlight, initial });
  return { clock, gate };
}

/** Starts an acquire and records when it settles, in order. */
function track(gate: CostGate, order: string[], name: string, points: number, signal?: AbortSignal) {
  const state: { reservation: Reservation | null; error: unknown } = { reservation: null, error: null };
  const promise = gate.acquire(points, signal).then(
    (reservation) => {
      state.reservation = reservation;
      order.push(name);
    },
    (error: unknown) => {
      state.error = error;
      order.push(`${name}!`);
    },
  );
  return Object.assign(state, { promise });
}

function cost(requested: number, actual: number, status?: ThrottleStatus): CostInfo {
  return { requested, actual, throttleStatus: status ?? null };
}

describe('CostGate', () => {
  it('admits in arrival order: a big reservation is not starved by later small ones', async () => {
    const { clock, gate } = setup(10, { maximumAvailable: 1000, currentlyAvailable: 0, restoreRate: 50 });
    const order: string[] = [];
    const big = track(gate, order, 'poll', 250);
    const smalls = [1, 2, 3].map((n) => track(gate, order, `m${n}`, 10));
    await clock.advance(1000); // 50 points: enough for every small one, not for the poll
    expect(order).toEqual([]);
    await clock.advance(4000); // 250 points
    expect(order).toEqual(['poll']);
    expect(big.reservation).toEqual({ points: 250 });
    await clock.advance(600); // 30 more points
    expect(order).toEqual(['poll', 'm1', 'm2', 'm3']);
    expect(smalls.every((s) => s.reservation?.points === 10)).toBe(true);
  });

  it('never admits more than maxInFlight at once, and hands slots over in order', async () => {
    const { clock, gate } = setup(2);
    const order: string[] = [];
    const waiters = ['a', 'b', 'c', 'd', 'e'].map((name) => track(gate, order, name, 10));
    await flush();
    expect(order).toEqual(['a', 'b']);
    expect(gate.stats().inFlight).toBe(2);
    gate.release(waiters[1]!.reservation!, cost(10, 10), 'answered');
    await flush();
    expect(order).toEqual(['a', 'b', 'c']);
    expect(gate.stats().inFlight).toBe(2);
    gate.release(waiters[0]!.reservation!, cost(10, 10), 'answered');
    gate.release(waiters[2]!.reservation!, cost(10, 10), 'answered');
    await flush();
    expect(order).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(gate.stats().inFlight).toBe(2);
    expect(clock.pending).toBe(0);
  });

  it('an aborted waiter rejects at once, leaves the queue, and the later ones still get in', async () => {
    const { gate } = setup(1);
    const order: string[] = [];
    const holder = track(gate, order, 'holder', 10);
    await flush();
    const first = new AbortController();
    const a = track(gate, order, 'a', 10, first.signal);
    const b = track(gate, order, 'b', 10);
    const c = track(gate, order, 'c', 10);
    await flush();
    first.abort(new Error('stop'));
    await flush();
    expect(order).toEqual(['holder', 'a!']);
    expect(a.error).toEqual(new Error('stop'));
    gate.release(holder.reservation!, cost(10, 10), 'answered');
    await flush();
    expect(order).toEqual(['holder', 'a!', 'b']);
    gate.release(b.reservation!, cost(10, 10), 'answered');
    await flush();
    expect(order).toEqual(['holder', 'a!', 'b', 'c']);
    expect(c.reservation).toEqual({ points: 10 });
    expect(gate.stats().inFlight).toBe(1);
  });

  it('an aborted head waiting for budget hands over to the next', async () => {
    const { clock, gate } = setup(10, { maximumAvailable: 1000, currentlyAvailable: 0, restoreRate: 50 });
    const order: string[] = [];
    const controller = new AbortController();
    track(gate, order, 'poll', 250, controller.signal);
    track(gate, order, 'm', 10);
    await clock.advance(100);
    controller.abort();
    await flush();
    expect(order).toEqual(['poll!']);
    await clock.advance(100); // 10 points by now
    expect(order).toEqual(['poll!', 'm']);
  });

  it('a waiter that was woken but aborted passes the turn on', async () => {
    const { gate } = setup(1);
    const order: string[] = [];
    const holder = track(gate, order, 'holder', 10);
    await flush();
    const controller = new AbortController();
    track(gate, order, 'a', 10, controller.signal);
    track(gate, order, 'b', 10);
    await flush();
    gate.release(holder.reservation!, cost(10, 10), 'answered'); // wakes a
    controller.abort(); // before a runs again
    await flush();
    expect(order).toEqual(['holder', 'a!', 'b']);
  });

  it('rejects at once when already aborted, without queueing', async () => {
    const { gate } = setup(1);
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    await expect(gate.acquire(10, controller.signal)).rejects.toThrow('gone');
    await expect(gate.acquire(10)).resolves.toEqual({ points: 10 });
  });

  it('takes an overspend off the estimate and gives back what was not used', async () => {
    const { gate } = setup(5);
    const first = await gate.acquire(10);
    expect(gate.stats().available).toBe(990);
    gate.release(first, cost(10, 50), 'answered');
    expect(gate.stats().available).toBe(950);
    const second = await gate.acquire(100);
    gate.release(second, cost(100, 30), 'answered');
    expect(gate.stats().available).toBe(920);
  });

  it('does not hang when the maximum shrinks below what a waiter asked for', async () => {
    const { clock, gate } = setup(5, { maximumAvailable: 1000, currentlyAvailable: 0, restoreRate: 50 });
    const order: string[] = [];
    const big = track(gate, order, 'big', 800);
    await clock.advance(1000);
    gate.observe({ maximumAvailable: 100, currentlyAvailable: 0, restoreRate: 50 });
    await clock.advance(20_000);
    expect(order).toEqual(['big']);
    expect(big.reservation).toEqual({ points: 100 });
  });

  it('counts a throttled request as free', async () => {
    const { gate } = setup(5);
    const reservation = await gate.acquire(100);
    gate.release(
      reservation,
      { requested: 100, actual: null, throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 1000, restoreRate: 50 } },
      'throttled',
    );
    expect(gate.stats()).toMatchObject({ available: 1000, throttled: 1, inFlight: 0 });
  });
});
