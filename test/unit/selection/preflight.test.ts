// The checks made before connecting to the store (--query text, command-line order references) and
// --strict over a whole selection.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { UsageError } from '../../../src/errors.js';
import { preflightSelection } from '../../../src/selection/preflight.js';
import { checkQueryText, MAX_QUERY_LENGTH } from '../../../src/selection/query-text.js';
import { concatSources, refsFromArguments, type SelectionEvent } from '../../../src/selection/sources.js';
import { SHOWN_PROBLEMS, strictSelection } from '../../../src/selection/strict.js';
import { anyRefText, anyUtf16, legacyId, orderName } from './arbitraries.js';

/** Case counts per property; the report in the PR quotes them. */
export const RUNS = { queryText: 1_000, preflight: 500 } as const;

function usageErrorOf(run: () => void): UsageError | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
}

async function collect(events: AsyncIterable<SelectionEvent>): Promise<SelectionEvent[]> {
  const out: SelectionEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

describe('checkQueryText', () => {
  it.each([
    'financial_status:pending',
    'tag:vip AND -tag:"do not ship"',
    "created_at:<'2026-01-01T00:00:00Z' OR name:#1001",
    'status:open\tfulfillment_status:unshipped\n',
    'email:ann@example.com name:日本1001 🙂',
    'x'.repeat(MAX_QUERY_LENGTH),
  ])('accepts %j', (query) => {
    expect(() => checkQueryText(query)).not.toThrow();
  });

  it.each<[string, RegExp]>([
    ['', /--query is empty: an empty search would select every order/],
    ['  \t\n', /--query is empty/],
    ['x'.repeat(MAX_QUERY_LENGTH + 1), /--query is 10001 characters long; at most 10000/],
    ['x'.repeat(100 * 1024), /--query is 102400 characters long/],
    ['tag:vip\u0000', /--query contains a control character \(\\x00\) at position 7\./],
    ['tag:\u001b[31mvip', /control character \(\\x1b\) at position 4/],
    ['tag:vip\u007f', /control character \(\\x7f\)/],
    ['tag:vip\u0085', /control character \(\\x85\)/],
    ['tag:\ud800vip', /unpaired UTF-16 surrogate .* at position 4/],
    ['tag:vip\udc00', /unpaired UTF-16 surrogate/],
  ])('refuses %j', (query, message) => {
    const error = usageErrorOf(() => checkQueryText(query));
    expect(error?.message).toMatch(message);
    // The message is safe to print.
    expect(error?.message).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/);
  });

  it('property: any text is accepted or refused with a UsageError, never anything else; refused text has a reason', () => {
    fc.assert(
      fc.property(fc.oneof(anyUtf16(300), fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ maxLength: 300 })), (query) => {
        const error = usageErrorOf(() => checkQueryText(query));
        const bad =
          query.trim() === '' ||
          /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/.test(query) ||
          /[\uD800-\uDFFF]/.test(query.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''));
        expect(error !== undefined).toBe(bad);
      }),
      { numRuns: RUNS.queryText },
    );
  });
});

describe('preflightSelection', () => {
  it('passes good references, and bad ones when something else selects orders too', () => {
    expect(() => preflightSelection({}, ['1001', '#1002'])).not.toThrow();
    expect(() => preflightSelection({ ids: ['1,2'] }, [])).not.toThrow();
    expect(() => preflightSelection({}, ['1001', 'abc'])).not.toThrow();
    expect(() => preflightSelection({ csv: 'orders.csv' }, ['abc'])).not.toThrow();
    expect(() => preflightSelection({ olderThan: 1000 }, ['abc'])).not.toThrow();
  });

  it('refuses when every command-line reference is bad and nothing else selects orders', () => {
    const error = usageErrorOf(() => preflightSelection({ ids: [''] }, ['abc', 'gid://shopify/Product/1']));
    expect(error?.message).toBe(
      [
        '3 bad order references; no order was acted on:',
        '  argument 1 "abc": not an order; expected an order id (123), gid://shopify/Order/123 or an order name (#1001, EN1001)',
        '  argument 2 "gid://shopify/Product/1": a Product gid, not an Order gid; expected gid://shopify/Order/123',
        '  --ids: empty value; expected order ids separated by commas, e.g. --ids 1001,1002',
      ].join('\n'),
    );
    expect(error?.hint).toBeUndefined();
  });

  it('refuses any bad reference under --strict, even with good ones, escaping what it shows', () => {
    const error = usageErrorOf(() => preflightSelection({ strict: true, csv: 'x.csv' }, ['1001', '\u001b[2J1002']));
    expect(error?.message).toBe(
      'A bad order reference; no order was acted on:\n  argument 2 "\\x1b[2J1002": contains control or invisible characters',
    );
    expect(error?.hint).toMatch(/--strict/);
  });

  it('checks the --query text first', () => {
    expect(usageErrorOf(() => preflightSelection({ query: '' }, ['1001']))?.message).toMatch(/--query is empty/);
  });

  it('property: throws only UsageError, and only when strict and something is bad, or when nothing good is left', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(legacyId, orderName, anyRefText), { maxLength: 6 }),
        fc.array(fc.oneof(legacyId, anyRefText), { maxLength: 3 }),
        fc.boolean(),
        fc.boolean(),
        (args, ids, strict, csv) => {
          const error = usageErrorOf(() => preflightSelection({ ids, strict, ...(csv ? { csv: 'f.csv' } : {}) }, args));
          if (error) expect(error.message).toMatch(/bad order reference/);
        },
      ),
      { numRuns: RUNS.preflight },
    );
  });
});

describe('strictSelection', () => {
  it('passes everything through when not strict', async () => {
    const events = await collect(strictSelection(refsFromArguments(['1', 'abc', '2'], []), false));
    expect(events.map((e) => e.type)).toEqual(['ref', 'problem', 'ref']);
  });

  it('yields the refs when every source is good', async () => {
    const events = await collect(strictSelection(concatSources(refsFromArguments(['1'], ['2,#3'])), true));
    expect(events.map((e) => e.type)).toEqual(['ref', 'ref', 'ref']);
  });

  it('throws one UsageError before yielding anything when any event is a problem, listing at most 20', async () => {
    const args = Array.from({ length: 50 }, (_, i) => (i % 2 ? `${i + 1}` : `bad${'!'.repeat(i)}`));
    let yielded = 0;
    const error = await (async () => {
      for await (const _ of strictSelection(refsFromArguments(args, []), true)) yielded++;
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(yielded).toBe(0);
    expect(error).toBeInstanceOf(UsageError);
    const lines = (error as UsageError).message.split('\n');
    expect(lines[0]).toBe('25 bad order references; no order was acted on:');
    expect(lines).toHaveLength(1 + SHOWN_PROBLEMS + 1);
    expect(lines.at(-1)).toBe('  … and 5 more');
    expect(lines[1]).toMatch(/^ {2}argument 1 "bad": /);
  });
});
