import { describe, expect, it } from 'vitest';

import { formatAge, formatOptions, formatWhen } from '../../../src/ui/runs-view.js';

describe('runs view', () => {
  it('formatAge: seconds, minutes, hours up to two days, days up to a month', () => {
    const s = 1000;
    expect([2 * s, 42 * s, 5 * 60 * s, 3 * 3600 * s, 47 * 3600 * s, 3 * 86400 * s].map(formatAge)).toEqual([
      'just now',
      '42s ago',
      '5m ago',
      '3h ago',
      '47h ago',
      '3d ago',
    ]);
    expect(formatAge(-1)).toBeUndefined();
    expect(formatAge(40 * 86400 * s)).toBeUndefined();
  });

  it('formatWhen: ISO to the second, or relative; unreadable times as they are', () => {
    const now = Date.parse('2026-01-15T12:00:00.000Z');
    expect(formatWhen('2026-01-15T09:00:00.123Z', now, false)).toBe('2026-01-15T09:00:00Z');
    expect(formatWhen('2026-01-15T09:00:00.123Z', now, true)).toBe('2h ago');
    expect(formatWhen('2026-01-16T09:00:00.000Z', now, true)).toBe('2026-01-16T09:00:00Z');
    expect(formatWhen('yesterday', now, true)).toBe('yesterday');
    expect(formatWhen(null, now, true)).toBe('-');
  });

  it('formatOptions: key=value, strings quoted only when needed, dryRun left to its own line', () => {
    expect(formatOptions({ reason: 'fraud', staffNote: 'two words', restock: true, limit: null, dryRun: false, service: ['a'] })).toBe(
      'reason=fraud staffNote="two words" restock=true limit=null service=["a"]',
    );
  });
});
