import { describe, expect, it } from 'vitest';

import { count, ranked, type Tally } from '../../../src/actions/action.js';
import {
  describeServices,
  fulfillmentOrderReadback,
  fulfillmentOrdersLookup,
  readFulfillmentOrderAnswer,
  unworkable,
} from '../../../src/actions/fulfillment-orders.js';
import { facts, foNode, snapshot } from './snapshots.js';

const orderNode = (fulfillmentOrders: unknown[], extra: Record<string, unknown> = {}) => ({
  id: 'gid://shopify/Order/7',
  name: '#1007',
  cancelledAt: null,
  fulfillmentOrders: { pageInfo: { hasNextPage: false }, nodes: fulfillmentOrders },
  ...extra,
});

describe('fulfillmentOrdersLookup.parse', () => {
  const parse = fulfillmentOrdersLookup().parse;

  it('reads an order and each fulfillment order: state, supportedActions, method, service', () => {
    const parsed = parse(
      orderNode([
        foNode({ id: 'gid://shopify/FulfillmentOrder/1', status: 'IN_PROGRESS', actions: ['MARK_AS_OPEN', 'HOLD'], methodType: 'LOCAL' }),
        foNode({ id: 'gid://shopify/FulfillmentOrder/2', requestStatus: 'SUBMITTED', actions: ['CANCEL_FULFILLMENT_ORDER'], service: 'acme-3pl' }),
      ]),
    );
    expect(parsed).toEqual({
      id: 'gid://shopify/Order/7',
      name: '#1007',
      cancelledAt: null,
      truncated: false,
      fulfillmentOrders: [
        {
          id: 'gid://shopify/FulfillmentOrder/1',
          status: 'IN_PROGRESS',
          requestStatus: 'UNSUBMITTED',
          supportedActions: new Set(['MARK_AS_OPEN', 'HOLD']),
          method: 'LOCAL',
          service: null,
        },
        {
          id: 'gid://shopify/FulfillmentOrder/2',
          status: 'OPEN',
          requestStatus: 'SUBMITTED',
          supportedActions: new Set(['CANCEL_FULFILLMENT_ORDER']),
          method: 'SHIPPING',
          service: 'acme-3pl',
        },
      ],
    });
  });

  it('marks an order whose fulfillment orders go on past one page as truncated', () => {
    const parsed = parse({ ...orderNode([foNode()]), fulfillmentOrders: { pageInfo: { hasNextPage: true }, nodes: [foNode()] } });
    expect(parsed?.truncated).toBe(true);
  });

  it('reads cancelledAt, and falls back to the id for a missing name', () => {
    const parsed = parse({ ...orderNode([]), name: undefined, cancelledAt: '2026-11-01T00:00:00.000Z' });
    expect(parsed).toMatchObject({ name: 'gid://shopify/Order/7', cancelledAt: '2026-11-01T00:00:00.000Z', fulfillmentOrders: [] });
  });

  it('a service location that hides its handle is still a service; a missing delivery method is null', () => {
    const parsed = parse(orderNode([foNode({ isFulfillmentService: true, service: null, methodType: null })]));
    expect(parsed?.fulfillmentOrders[0]).toMatchObject({ service: 'unknown-service', method: null });
  });

  it('returns null for what is not an order (another node type, null, a non-object)', () => {
    expect(parse(null)).toBeNull();
    expect(parse('gid://shopify/Order/1')).toBeNull();
    expect(parse({ id: 'gid://shopify/FulfillmentOrder/1' })).toBeNull();
    expect(parse({})).toBeNull();
  });

  it('tolerates a missing fulfillmentOrders connection and drops unreadable fulfillment orders', () => {
    expect(parse({ id: 'gid://shopify/Order/9', name: '#9' })).toMatchObject({ fulfillmentOrders: [], truncated: false });
    expect(parse(orderNode([null, { status: 'OPEN' }, foNode()]))?.fulfillmentOrders).toHaveLength(1);
  });
});

describe('fulfillmentOrderReadback', () => {
  it('reads the step’s own fulfillment order and hands verify its parsed facts (null when gone)', () => {
    const seen: unknown[] = [];
    const readback = fulfillmentOrderReadback<{ fo: string }>((fo) => {
      seen.push(fo);
      return fo ? 'applied' : 'not-applied';
    });
    expect(readback.target({ fo: 'gid://shopify/FulfillmentOrder/5' })).toBe('gid://shopify/FulfillmentOrder/5');
    expect(readback.document.text).toMatch(/FulfillmentOrderStates/);
    expect(readback.verify(foNode({ status: 'OPEN' }), { fo: 'x' })).toBe('applied');
    expect(readback.verify(null, { fo: 'x' })).toBe('not-applied');
    expect(seen[0]).toMatchObject({ status: 'OPEN' });
    expect(seen[1]).toBeNull();
  });
});

describe('readFulfillmentOrderAnswer', () => {
  it('applied when the payload has no userErrors', () => {
    expect(readFulfillmentOrderAnswer('fulfillmentOrderOpen', { fulfillmentOrderOpen: { fulfillmentOrder: { id: 'x' }, userErrors: [] } })).toEqual({
      kind: 'applied',
    });
    expect(readFulfillmentOrderAnswer('fulfillmentOrderOpen', { fulfillmentOrderOpen: { fulfillmentOrder: { id: 'x' } } })).toEqual({
      kind: 'applied',
    });
  });

  it('rejected with Shopify’s messages joined, and no code (these UserErrors have none)', () => {
    const answer = readFulfillmentOrderAnswer('fulfillmentOrderCancel', {
      fulfillmentOrderCancel: {
        fulfillmentOrder: null,
        userErrors: [
          { field: ['id'], message: 'one' },
          { field: null, message: 'two' },
        ],
      },
    });
    expect(answer).toEqual({ kind: 'rejected', reason: 'rejected', message: 'one; two', code: null });
  });

  it('unreadable (may have been applied: read back, never taken as a refusal) when the payload is missing or null', () => {
    expect(readFulfillmentOrderAnswer('fulfillmentOrderOpen', {})).toEqual({
      kind: 'unreadable',
      message: 'Shopify returned no fulfillmentOrderOpen payload',
    });
    expect(readFulfillmentOrderAnswer('fulfillmentOrderOpen', { fulfillmentOrderOpen: null })).toMatchObject({ kind: 'unreadable' });
    expect(readFulfillmentOrderAnswer('fulfillmentOrderOpen', null)).toMatchObject({ kind: 'unreadable' });
    // Another mutation's payload is not this one's.
    expect(readFulfillmentOrderAnswer('fulfillmentOrderOpen', { fulfillmentOrderCancel: { userErrors: [] } })).toMatchObject({ kind: 'unreadable' });
  });
});

describe('unworkable', () => {
  it('skips a cancelled order, naming when', () => {
    expect(unworkable(snapshot([facts()], { cancelledAt: '2026-11-01T00:00:00.000Z' }))).toEqual({
      kind: 'skip',
      reason: 'order-cancelled',
      message: 'the order was cancelled at 2026-11-01T00:00:00.000Z',
    });
  });

  it('skips an order with more fulfillment orders than one lookup reads', () => {
    expect(unworkable(snapshot([facts()], { truncated: true }))).toEqual({
      kind: 'skip',
      reason: 'too-many-fulfillment-orders',
      message: 'more than 10 fulfillment orders; act on it in the admin',
    });
  });

  it('skips an order without fulfillment orders', () => {
    expect(unworkable(snapshot([]))).toEqual({ kind: 'skip', reason: 'no-fulfillment-orders', message: 'it has no fulfillment orders' });
  });

  it('a cancelled order is reported as cancelled even when also truncated', () => {
    expect(unworkable(snapshot([], { cancelledAt: '2026-11-01T00:00:00.000Z', truncated: true }))).toMatchObject({ reason: 'order-cancelled' });
  });

  it('leaves a workable order to the action', () => {
    expect(unworkable(snapshot([facts()]))).toBeNull();
  });
});

describe('count / ranked / describeServices', () => {
  it('counts per item and lists a tally, most frequent first, ties by name', () => {
    const survey: { services?: Tally; methods?: Tally } = { services: {}, methods: {} };
    count(survey.services!, 'b');
    count(survey.services!, 'a');
    count(survey.services!, 'c', 3);
    count(survey.methods!, 'shipping', 9);
    expect(ranked(survey.services)).toEqual([
      { value: 'c', count: 3 },
      { value: 'a', count: 1 },
      { value: 'b', count: 1 },
    ]);
    expect(ranked(survey.methods)).toEqual([{ value: 'shipping', count: 9 }]);
    expect(ranked(undefined)).toEqual([]);
  });

  it('quotes service handles', () => {
    expect(describeServices(['acme-3pl', 'beta'])).toBe('`acme-3pl`, `beta`');
  });
});
