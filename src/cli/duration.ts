// Durations for --older-than: 30m, 48h, 7d, 2w.
import { InvalidArgumentError } from 'commander';

const UNITS_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export function duration(value: string): number {
  const match = /^(\d+)([mhdw])$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError('Expected a duration like 30m, 48h, 7d or 2w.');
  const ms = Number(match[1]) * UNITS_MS[match[2]!]!;
  if (ms <= 0 || !Number.isSafeInteger(ms)) throw new InvalidArgumentError('Expected a duration greater than zero.');
  return ms;
}
