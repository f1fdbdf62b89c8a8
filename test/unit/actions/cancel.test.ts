// cancel's lookup parser and plan on answers Shopify should not give: missing fields and enum values
// bulkfill does not know never lead to a cancel (or a refund) decided by guesswork.
import { describe, expect, it } from 'vitest';

import { cancelAction, planCancel, type CancelOptions } from '../../../src/actions/cancel/action.js';

const OPTIONS: CancelOptions = {
  reason: 'other',
  refund: 'now',
  restock: false,
  notify: false,
  staffNote: null,
  allowPartiallyRefunded: false,
  apiVersion: '2026-10',
};

function node(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'gid://shopify/Order/1',
    name: '#1001',
    cancelledAt: null,
    displayFinancialStatus: 'PAID',
    returnStatus: 'NO_RETURN',
    currencyCode: 'USD',
    netPayment: '50.00',
    customer: { id: 'gid://shopify/Customer/1' },
    fulfillmentOrders: { pageInfo: { hasNextPage: false }, nodes: [{ status: 'OPEN', requestStatus: 'UNSUBMITTED' }] },
    ...overrides,
  };
}

const plan = (answer: unknown, options: Partial<CancelOptions> = {}) => {
  const snapshot = cancelAction.lookup({ ...OPTIONS, ...options }).parse(answer);
  return snapshot && planCancel(snapshot, { ...OPTIONS, ...options });
};

describe('cancel on incomplete or unknown answers', () => {
  it('a well-formed paid order is cancelled with a refund', () => {
    expect(plan(node())).toEqual({ kind: 'act', steps: [{ order: 'gid://shopify/Order/1', refund: 'original', amount: 50, currency: 'USD' }] });
  });

  it('null or a node that is not an order is no order', () => {
    expect(cancelAction.lookup(OPTIONS).parse(null)).toBeNull();
    expect(plan({})).toBeNull();
    expect(plan(node({ id: 'gid://shopify/Product/1' }))).toBeNull();
  });

  it.each([
    [
      'an unknown displayFinancialStatus',
      { displayFinancialStatus: 'PARTIALLY_REFUNDED_BY_CHARGEBACK' },
      /unknown displayFinancialStatus PARTIALLY_REFUNDED_BY_CHARGEBACK/,
    ],
    ['no displayFinancialStatus', { displayFinancialStatus: null }, /no displayFinancialStatus/],
    ['no netPayment', { netPayment: undefined }, /no readable netPayment/],
    ['an unreadable netPayment', { netPayment: 'lots' }, /no readable netPayment/],
  ])('%s, with a refund asked: skipped as unknown-state', (_name, overrides, message) => {
    expect(plan(node(overrides))).toEqual({ kind: 'skip', reason: 'unknown-state', message: expect.stringMatching(message) });
  });

  it('money facts do not matter when the refund comes later, or nothing was paid', () => {
    expect(plan(node({ displayFinancialStatus: 'SOMETHING_NEW' }), { refund: 'later' })).toMatchObject({ kind: 'act', steps: [{ refund: null }] });
    expect(plan(node({ displayFinancialStatus: 'SOMETHING_NEW', netPayment: '0.00' }))).toMatchObject({ kind: 'act', steps: [{ refund: null }] });
  });

  it.each([
    ['no fulfillmentOrders', { fulfillmentOrders: undefined }, /no fulfillmentOrders/],
    ['a null fulfillment order', { fulfillmentOrders: { nodes: [null] } }, /null/],
    [
      'an unknown fulfillment order status',
      { fulfillmentOrders: { nodes: [{ status: 'TELEPORTING', requestStatus: 'UNSUBMITTED' }] } },
      /TELEPORTING/,
    ],
    [
      'an unknown request status',
      { fulfillmentOrders: { nodes: [{ status: 'IN_PROGRESS', requestStatus: 'ACCEPTED_BY_ROBOT' }] } },
      /ACCEPTED_BY_ROBOT/,
    ],
    ['no returnStatus', { returnStatus: undefined }, /returnStatus/],
    ['no cancelledAt', { cancelledAt: undefined }, /no cancelledAt/],
  ])('%s: skipped as unknown-state, whatever the refund', (_name, overrides, message) => {
    const answer = node(overrides);
    for (const [key, value] of Object.entries(overrides)) if (value === undefined) delete answer[key];
    for (const refund of ['now', 'later'] as const) {
      expect(plan(answer, { refund })).toEqual({ kind: 'skip', reason: 'unknown-state', message: expect.stringMatching(message) });
    }
  });

  it('an order that says it is cancelled is already done, even when the rest is unreadable', () => {
    expect(plan(node({ cancelledAt: '2026-11-01T00:00:00Z', displayFinancialStatus: 'NEW', fulfillmentOrders: null }))).toMatchObject({
      kind: 'already',
    });
  });
});

describe('reading orderCancel answers', () => {
  const read = (data: unknown) =>
    cancelAction.mutation(OPTIONS).read(data, { order: 'gid://shopify/Order/1', refund: null, amount: 0, currency: 'USD' });

  it('no payload does not say whether it was applied: unreadable, not rejected', () => {
    expect(read({ orderCancel: null })).toMatchObject({ kind: 'unreadable' });
    expect(read({})).toMatchObject({ kind: 'unreadable' });
    expect(read(null)).toMatchObject({ kind: 'unreadable' });
  });

  it('a job result with a status bulkfill does not know settles nothing', () => {
    const explain = cancelAction.confirmation!(OPTIONS)!.explain!;
    expect(explain.read({ done: true, status: 'PAUSED', errors: [] })).toEqual({ kind: 'pending' });
    expect(explain.read({ done: true, status: 'FAILED', errors: [{ code: 'INVALID', message: 'no' }] })).toEqual({
      kind: 'failed',
      reason: 'cancel-refused',
      message: 'no',
    });
  });
});
