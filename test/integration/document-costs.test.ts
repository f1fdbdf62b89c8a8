// Every hand-written query cost, held to the cost a real sandbox (which implements Shopify's published
// cost rules) computes for the document: pacing reserves points from these figures, so a document whose
// field list changes without its figure would under-reserve (throttles) or over-reserve (slows the run).
// `nodes(ids:)` reads are measured with 1 and with several ids: their figure is the slope, and the cost
// of the query around the nodes must fit in the 2 points readNodes adds (run/requester.ts).
import { describe, expect, it } from 'vitest';

import type { BulkAction, OrderSnapshot } from '../../src/actions/action.js';
import type { CancelOptions, CancelStep } from '../../src/actions/cancel/action.js';
import type { CancelRequestOptions, CancelRequestStep } from '../../src/actions/cancel-request/action.js';
import type { MarkOpenOptions, MarkOpenStep } from '../../src/actions/mark-open/action.js';
import { ACTIONS } from '../../src/actions/registry.js';
import type { RequestFulfillmentOptions, RequestFulfillmentStep } from '../../src/actions/request-fulfillment/action.js';
import { SUPPORTED_API_VERSIONS, type ApiVersion } from '../../src/shopify/api-versions.js';
import { BULK_EXPORT_STATUS, BULK_EXPORT_STATUS_COST, RUN_BULK_EXPORT, RUN_BULK_EXPORT_COST } from '../../src/shopify/documents/bulk-export.js';
import { ORDERS_BY_QUERY, ORDERS_BY_QUERY_PAGE_COST, ORDERS_BY_QUERY_PAGE_SIZE } from '../../src/shopify/documents/selection.js';
import { SHOP_INFO, SHOP_INFO_COST } from '../../src/shopify/documents/shop.js';
import { gql, sandbox } from '../helpers/sandbox.js';

type Target = { url: string; token: string };

const ORDER = 'gid://shopify/Order/1';
const FO = 'gid://shopify/FulfillmentOrder/1';
const MANY = 4;

/**
 * What each action is run with, per API version: options (every variant that changes a document or
 * its variables) and one step of every kind. An action missing here fails the test below.
 */
const SAMPLES: Record<string, (version: ApiVersion) => { options: unknown[]; steps: unknown[] }> = {
  cancel: (apiVersion) => ({
    options: (['now', 'store-credit', 'later'] as const).map((refund): CancelOptions => ({
      reason: 'other',
      refund,
      restock: true,
      notify: false,
      staffNote: 'n',
      allowPartiallyRefunded: false,
      apiVersion,
    })),
    steps: [
      { order: ORDER, refund: 'original', amount: 1, currency: 'USD' },
      { order: ORDER, refund: null, amount: 0, currency: 'USD' },
    ] satisfies CancelStep[],
  }),
  'mark-open': () => ({
    options: [{ methods: null, includeScheduled: true }] satisfies MarkOpenOptions[],
    steps: [{ fo: FO, from: 'IN_PROGRESS', method: 'shipping' }] satisfies MarkOpenStep[],
  }),
  'request-fulfillment': () => ({
    options: [{ services: ['acme'], message: 'm', notify: true }] satisfies RequestFulfillmentOptions[],
    steps: [{ fo: FO, service: 'acme', requestStatus: 'UNSUBMITTED', status: 'OPEN', lastRequestId: null }] satisfies RequestFulfillmentStep[],
  }),
  'cancel-request': () => ({
    options: [{ services: ['acme'], message: 'm' }] satisfies CancelRequestOptions[],
    steps: [
      { fo: FO, service: 'acme', kind: 'withdraw' },
      { fo: FO, service: 'acme', kind: 'request-cancellation' },
    ] satisfies CancelRequestStep[],
  }),
};

/** A document with its hand-written figure: points per id of a `nodes(ids:)` read, or the points of one request. */
type Priced =
  | { what: string; text: string; variables: Record<string, unknown>; perNode: number; ids: string }
  | { what: string; text: string; variables: Record<string, unknown>; expected: number };

/** Every document the action sends with these options and steps, and its figure. */
function documentsOf(action: BulkAction<unknown, OrderSnapshot, unknown>, options: unknown, steps: unknown[]): Priced[] {
  const priced: Priced[] = [];
  // The lookup is also made before the options are chosen (from what the flags settled): both count.
  for (const [when, known] of [
    ['chosen', options],
    ['before choosing', {}],
  ] as const) {
    const lookup = action.lookup(known as Partial<unknown>);
    priced.push({
      what: `lookup (${when})`,
      text: lookup.document.text,
      variables: lookup.variables(),
      perNode: lookup.document.costPerOrder,
      ids: ORDER,
    });
    if (lookup.refine)
      priced.push({
        what: 'lookup refinement',
        text: lookup.refine.document.text,
        variables: {},
        perNode: lookup.refine.document.costPerNode,
        ids: FO,
      });
  }
  const mutation = action.mutation(options);
  for (const step of steps) {
    const document = mutation.document(step);
    priced.push({
      what: `mutation ${JSON.stringify(step)}`,
      text: document.text,
      variables: mutation.variables(step),
      expected: document.expectedCost,
    });
  }
  const readback = action.readback(options);
  for (const step of steps)
    priced.push({
      what: 'read-back',
      text: readback.document.text,
      variables: {},
      perNode: readback.document.costPerNode,
      ids: readback.target(step),
    });
  const confirmation = action.confirmation?.(options);
  for (const check of confirmation ? [confirmation.check, confirmation.explain] : []) {
    if (!check) continue;
    for (const step of steps)
      priced.push({
        what: 'confirmation',
        text: check.document.text,
        variables: {},
        perNode: check.document.costPerNode,
        ids: check.target(step, null),
      });
  }
  return priced;
}

async function requestedCost(target: Target, version: ApiVersion, text: string, variables: Record<string, unknown>): Promise<number> {
  const answer = await gql(target, text, variables, { version });
  const cost = answer.body.extensions?.cost?.requestedQueryCost;
  if (typeof cost !== 'number') throw new Error(`no requested cost for ${text.slice(0, 60)}: ${JSON.stringify(answer.body.errors)}`);
  return cost;
}

async function expectPriced(target: Target, version: ApiVersion, priced: Priced): Promise<void> {
  if ('expected' in priced) {
    expect(await requestedCost(target, version, priced.text, priced.variables), `${version} ${priced.what}`).toBe(priced.expected);
    return;
  }
  const one = await requestedCost(target, version, priced.text, { ...priced.variables, ids: [priced.ids] });
  const many = await requestedCost(target, version, priced.text, { ...priced.variables, ids: Array.from({ length: MANY }, () => priced.ids) });
  const slope = (many - one) / (MANY - 1);
  expect(slope, `${version} ${priced.what}: points per id`).toBe(priced.perNode);
  expect(one - slope, `${version} ${priced.what}: points besides the nodes`).toBeLessThanOrEqual(2);
}

describe('hand-written query costs match the cost calculator', () => {
  it('samples every registered action', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(ACTIONS.map((spec) => spec.action.name).sort());
  });

  for (const version of SUPPORTED_API_VERSIONS) {
    it.each(ACTIONS.map((spec) => [spec.action.name, spec.action] as const))(`%s's documents (${version})`, async (name, action) => {
      const sb = await sandbox({ orders: 5, plan: 'unlimited' });
      const { options, steps } = SAMPLES[name]!(version);
      let checked = 0;
      for (const chosen of options) {
        for (const priced of documentsOf(action, chosen, steps)) {
          await expectPriced(sb, version, priced);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(0);
    });
  }

  // The run's own reads (selection, bulk exports, the shop check): the figures they are sent with, exported beside their documents.
  it.each(SUPPORTED_API_VERSIONS)('the run’s own documents (%s)', async (version) => {
    const sb = await sandbox({ orders: 5, plan: 'unlimited' });
    await expectPriced(sb, version, {
      what: 'ORDERS_BY_QUERY',
      text: ORDERS_BY_QUERY,
      variables: { query: 'x', first: ORDERS_BY_QUERY_PAGE_SIZE },
      expected: ORDERS_BY_QUERY_PAGE_COST,
    });
    await expectPriced(sb, version, {
      what: 'RUN_BULK_EXPORT',
      text: RUN_BULK_EXPORT,
      variables: { query: '{ orders { edges { node { id } } } }' },
      expected: RUN_BULK_EXPORT_COST,
    });
    await expectPriced(sb, version, {
      what: 'BULK_EXPORT_STATUS',
      text: BULK_EXPORT_STATUS,
      variables: { id: 'gid://shopify/BulkOperation/1' },
      expected: BULK_EXPORT_STATUS_COST,
    });
    await expectPriced(sb, version, { what: 'SHOP_INFO', text: SHOP_INFO, variables: {}, expected: SHOP_INFO_COST });
  });
});
