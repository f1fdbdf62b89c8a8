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
import { ACME, ACME_LOCATION, BETA_LOCATION, fo, order } from '../helpers/store-builder.js';
import type { ServiceBehaviour } from '@bulkfill/sandbox';

const CANCELLED_AT = '2026-11-01T00:00:00.000Z';
const HOUR = 3_600_000;
const AT_ACME = ['--service', ACME];

function orders() {
  const acme = (o: Parameters<typeof fo>[0] = {}) => fo({ locationId: ACME_LOCATION, ...o });
  const accepted = () => acme({ status: 'IN_PROGRESS', requestStatus: 'ACCEPTED' });
  const submitted = () => acme({ requestStatus: 'SUBMITTED' });
  const made = {
    accepted: order({ fulfillmentOrders: [accepted()] }),
    accepted2: order({ fulfillmentOrders: [accepted()] }),
    submitted: order({ fulfillmentOrders: [submitted()] }),
    both: order({ fulfillmentOrders: [submitted(), accepted(), fo()] }),
    waiting: order({ fulfillmentOrders: [acme({ status: 'IN_PROGRESS', requestStatus: 'CANCELLATION_REQUESTED' })] }),
    unsubmitted: order({ fulfillmentOrders: [acme()] }),
    own: order({ fulfillmentOrders: [fo({ status: 'IN_PROGRESS', progressReported: true })] }),
    beta: order({ fulfillmentOrders: [fo({ locationId: BETA_LOCATION, status: 'IN_PROGRESS', requestStatus: 'ACCEPTED' })] }),
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
const atAcmeWith = (list: Orders['all'], requestStatus: string) =>
  list.flatMap((x) => x.fulfillmentOrders.filter((f) => f.locationId === ACME_LOCATION && f.requestStatus === requestStatus));
const once = (fos: ReturnType<typeof atAcmeWith>) => Object.fromEntries(foGids(fos).map((id) => [id, 1]));

describe('bulkfill cancel-request (built bin against a sandbox)', () => {
  it('--dry-run prints the plan, telling cancellation requests from withdrawals, and sends no mutation', async () => {
    const s = await setup();
    const result = await runBin(['cancel-request', ...s.ids, ...AT_ACME, '--dry-run', '--json'], s.env);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Plan: cancel-request/);
    expect(result.stderr).toMatch(/To cancel requests\s+4/);
    expect(result.stderr).toMatch(/Cancellation requests to send\s+acme-3pl\s+3/);
    expect(result.stderr).toMatch(/Requests to withdraw\s+acme-3pl\s+2/);
    expect(result.stderr).toMatch(/dry run/i);
    const report = jsonReport(result);
    expect(report.run).toMatchObject({ command: 'cancel-request', dryRun: true });
    expect(withOutcome(report, 'planned')).toEqual(gids([s.o.accepted, s.o.accepted2, s.o.submitted, s.o.both]));
    expect((await counters(s.sb)).calls).toEqual({});
  });

  it('--yes --json withdraws unaccepted requests and requests cancellation of accepted ones, once each; a second run acts on nothing', async () => {
    const s = await setup();
    const planned = withOutcome(jsonReport(await runBin(['cancel-request', ...s.ids, ...AT_ACME, '--dry-run', '--json'], s.env)), 'planned');

    const result = await runBin(['cancel-request', ...s.ids, ...AT_ACME, '--message', 'customer cancelled', '--yes', '--json'], s.env);
    expect(result.code).toBe(0);
    const report = jsonReport(result);
    expect(report.summary).toEqual({ selected: 9, done: 4, already: 1, skipped: 4, failed: 0, unknown: 0 });
    expect(withOutcome(report, 'done')).toEqual(planned);
    const orders = byOrder(report);
    expect(orders.get(orderGid(s.o.accepted.id))).toMatchObject({ outcome: 'done', message: 'cancellation requested' });
    expect(orders.get(orderGid(s.o.submitted.id))).toMatchObject({ outcome: 'done', message: 'withdrawn' });
    expect(orders.get(orderGid(s.o.both.id))).toMatchObject({ outcome: 'done', message: 'withdrawn; cancellation requested' });
    expect(orders.get(orderGid(s.o.waiting.id))).toMatchObject({
      outcome: 'already',
      message: 'cancellation requested; waiting for the service to answer',
    });
    expect(orders.get(orderGid(s.o.unsubmitted.id))).toMatchObject({ outcome: 'skipped', reason: 'no-pending-request' });
    expect(orders.get(orderGid(s.o.own.id))).toMatchObject({ outcome: 'skipped', reason: 'merchant-managed' });
    expect(orders.get(orderGid(s.o.beta.id))).toMatchObject({
      outcome: 'skipped',
      reason: 'service-not-chosen',
      message: 'nothing at `acme-3pl`; it is at `beta-fulfil`',
    });
    expect(orders.get(orderGid(s.o.cancelled.id))).toMatchObject({ outcome: 'skipped', reason: 'order-cancelled' });

    const acting = [s.o.accepted, s.o.accepted2, s.o.submitted, s.o.both];
    const requested = atAcmeWith(acting, 'ACCEPTED');
    const withdrawn = atAcmeWith(acting, 'SUBMITTED');
    expect([requested.length, withdrawn.length]).toEqual([3, 2]);
    const seen = await counters(s.sb);
    expect(seen.applied).toEqual({ fulfillmentOrderSubmitCancellationRequest: once(requested), fulfillmentOrderCancel: once(withdrawn) });
    expect(seen.calls).toEqual(seen.applied);

    for (const f of requested) {
      const now = await currentFo(s.sb, f.id);
      expect(now).toMatchObject({ status: 'IN_PROGRESS', requestStatus: 'CANCELLATION_REQUESTED' });
      expect(now.merchantRequests.at(-1)).toMatchObject({ kind: 'CANCELLATION_REQUEST', message: 'customer cancelled' });
    }
    for (const f of withdrawn) expect(await currentFo(s.sb, f.id)).toMatchObject({ status: 'CLOSED', requestStatus: 'CLOSED' });
    // A withdrawn request leaves a fresh, unsubmitted fulfillment order for the same items.
    const after = await currentFos(s.sb, s.o.submitted.id);
    expect(after).toHaveLength(2);
    expect(after[1]).toMatchObject({ locationId: ACME_LOCATION, status: 'OPEN', requestStatus: 'UNSUBMITTED' });

    const again = await runBin(['cancel-request', ...s.ids, ...AT_ACME, '--message', 'customer cancelled', '--yes', '--json'], s.env);
    expect(again.code).toBe(0);
    const second = jsonReport(again);
    expect(second.summary).toMatchObject({ done: 0, failed: 0, unknown: 0 });
    const secondOrders = byOrder(second);
    for (const o of [s.o.accepted, s.o.accepted2, s.o.both, s.o.waiting]) {
      expect(secondOrders.get(orderGid(o.id))).toMatchObject({
        outcome: 'already',
        message: 'cancellation requested; waiting for the service to answer',
      });
    }
    expect(secondOrders.get(orderGid(s.o.submitted.id))).toMatchObject({ outcome: 'skipped', reason: 'no-pending-request' });
    expect(await counters(s.sb)).toMatchObject({ calls: seen.calls, applied: seen.applied });
  });

  it('a later run shows what the services answered: accepted is already, rejected is skipped cancellation-rejected', async () => {
    const s = await setup();
    const ids = [s.o.accepted.id, s.o.accepted2.id, s.o.submitted.id].map(String);
    expect((await runBin(['cancel-request', ...ids, ...AT_ACME, '--yes'], s.env)).code).toBe(0);
    const before = await counters(s.sb);

    // The service app answers the two cancellation requests: one yes, one no.
    const service = await createToken(s.sb, ['write_assigned_fulfillment_orders']);
    const answer = async (mutation: string, foId: number) => {
      const res = await gql(
        s.sb,
        `mutation ($id: ID!) { ${mutation}(id: $id, message: "ok") { userErrors { message } } }`,
        { id: foGid(foId) },
        { token: service.token },
      );
      expect(res.body.data[mutation].userErrors).toEqual([]);
    };
    await answer('fulfillmentOrderAcceptCancellationRequest', s.o.accepted.fulfillmentOrders[0]!.id);
    await answer('fulfillmentOrderRejectCancellationRequest', s.o.accepted2.fulfillmentOrders[0]!.id);

    const again = await runBin(['cancel-request', ...ids, ...AT_ACME, '--yes', '--json'], s.env);
    expect(again.code).toBe(0);
    const report = jsonReport(again);
    expect(report.summary).toMatchObject({ selected: 3, done: 0, already: 1, skipped: 2, failed: 0 });
    const orders = byOrder(report);
    expect(orders.get(orderGid(s.o.accepted.id))).toMatchObject({ outcome: 'already', message: 'the service accepted the cancellation' });
    expect(orders.get(orderGid(s.o.accepted2.id))).toMatchObject({
      outcome: 'skipped',
      reason: 'cancellation-rejected',
      message: 'the service rejected the cancellation request; it keeps the work',
    });
    expect(orders.get(orderGid(s.o.submitted.id))).toMatchObject({ outcome: 'skipped', reason: 'no-pending-request' });
    const after = await counters(s.sb);
    expect(after.calls.fulfillmentOrderSubmitCancellationRequest).toEqual(before.calls.fulfillmentOrderSubmitCancellationRequest);
    expect(after.calls.fulfillmentOrderCancel).toEqual(before.calls.fulfillmentOrderCancel);
  });

  it('a service that accepts cancellations on its own, later: the next run reports them accepted', async () => {
    // acme agrees to every cancellation request an hour (of sandbox time) after it arrives.
    const s = await setup({ cancelAcceptRate: 1, responseDelayMs: HOUR });
    const ids = [s.o.accepted.id, s.o.both.id, s.o.waiting.id].map(String);
    const first = jsonReport(await runBin(['cancel-request', ...ids, ...AT_ACME, '--yes', '--json'], s.env));
    expect(first.summary).toMatchObject({ done: 2, already: 1 });
    await advanceClock(s.sb, HOUR);
    for (const f of atAcmeWith([s.o.accepted, s.o.both, s.o.waiting], 'ACCEPTED').concat(atAcmeWith([s.o.waiting], 'CANCELLATION_REQUESTED'))) {
      expect(await currentFo(s.sb, f.id)).toMatchObject({ status: 'CANCELLED', requestStatus: 'CANCELLATION_ACCEPTED' });
    }
    const later = await runBin(['cancel-request', ...ids, ...AT_ACME, '--yes', '--json'], s.env);
    expect(later.code).toBe(0);
    const report = jsonReport(later);
    expect(report.summary).toMatchObject({ done: 0, already: 3, skipped: 0 });
    for (const o of report.orders) expect(o).toMatchObject({ outcome: 'already', message: 'the service accepted the cancellation' });
  });

  it('exits 2 naming --service when a non-interactive run lacks it, before any request', async () => {
    const s = await setup();
    const result = await runBin(['cancel-request', ...s.ids, '--yes'], s.env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Missing --service\./);
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
    expect((await counters(s.sb)).requests.total).toBe(0);
  });

  it('exits 3 when an order fails (no such order), still stopping the others', async () => {
    const s = await setup();
    const result = await runBin(['cancel-request', String(s.o.accepted.id), '999999999', ...AT_ACME, '--yes', '--json'], s.env);
    expect(result.code).toBe(3);
    const report = jsonReport(result);
    expect(report.summary).toMatchObject({ selected: 2, done: 1, failed: 1 });
    expect(byOrder(report).get(orderGid(999999999))).toMatchObject({ outcome: 'failed', reason: 'not-found' });
    expect((await counters(s.sb)).applied).toEqual({ fulfillmentOrderSubmitCancellationRequest: once(atAcmeWith([s.o.accepted], 'ACCEPTED')) });
  });
});
