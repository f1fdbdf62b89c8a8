// Random queries must only ever fail with SearchSyntaxError (never a TypeError or RangeError), and
// whatever parses must also compile and evaluate. Seeded, so a failure replays identically.

import { describe, expect, it } from 'vitest';
import { seededRandom, pick, type Random } from '../../src/random.js';
import { compileOrderQuery, type OrderSearchFields } from '../../src/search/order-filter.js';
import { parseSearchQuery, SearchSyntaxError } from '../../src/search/parse.js';

const NOW = new Date('2024-03-15T12:00:00Z');

const SAMPLE_ORDER: OrderSearchFields = {
  id: 1001,
  name: '#1001',
  email: 'ann@example.com',
  status: 'open',
  financialStatus: 'paid',
  fulfillmentStatuses: ['unfulfilled', 'unshipped'],
  deliveryMethods: ['shipping'],
  tags: ['vip'],
  createdAt: '2024-01-01T00:00:00Z',
  updatedAt: '2024-01-02T00:00:00Z',
  processedAt: '2024-01-01T00:00:00Z',
  test: false,
  returnStatus: 'no_return',
};

const FRAGMENTS = [
  'a',
  'vip',
  'tag',
  'status',
  'id',
  'name',
  'created_at',
  'email',
  'foo',
  ':',
  ':<',
  ':>=',
  '<',
  '>',
  '=',
  '(',
  ')',
  '"',
  "'",
  '\\',
  '*',
  '-',
  ' ',
  ' ',
  ' ',
  '\t',
  '\n',
  'AND',
  'OR',
  'NOT',
  'and',
  'open',
  '#1001',
  '2024-01-01',
  'now',
  '1001',
  'T10:00:00Z',
  'é',
  '🙂',
  '\u0000',
  '\u00a0',
  'constructor',
  '__proto__',
] as const;

function fragmentQuery(random: Random): string {
  const length = Math.floor(random() * 25);
  return Array.from({ length }, () => pick(random, FRAGMENTS)).join('');
}

function rawCharQuery(random: Random): string {
  const length = Math.floor(random() * 40);
  return Array.from({ length }, () => String.fromCharCode(Math.floor(random() * 0x10000))).join('');
}

/** Runs the whole pipeline; returns whether the query was valid, rethrowing anything unexpected. */
function exercise(query: string): boolean {
  try {
    const compiled = compileOrderQuery(query, NOW);
    expect(typeof compiled.matches(SAMPLE_ORDER)).toBe('boolean');
    expect(Array.isArray(compiled.warnings)).toBe(true);
    return true;
  } catch (error) {
    if (error instanceof SearchSyntaxError) {
      expect(error.position).toBeGreaterThanOrEqual(0);
      expect(error.position).toBeLessThanOrEqual(query.length);
      return false;
    }
    throw new Error(`${JSON.stringify(query)} threw ${String(error)}`, { cause: error });
  }
}

describe('search fuzzing', () => {
  it('only ever throws SearchSyntaxError for queries built from syntax fragments', () => {
    const random = seededRandom(20_240_315);
    let valid = 0;
    for (let i = 0; i < 5_000; i++) if (exercise(fragmentQuery(random))) valid++;
    // Both outcomes should be well represented, or the fuzzer is not probing anything.
    expect(valid).toBeGreaterThan(500);
    expect(valid).toBeLessThan(4_500);
  });

  it('only ever throws SearchSyntaxError for random UTF-16 strings', () => {
    const random = seededRandom(7);
    for (let i = 0; i < 2_000; i++) exercise(rawCharQuery(random));
  });

  it('negating any valid query selects exactly the complement', () => {
    const random = seededRandom(99);
    const orders: OrderSearchFields[] = [SAMPLE_ORDER, { ...SAMPLE_ORDER, id: 1002, name: '#1002', email: null, status: 'closed', tags: [] }];
    let checked = 0;
    for (let i = 0; i < 3_000; i++) {
      const query = fragmentQuery(random);
      let plain;
      try {
        if (parseSearchQuery(query) === null) continue;
        plain = compileOrderQuery(query, NOW);
      } catch {
        continue;
      }
      const negated = compileOrderQuery(`NOT (${query}\n)`, NOW);
      for (const candidate of orders) expect(negated.matches(candidate)).toBe(!plain.matches(candidate));
      checked++;
    }
    expect(checked).toBeGreaterThan(300);
  });
});
