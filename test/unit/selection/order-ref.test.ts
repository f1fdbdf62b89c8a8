import { describe, expect, it } from 'vitest';

import { legacyIdOf, nameKey, parseOrderRef, printable, refKey, type OrderRef } from '../../../src/selection/order-ref.js';

const id = (n: string): OrderRef => ({ kind: 'id', gid: `gid://shopify/Order/${n}` });
const name = (n: string): OrderRef => ({ kind: 'name', name: n });

function errorOf(raw: string, options?: Parameters<typeof parseOrderRef>[1]): string {
  const result = parseOrderRef(raw, options);
  if (!('error' in result)) throw new Error(`expected an error for ${JSON.stringify(raw)}, got ${JSON.stringify(result)}`);
  return result.error;
}

describe('parseOrderRef: accepted', () => {
  it.each<[string, OrderRef]>([
    ['123', id('123')],
    ['  123\t', id('123')],
    ['1', id('1')],
    // Beyond Number.MAX_SAFE_INTEGER: the digits stay exact.
    ['9007199254740993', id('9007199254740993')],
    ['18446744073709551615', id('18446744073709551615')],
    ['gid://shopify/Order/123', id('123')],
    ['GID://Shopify/order/123', id('123')],
    ['gid://shopify/Order/18446744073709551615', id('18446744073709551615')],
    ['#1001', name('#1001')],
    [' #1001 ', name('#1001')],
    ['#EN1001', name('#EN1001')],
    ['EN1001', name('EN1001')],
    ['1001-A', name('1001-A')],
    ['SO_1001.2', name('SO_1001.2')],
    ['#0123', name('#0123')],
    ['ÉN1001', name('ÉN1001')],
    ['Заказ1001', name('Заказ1001')],
    // NFC: "E" + combining acute becomes "É".
    ['E\u03011001', name('\u00C91001')],
  ])('%j', (raw, expected) => {
    expect(parseOrderRef(raw)).toEqual(expected);
  });

  it('reads a bare number as a name when asked (a CSV name column)', () => {
    expect(parseOrderRef('1001', { bareNumber: 'name' })).toEqual(name('1001'));
    expect(parseOrderRef('0012', { bareNumber: 'name' })).toEqual(name('0012'));
    // A gid stays an id anywhere.
    expect(parseOrderRef('gid://shopify/Order/5', { bareNumber: 'name' })).toEqual(id('5'));
  });
});

describe('parseOrderRef: rejected', () => {
  it.each<[string, RegExp]>([
    ['', /empty/],
    ['   ', /empty/],
    ['0', /start at 1/],
    ['000', /start at 1/],
    ['0123', /leading zero.*#0123/],
    ['18446744073709551616', /too large/],
    ['99999999999999999999999', /too large/],
    ['gid://shopify/Product/1', /a Product gid, not an Order gid/],
    ['gid://shopify/LineItem/1', /a LineItem gid/],
    ['gid://shopify/Order/1?x=1', /unexpected text after/],
    ['gid://shopify/Order/1#x', /unexpected text after/],
    ['gid://shopify/Order/', /must be a number/],
    ['gid://shopify/Order/abc', /must be a number/],
    ['gid://shopify/Order/01', /leading zero/],
    ['gid://shopify/Order/1/2', /must be a number/],
    ['gid://other/Order/1', /not a Shopify order gid/],
    ['gid:x', /not a Shopify order gid/],
    ['#', /"#" alone/],
    ['##1001', /not a valid order name/],
    ['#10 01', /space/],
    ['1; DROP TABLE orders', /space/],
    ['1;DROP', /not an order/],
    ["1001' OR '1'='1", /quote/],
    ['"1001"', /quote/],
    ['\u201C1001\u201D', /quote/],
    ['1001,1002', /comma.*--ids/],
    ['name:1001', /not an order/],
    ['1001*', /not an order/],
    ['-1001', /not an order/],
    ['--yes', /not an order/],
    ['abc', /not an order/],
    ['https://admin.shopify.com/store/x/orders/1', /not an order/],
    ['1001\u0000', /control/],
    ['\u001b[31m1001', /control/],
    ['10\u200B01', /invisible/],
    ['1001\u202E', /invisible/],
    ['1001🙂', /not an order/],
    ['１００１', /not an order/],
    ['5.67891E+12', /scientific notation/],
    ['5,67891E+12', /scientific notation/],
    ['x'.repeat(65), /too long.*at most 64 characters/],
    ['1'.repeat(1_000_000), /too long/],
  ])('%j', (raw, message) => {
    expect(errorOf(raw)).toMatch(message);
  });

  it('accepts exactly 64 characters and rejects 65', () => {
    expect(parseOrderRef(`A1${'x'.repeat(62)}`)).toEqual(name(`A1${'x'.repeat(62)}`));
    expect(errorOf(`A1${'x'.repeat(63)}`)).toMatch(/too long/);
    // Code points, not UTF-16 units: 64 astral-plane letters fit.
    const gothic = '\u{10330}'.repeat(63);
    expect(parseOrderRef(`${gothic}1`)).toEqual(name(`${gothic}1`));
    expect(errorOf(`${gothic}12`)).toMatch(/too long/);
  });

  it('never repeats the raw text in its message', () => {
    for (const raw of ['\u001b[2Jabc', '1; rm -rf /', 'gid://shopify/Or\u001bder/1']) {
      const message = errorOf(raw);
      expect(message).not.toContain('\u001b');
      expect(message).not.toContain('rm -rf');
    }
  });
});

describe('keys and helpers', () => {
  it('treats names alike regardless of case and a leading #', () => {
    expect(refKey(name('#EN1001'))).toBe(refKey(name('en1001')));
    expect(refKey(name('#1001'))).toBe(refKey(name('1001')));
    expect(refKey(name('#1001'))).not.toBe(refKey(id('1001')));
    expect(nameKey(' #Ab1 ')).toBe('ab1');
  });

  it('extracts the legacy id', () => {
    expect(legacyIdOf({ kind: 'id', gid: 'gid://shopify/Order/18446744073709551615' })).toBe('18446744073709551615');
  });

  it('makes raw text printable', () => {
    expect(printable('a\u001b[31mb\n')).toBe('a\\x1b[31mb\\n');
    expect(printable('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(printable('#1001')).toBe('#1001');
  });
});
