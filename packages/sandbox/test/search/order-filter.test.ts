import { describe, expect, it } from 'vitest';
import { compileOrderQuery, type OrderSearchFields } from '../../src/search/order-filter.js';
import { SearchSyntaxError } from '../../src/search/parse.js';

const NOW = new Date('2024-03-15T12:00:00Z');

function order(overrides: Partial<OrderSearchFields> & { id: number }): OrderSearchFields {
  return {
    name: `#${overrides.id}`,
    email: null,
    status: 'open',
    financialStatus: 'paid',
    fulfillmentStatuses: ['unfulfilled', 'unshipped'],
    deliveryMethods: ['shipping'],
    tags: [],
    createdAt: '2024-01-01T00:00:00Z',
    updatedAt: '2024-01-01T00:00:00Z',
    processedAt: '2024-01-01T00:00:00Z',
    test: false,
    returnStatus: 'no_return',
    ...overrides,
  };
}

const ORDERS: OrderSearchFields[] = [
  order({ id: 1001, email: 'Ann@Example.com', tags: ['VIP', 'wholesale'], createdAt: '2024-01-01T00:00:00Z' }),
  order({
    id: 1002,
    email: 'bob@example.com',
    status: 'closed',
    financialStatus: 'refunded',
    fulfillmentStatuses: ['shipped', 'fulfilled'],
    deliveryMethods: ['pick-up'],
    tags: ['gift'],
    createdAt: '2024-01-01T23:59:59.999Z',
    updatedAt: '2024-03-01T08:00:00Z',
    returnStatus: 'in_progress',
  }),
  order({
    id: 1003,
    status: 'cancelled',
    financialStatus: 'voided',
    fulfillmentStatuses: ['partial'],
    deliveryMethods: ['local', 'pickup-point'],
    createdAt: '2024-01-02T00:00:00Z',
    processedAt: '2024-02-10T00:00:00Z',
    test: true,
  }),
  order({ id: 1004, name: '#1001-A', email: 'carol@shop.test', createdAt: '2024-03-15T11:00:00Z' }),
];

/** Ids of the sample orders the query selects. */
function ids(query: string | null | undefined): number[] {
  const compiled = compileOrderQuery(query, NOW);
  return ORDERS.filter((candidate) => compiled.matches(candidate)).map((candidate) => candidate.id);
}

describe('compileOrderQuery: empty queries', () => {
  it.each([null, undefined, '', '   '])('matches every order for %j', (query) => {
    expect(ids(query)).toEqual([1001, 1002, 1003, 1004]);
    expect(compileOrderQuery(query, NOW).warnings).toEqual([]);
  });
});

describe('compileOrderQuery: status', () => {
  it.each([
    ['status:open', [1001, 1004]],
    ['status:closed', [1002]],
    ['status:cancelled', [1003]],
    ['status:OPEN', [1001, 1004]],
    ['status:not_closed', [1001, 1003, 1004]],
    ['status:any', []],
    ['status:clo*', [1002]],
  ])('%s', (query, expected) => {
    expect(ids(query)).toEqual(expected);
  });
});

describe('compileOrderQuery: enum filters', () => {
  it.each([
    ['financial_status:paid', [1001, 1004]],
    ['financial_status:Refunded', [1002]],
    ['fulfillment_status:unshipped', [1001, 1004]],
    ['fulfillment_status:fulfilled', [1002]],
    ['fulfillment_status:shipped', [1002]],
    ['fulfillment_status:partial', [1003]],
    ['fulfillment_status:in_progress', []],
    ['delivery_method:shipping', [1001, 1004]],
    ['delivery_method:pick-up', [1002]],
    ['delivery_method:pickup-point', [1003]],
    ['delivery_method:local', [1003]],
    ['return_status:in_progress', [1002]],
    ['return_status:NO_RETURN', [1001, 1003, 1004]],
    ['test:true', [1003]],
    ['test:FALSE', [1001, 1002, 1004]],
    ['test:yes', []],
  ])('%s', (query, expected) => {
    expect(ids(query)).toEqual(expected);
  });
});

describe('compileOrderQuery: tags', () => {
  it.each([
    ['tag:vip', [1001]],
    ['tag:VIP', [1001]],
    ['tag:"vip"', [1001]],
    ['tag:vi', []],
    ['tag:vi*', [1001]],
    ['tag:*', [1001, 1002]],
    ['tag_not:vip', [1002, 1003, 1004]],
    ['tag_not:GIFT', [1001, 1003, 1004]],
    ['tag_not:*', [1003, 1004]],
    ['tag:vip OR tag:gift', [1001, 1002]],
    ['tag:vip tag:wholesale', [1001]],
  ])('%s', (query, expected) => {
    expect(ids(query)).toEqual(expected);
  });

  it('matches a quoted tag with spaces', () => {
    const bigSpender = order({ id: 7, tags: ['Big Spender'] });
    expect(compileOrderQuery("tag:'big spender'", NOW).matches(bigSpender)).toBe(true);
    expect(compileOrderQuery('tag:big', NOW).matches(bigSpender)).toBe(false);
  });
});

describe('compileOrderQuery: name', () => {
  it.each([
    ['name:1001', [1001]],
    ['name:#1001', [1001]],
    ['name:"#1001"', [1001]],
    ["name:'1001'", [1001]],
    ['name:1001-a', [1004]],
    ['name:1001*', [1001, 1004]],
    ['name:#100*', [1001, 1002, 1003, 1004]],
    ['name:>=1002', [1002, 1003]],
    ['name:<1002', [1001]],
    ['name:>abc', []],
  ])('%s', (query, expected) => {
    expect(ids(query)).toEqual(expected);
  });
});

describe('compileOrderQuery: id', () => {
  it.each([
    ['id:1002', [1002]],
    ['id:>1002', [1003, 1004]],
    ['id:>=1002', [1002, 1003, 1004]],
    ['id:<1002', [1001]],
    ['id:<=1002', [1001, 1002]],
    ['id:>=1002 id:<1004', [1002, 1003]],
    ['id:gid://shopify/Order/1003', [1003]],
    ['id:100*', [1001, 1002, 1003, 1004]],
    ['id:abc', []],
    ['id:-1', []],
  ])('%s', (query, expected) => {
    expect(ids(query)).toEqual(expected);
  });

  it('compares ids beyond Number.MAX_SAFE_INTEGER exactly', () => {
    const big = order({ id: 2 ** 53 + 2 });
    expect(compileOrderQuery('id:>9007199254740993', NOW).matches(big)).toBe(true);
    expect(compileOrderQuery('id:9007199254740994', NOW).matches(big)).toBe(true);
  });
});

describe('compileOrderQuery: dates', () => {
  it.each([
    // Plain ':' on a date covers the whole UTC day.
    ['created_at:2024-01-01', [1001, 1002]],
    ["created_at:'2024-01-01'", [1001, 1002]],
    // Comparators use the start of the day.
    ['created_at:>2024-01-01', [1002, 1003, 1004]],
    ['created_at:>=2024-01-01', [1001, 1002, 1003, 1004]],
    ['created_at:<2024-01-02', [1001, 1002]],
    ['created_at:<=2024-01-02', [1001, 1002, 1003]],
    ["created_at:>='2024-01-01' created_at:<'2024-01-02'", [1001, 1002]],
    // Full timestamps, quoted or not.
    ['created_at:>"2024-01-01T23:59:59Z"', [1002, 1003, 1004]],
    ['created_at:2024-01-01T23:59:59.999Z', [1002]],
    ['created_at:>=2024-01-01T12:00:00+02:00', [1002, 1003, 1004]],
    // Relative values use the clock passed in.
    ['created_at:<now', [1001, 1002, 1003, 1004]],
    ['created_at:>now', []],
    ['created_at:today', [1004]],
    ['created_at:2024-03', [1004]],
    ['created_at:2024', [1001, 1002, 1003, 1004]],
    ['created_at:2024-01*', [1001, 1002, 1003]],
    ['created_at:*', [1001, 1002, 1003, 1004]],
    ['created_at:garbage', []],
    ['updated_at:>2024-02-01', [1002]],
    ['processed_at:2024-02-10', [1003]],
  ])('%s', (query, expected) => {
    expect(ids(query)).toEqual(expected);
  });

  it('never matches an order whose timestamp cannot be read', () => {
    const broken = order({ id: 9, createdAt: 'not a date' });
    expect(compileOrderQuery('created_at:<now', NOW).matches(broken)).toBe(false);
  });
});

describe('compileOrderQuery: email', () => {
  it.each([
    ['email:ann@example.com', [1001]],
    ['email:ANN@EXAMPLE.COM', [1001]],
    ['email:ann', []],
    ['email:*', [1001, 1002, 1004]],
    ['email:bob*', [1002]],
    ['-email:*', [1003]],
  ])('%s', (query, expected) => {
    expect(ids(query)).toEqual(expected);
  });
});

describe('compileOrderQuery: free text', () => {
  it.each([
    ['#1001', [1001, 1004]],
    ['1003', [1003]],
    ['example.com', [1001, 1002]],
    ['EXAMPLE', [1001, 1002]],
    ['whole', [1001]],
    ['whole*', [1001]],
    ['"shop.test"', [1004]],
    ['nothing-matches', []],
    ['bob gift', [1002]],
  ])('%s', (query, expected) => {
    expect(ids(query)).toEqual(expected);
  });
});

describe('compileOrderQuery: boolean structure', () => {
  it.each([
    ['status:open OR status:cancelled', [1001, 1003, 1004]],
    ['NOT status:open', [1002, 1003]],
    ['-status:open', [1002, 1003]],
    ['-(status:open OR status:closed)', [1003]],
    ['status:open AND -tag:vip', [1004]],
    ['NOT NOT status:closed', [1002]],
    // OR binds tighter than AND: (closed OR cancelled) AND test.
    ['status:closed OR status:cancelled test:true', [1003]],
    ['status:closed OR (status:cancelled test:true)', [1002, 1003]],
  ])('%s', (query, expected) => {
    expect(ids(query)).toEqual(expected);
  });
});

describe('compileOrderQuery: unknown fields and bad values', () => {
  it('matches nothing for an unknown field and warns like Shopify', () => {
    const compiled = compileOrderQuery('foo:bar', NOW);
    expect(ORDERS.filter((candidate) => compiled.matches(candidate))).toEqual([]);
    expect(compiled.warnings).toEqual(['Invalid search field for this query: foo']);
  });

  it('warns once per field, keeping the spelling used', () => {
    expect(compileOrderQuery('Foo:1 Foo:2 OR bar:3 status:open', NOW).warnings).toEqual([
      'Invalid search field for this query: Foo',
      'Invalid search field for this query: bar',
    ]);
  });

  it('lets the rest of an OR still match', () => {
    expect(ids('foo:bar OR status:closed')).toEqual([1002]);
  });

  it('does not treat inherited object keys as fields', () => {
    expect(compileOrderQuery('constructor:x __proto__:y toString:z', NOW).warnings).toHaveLength(3);
  });

  it('matches nothing for range comparators on unordered fields', () => {
    expect(ids('status:>open')).toEqual([]);
    expect(ids('tag:<vip')).toEqual([]);
    expect(ids('tag_not:<vip')).toEqual([]);
    expect(ids('email:>=a')).toEqual([]);
  });

  it('treats field names case-insensitively', () => {
    expect(ids('STATUS:closed')).toEqual([1002]);
  });

  it('throws SearchSyntaxError for malformed queries', () => {
    expect(() => compileOrderQuery('status:"open', NOW)).toThrow(SearchSyntaxError);
    expect(() => compileOrderQuery('status:open OR', NOW)).toThrow(SearchSyntaxError);
  });
});
