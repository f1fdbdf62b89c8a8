import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { counters, gql, sandbox, storeState } from '../../../../test/helpers/sandbox.js';

const CANCEL = `mutation Cancel($id: ID!) {
  orderCancel(orderId: $id, reason: OTHER, restock: false) { job { id } orderCancelUserErrors { code } }
}`;

describe('calculated cost and the leaky bucket', () => {
  it('charges the requested cost up front and refunds what was not used', async () => {
    const sb = await sandbox({ orders: 3 });
    const res = await gql(sb, '{ orders(first: 100) { nodes { id } } }');
    expect(res.body.extensions.cost.requestedQueryCost).toBe(102);
    expect(res.body.extensions.cost.actualQueryCost).toBe(5);
    // Only the actual cost stays taken: 2000 - 5 (plus a little refill).
    expect(res.body.extensions.cost.throttleStatus.currentlyAvailable).toBeGreaterThanOrEqual(1995);
  });

  it('answers a query above 1000 points with MAX_COST_EXCEEDED and no cost extension', async () => {
    const sb = await sandbox();
    const res = await gql(sb, '{ orders(first: 250) { nodes { id fulfillmentOrders(first: 10) { nodes { id } } } } }');
    expect(res.status).toBe(200);
    expect(res.body.data).toBeUndefined();
    expect(res.body.extensions).toBeUndefined();
    expect(res.body.errors[0].extensions).toMatchObject({ code: 'MAX_COST_EXCEEDED', maxCost: 1000 });
    expect(res.body.errors[0].extensions.cost).toBeGreaterThan(1000);
    expect(res.body.errors[0].message).toMatch(/^Query cost is \d+, which exceeds the single query max cost limit \(1000\)/);
  });

  it('throttles 300 orderCancel requests sent at once on the standard plan once 2000 points are spent', async () => {
    const sb = await sandbox({ orders: 300, plan: 'standard', cancelJobDelayMs: 3_600_000 });
    const ids = (await storeState(sb)).orders.map((o) => `gid://shopify/Order/${o.id}`);
    const answers = await Promise.all(ids.map((id) => gql(sb, CANCEL, { id })));
    const throttled = answers.filter((a) => a.body.errors?.[0]?.extensions?.code === 'THROTTLED');
    const accepted = answers.filter((a) => a.body.data?.orderCancel);
    // 2000 points / 10 per mutation = 200 fit; the bucket refills only ~100 points/s meanwhile.
    expect(accepted.length).toBeGreaterThanOrEqual(200);
    expect(accepted.length).toBeLessThan(240);
    expect(throttled.length).toBe(300 - accepted.length);
    for (const answer of throttled) {
      expect(answer.status).toBe(200);
      expect(answer.body.data).toBeUndefined();
      expect(answer.body.errors[0]).toEqual({
        message: 'Throttled',
        extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
      });
      expect(answer.body.extensions.cost.actualQueryCost).toBeNull();
      expect(answer.body.extensions.cost.requestedQueryCost).toBe(10);
      expect(answer.body.extensions.cost.throttleStatus.currentlyAvailable).toBeLessThan(10);
    }
    expect((await counters(sb)).requests.throttled).toBe(throttled.length);
    // A throttled request changes nothing.
    const calls = (await counters(sb)).calls.orderCancel ?? {};
    expect(Object.keys(calls).length).toBe(accepted.length);
  });

  it('refills the bucket at the restore rate (100 points/s on standard)', async () => {
    const sb = await sandbox({ orders: 300, cancelJobDelayMs: 3_600_000 });
    const ids = (await storeState(sb)).orders.map((o) => `gid://shopify/Order/${o.id}`);
    await Promise.all(ids.map((id) => gql(sb, CANCEL, { id })));
    const probe = async () => {
      const res = await gql(sb, '{ shop { name } }');
      return { at: performance.now(), available: res.body.extensions.cost.throttleStatus.currentlyAvailable as number };
    };
    const first = await probe();
    await sleep(1500);
    const second = await probe();
    const rate = (second.available - first.available + 1) / ((second.at - first.at) / 1000);
    expect(rate).toBeGreaterThan(85);
    expect(rate).toBeLessThan(115);
  });

  it('runs the restore rate k times faster under --time-scale k and reports it', async () => {
    const sb = await sandbox({ timeScale: 10 });
    const res = await gql(sb, '{ shop { name } }');
    expect(res.body.extensions.cost.throttleStatus).toMatchObject({ restoreRate: 1000, maximumAvailable: 2000 });
  });

  it('takes the plan and its overrides', async () => {
    const plus = await sandbox({ plan: 'plus' });
    expect((await gql(plus, '{ shop { name } }')).body.extensions.cost.throttleStatus).toMatchObject({ maximumAvailable: 20000, restoreRate: 1000 });
    const custom = await sandbox({ plan: 'advanced', bucketSize: 500, restoreRate: 7 });
    expect((await gql(custom, '{ shop { name } }')).body.extensions.cost.throttleStatus).toMatchObject({ maximumAvailable: 500, restoreRate: 7 });
  });
});
