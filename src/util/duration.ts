// Durations for --older-than: 30m, 48h, 7d, 2w.
import { InvalidArgumentError } from 'commander';

const UNITS_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * At most 100 years. --older-than becomes a `created_at` bound (now minus the duration) written as an
 * ISO date: far beyond this, the date cannot be represented at all (Date.toISOString throws past
 * ±8.64e15 ms), and no order is that old anyway.
 */
export const MAX_DURATION_MS = 36_500 * UNITS_MS.d!;

export function duration(value: string): number {
  const match = /^(\d+)([mhdw])$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError('Expected a duration like 30m, 48h, 7d or 2w.');
  const ms = Number(match[1]) * UNITS_MS[match[2]!]!;
  if (ms <= 0) throw new InvalidArgumentError('Expected a duration greater than zero.');
  if (!(ms <= MAX_DURATION_MS)) throw new InvalidArgumentError('Expected a duration of at most 100 years (36500d).');
  return ms;
}
