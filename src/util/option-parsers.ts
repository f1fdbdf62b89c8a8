// Commander argParsers: strings become typed values at parse time, and a bad value becomes
// commander's "option '--x <n>' argument 'y' is invalid. …" (exit 2), which names the flag.

import { InvalidArgumentError } from 'commander';

const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?(\d+\.?\d*|\.\d+)$/;

export function integer(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!INTEGER.test(value.trim()) || n < min || n > max) {
      throw new InvalidArgumentError(
        max === Number.MAX_SAFE_INTEGER ? `Expected an integer ≥ ${min}.` : `Expected an integer from ${min} to ${max}.`,
      );
    }
    // `-0` is 0.
    return n === 0 ? 0 : n;
  };
}

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (!DECIMAL.test(value.trim()) || !(n > 0) || !Number.isFinite(n)) {
    throw new InvalidArgumentError('Expected a number greater than 0.');
  }
  return n;
}

/** `a, b,c` → ['a','b','c']; an empty string is an empty list. */
export function commaList(value: string): string[] {
  const items = value.split(',').map((item) => item.trim());
  if (items.length === 1 && items[0] === '') return [];
  if (items.some((item) => item === '' || /\s/.test(item))) {
    throw new InvalidArgumentError('Expected a comma-separated list without empty items.');
  }
  return items;
}
