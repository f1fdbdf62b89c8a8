import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/bin.js';
import {
  byOrder,
  currentFo,
  currentFos,
  foGids,
  gids,
  jsonReport,
  setupStore,
  twoServiceStore,
  withOutcome,
} from '../helpers/fulfillment-actions.js';
import { advanceClock, counters, createToken, foGid, gql, orderGid } from '../helpers/sandbox.js';
import { ACME, ACME_LOCATION, BETA, BETA_LOCATION, fo, order } from '../helpers/store-builder.js';
import type { ServiceBehaviour } from '@bulkfill/sandbox';

const CANCELLED_AT = '2026-11-01T00:00:00.000Z';
const HOUR = 3_600_000;

function orders() {
  const acme = (o: Parameters<typeof fo>[0] = {}) => fo({ locationId: ACME_LOCATION, ...o });
  const made = {
    fresh: order({ fulfillmentOrders: [acme()] }),
    two: order({ fulfillmentOrders: [acme(), acme({ deliveryMethod: 'LOCAL' })] }),
    mixed: order({ fulfillmentOrders: [fo(), acme()] }),
    rejected: order({ fulfillmentOrders: [acme({ requestStatus: 'REJECTED' })] }),
    pending: order({ fulfillmentOrders: [acme({ requestStatus: 'SUBMITTED' })] }),
    accepted: order({ fulfillmentOrders: [acme({ status: 'IN_PROGRESS', requestStatus: 'ACCEPTED' })] }),
    // Withdrawn once (closed original, replaced) and requested again since.
    rerequested: order({
      fulfillmentOrders: [acme({ status: 'CLOSED', requestStatus: 'CLOSED', closedReason: 'replaced' }), acme({ requestStatus: 'SUBMITTED' })],
    }),
    own: order({ fulfillmentOrders: [fo()] }),
    beta: order({ fulfillmentOrders: [fo({ locationId: BETA_LOCATION })] }),
    held: order({ fulfillmentOrders: [acme({ status: 'ON_HOLD', holds: [{ id: 9002, reason: 'OTHER', reasonNotes: null }] })] }),
    cancelled: order({
      fulfillmentOrders: [acme({ status: 'CLOSED', closedReason: 'order-cancelled' })],
      cancelledAt: CANCELLED_AT,
      cancelReason: 'OTHER',
      closedAt: CANCELLED_AT,
    }),
  };
  return { ...made, all: Object.values(made) };
}

async function setup(acme: Partial<ServiceBehaviour> = {}) {
  const o = orders();
  return { ...(await setupStore(twoServiceStore(o.all, acme))), o, ids: o.all.map((x) => String(x.id)) };
}

type Orders = ReturnType<typeof orders>;
/** What request-fulfillment at acme sends: the acme fulfillment orders of the acting orders, unsubmitted or rejected. */
const requestableAtAcme = (list: Orders['all']) =>
  list.flatMap((x) =>
    x.fulfillmentOrders.filter((f) => f.locationId === ACME_LOCATION && f.status === 'OPEN' && ['UNSUBMITTED', 'REJECTED'].includes(f.requestStatus)),
  );

const AT_ACME = ['--service', ACME];

describe('bulkfill request-fulfillment (built bin against a sandbox)', () => {
  it('--dry-run prints the plan on stderr and sends no mutation', async () => {
    const s = await setup();
    const result = await runBin(['request-fulfillment', ...s.ids, ...AT_ACME, '--dry-run', '--json'], s.env);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Plan: request-fulfillment/);
    expect(result.stderr).toMatch(/To request fulfillment\s+4/);
    expect(result.stderr).toMatch(/Fulfillment orders by service\s+acme-3pl\s+5/);
    expect(result.stderr).toMatch(/dry run/i);
    const report = jsonReport(result);
    expect(report.run).toMatchObject({ command: 'request-fulfillment', dryRun: true });
    expect(withOutcome(report, 'planned')).toEqual(gids([s.o.fresh, s.o.two, s.o.mixed, s.o.rejected]));
    const seen = await counters(s.sb);
    expect(seen.calls).toEqual({});
    expect(seen.notifications).toEqual({});
  });

  it('--yes --json requests exactly the planned fulfillment orders once, with the message and notify choice; a second run acts on nothing', async () => {
    const s = await setup();
    const planned = withOutcome(jsonReport(await runBin(['request-fulfillment', ...s.ids, ...AT_ACME, '--dry-run', '--json'], s.env)), 'planned');

    const result = await runBin(['request-fulfillment', ...s.ids, ...AT_ACME, '--message', 'rush, please', '--notify', '--yes', '--json'], s.env);
    expect(result.code).toBe(0);
    const report = jsonReport(result);
    expect(report.summary).toEqual({ selected: 11, done: 4, already: 3, skipped: 4, failed: 0, unknown: 0 });
    expect(withOutcome(report, 'done')).toEqual(planned);
    const orders = byOrder(report);
    for (const o of [s.o.pending, s.o.accepted, s.o.rerequested]) {
      expect(orders.get(orderGid(o.id))).toMatchObject({ outcome: 'already', message: 'already requested from `acme-3pl`' });
    }
    expect(orders.get(orderGid(s.o.own.id))).toMatchObject({ outcome: 'skipped', reason: 'merchant-managed' });
    expect(orders.get(orderGid(s.o.beta.id))).toMatchObject({
      outcome: 'skipped',
      reason: 'service-not-chosen',
      message: 'nothing at `acme-3pl`; it is at `beta-fulfil`',
    });
    expect(orders.get(orderGid(s.o.held.id))).toMatchObject({ outcome: 'skipped', reason: 'not-eligible' });
    expect(orders.get(orderGid(s.o.cancelled.id))).toMatchObject({ outcome: 'skipped', reason: 'order-cancelled' });

    const sent = requestableAtAcme([s.o.fresh, s.o.two, s.o.mixed, s.o.rejected]);
    expect(sent).toHaveLength(5);
    const seen = await counters(s.sb);
    expect(seen.applied).toEqual({ fulfillmentOrderSubmitFulfillmentRequest: Object.fromEntries(foGids(sent).map((id) => [id, 1])) });
    expect(seen.calls).toEqual(seen.applied);
    for (const f of sent) {
      const now = await currentFo(s.sb, f.id);
      expect(now).toMatchObject({ status: 'OPEN', requestStatus: 'SUBMITTED' });
      expect(now.merchantRequests.at(-1)).toMatchObject({
        kind: 'FULFILLMENT_REQUEST',
        message: 'rush, please',
        requestOptions: { notify_customer: true },
      });
    }
    // The merchant's own fulfillment order beside it is left alone.
    expect((await currentFos(s.sb, s.o.mixed.id))[0]).toMatchObject({ status: 'OPEN', requestStatus: 'UNSUBMITTED', merchantRequests: [] });

    const again = await runBin(['request-fulfillment', ...s.ids, ...AT_ACME, '--message', 'rush, please', '--notify', '--yes', '--json'], s.env);
    expect(again.code).toBe(0);
    const second = jsonReport(again);
    expect(second.summary).toMatchObject({ done: 0, already: 7, skipped: 4, failed: 0, unknown: 0 });
    expect(withOutcome(second, 'already')).toEqual(gids([s.o.fresh, s.o.two, s.o.mixed, s.o.rejected, s.o.pending, s.o.accepted, s.o.rerequested]));
    expect(await counters(s.sb)).toMatchObject({ calls: seen.calls, applied: seen.applied });
  });

  it('notify is off and no message is sent by default', async () => {
    const s = await setup();
    const result = await runBin(['request-fulfillment', String(s.o.fresh.id), ...AT_ACME, '--yes'], s.env);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/1 requested/);
    const request = (await currentFo(s.sb, s.o.fresh.fulfillmentOrders[0]!.id)).merchantRequests.at(-1);
    expect(request).toMatchObject({ kind: 'FULFILLMENT_REQUEST', message: null, requestOptions: { notify_customer: false } });
  });

  it('--service takes several services, comma-separated or repeated', async () => {
    const s = await setup();
    const ids = [s.o.fresh.id, s.o.beta.id, s.o.own.id].map(String);
    const result = await runBin(['request-fulfillment', ...ids, '--service', ACME, '--service', BETA, '--yes', '--json'], s.env);
    expect(result.code).toBe(0);
    expect(withOutcome(jsonReport(result), 'done')).toEqual(gids([s.o.fresh, s.o.beta]));
    expect(Object.keys((await counters(s.sb)).applied.fulfillmentOrderSubmitFulfillmentRequest ?? {}).sort()).toEqual(
      foGids([s.o.fresh.fulfillmentOrders[0]!, s.o.beta.fulfillmentOrders[0]!]),
    );
    const comma = await runBin(['request-fulfillment', ...ids, '--service', `${ACME},${BETA}`, '--yes', '--json'], s.env);
    expect(jsonReport(comma).summary).toMatchObject({ done: 0, already: 2, skipped: 1 });
  });

  it('a later run shows what the service answered: accepted is already; rejected is requested again, once', async () => {
    // acme accepts every request an hour (of sandbox time) after it arrives; the test moves the clock.
    const s = await setup({ acceptRate: 1, responseDelayMs: HOUR });
    const ids = [s.o.fresh.id, s.o.two.id].map(String);
    expect((await runBin(['request-fulfillment', ...ids, ...AT_ACME, '--yes'], s.env)).code).toBe(0);
    // The service app rejects one of them before the hour is up.
    const service = await createToken(s.sb, ['write_assigned_fulfillment_orders']);
    const rejectedFo = s.o.fresh.fulfillmentOrders[0]!;
    const reject = await gql(
      s.sb,
      `mutation ($id: ID!) { fulfillmentOrderRejectFulfillmentRequest(id: $id, reason: OTHER, message: "out of stock") { userErrors { message } } }`,
      { id: foGid(rejectedFo.id) },
      { token: service.token },
    );
    expect(reject.body.data.fulfillmentOrderRejectFulfillmentRequest.userErrors).toEqual([]);
    await advanceClock(s.sb, HOUR);
    for (const f of s.o.two.fulfillmentOrders)
      expect(await currentFo(s.sb, f.id)).toMatchObject({ status: 'IN_PROGRESS', requestStatus: 'ACCEPTED' });

    const again = await runBin(['request-fulfillment', ...ids, ...AT_ACME, '--yes', '--json'], s.env);
    expect(again.code).toBe(0);
    const report = jsonReport(again);
    expect(byOrder(report).get(orderGid(s.o.two.id))).toMatchObject({ outcome: 'already', message: 'already requested from `acme-3pl`' });
    expect(byOrder(report).get(orderGid(s.o.fresh.id))).toMatchObject({ outcome: 'done' });
    expect((await counters(s.sb)).applied.fulfillmentOrderSubmitFulfillmentRequest).toEqual({
      [foGid(rejectedFo.id)]: 2,
      ...Object.fromEntries(foGids(s.o.two.fulfillmentOrders).map((id) => [id, 1])),
    });
  });

  it('exits 2 naming --service when a non-interactive run lacks it, before any request', async () => {
    const s = await setup();
    const result = await runBin(['request-fulfillment', ...s.ids, '--yes'], s.env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Missing --service\./);
    const both = await runBin(['request-fulfillment', ...s.ids], s.env);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/Missing --service, --yes\./);
    expect((await counters(s.sb)).requests.total).toBe(0);
  });

  it('exits 3 when an order fails (no such order), still requesting the others', async () => {
    const s = await setup();
    const result = await runBin(['request-fulfillment', String(s.o.fresh.id), 'gid://shopify/Order/999999999', ...AT_ACME, '--yes', '--json'], s.env);
    expect(result.code).toBe(3);
    const report = jsonReport(result);
    expect(report.summary).toMatchObject({ selected: 2, done: 1, failed: 1 });
    expect(byOrder(report).get(orderGid(999999999))).toMatchObject({ outcome: 'failed', reason: 'not-found' });
    expect((await counters(s.sb)).applied.fulfillmentOrderSubmitFulfillmentRequest).toEqual({ [foGid(s.o.fresh.fulfillmentOrders[0]!.id)]: 1 });
  });
});
