import { describe, expect, it } from 'vitest';

import { isRunId, newRunId } from '../../../src/journal/run-id.js';

const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

describe('newRunId', () => {
  it('is the UTC start time and a short random suffix', () => {
    const id = newRunId(new Date(Date.UTC(2026, 10, 26, 4, 15, 30, 999)), sequence(0, 0.5, 0.999, 0.1));
    expect(id).toMatch(/^20261126-041530-[a-z2-9]{4}$/);
    expect(id.slice(-4)).toBe('2hz5');
    expect(isRunId(id)).toBe(true);
  });

  it('never uses characters that are easy to misread, even at the ends of the random range', () => {
    for (let i = 0; i < 200; i++) {
      const suffix = newRunId(new Date(0), Math.random).slice(-4);
      expect(suffix).not.toMatch(/[01ilo]/);
    }
    expect(isRunId(newRunId(new Date(0), () => 1))).toBe(true);
  });

  it('sorts by start time as a plain string', () => {
    const times = [Date.UTC(2027, 0, 1), Date.UTC(2026, 11, 31, 23, 59, 59), Date.UTC(2026, 0, 2, 3, 4, 5), Date.UTC(2026, 0, 2, 3, 4, 6)];
    const ids = times.map((time) => newRunId(new Date(time), Math.random));
    expect([...ids].sort()).toEqual([ids[2], ids[3], ids[1], ids[0]]);
  });

  it('recognises only well-formed ids (they become file names)', () => {
    expect(isRunId('20261126-041530-k3f9')).toBe(true);
    for (const bad of ['last', '../20261126-041530-k3f9', '20261126-041530-K3F9', '20261126-041530-k3f', '20261126-041530-k3f0']) {
      expect(isRunId(bad)).toBe(false);
    }
  });
});
