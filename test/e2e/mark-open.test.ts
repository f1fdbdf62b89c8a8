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
import { counters, foGid, orderGid } from '../helpers/sandbox.js';
import { ACME_LOCATION, fo, order } from '../helpers/store-builder.js';

const CANCELLED_AT = '2026-11-01T00:00:00.000Z';

function orders() {
  const inProgress = () => fo({ status: 'IN_PROGRESS', progressReported: true });
  const one = { fos: [inProgress()] };
  const two = { fos: [inProgress(), fo({ status: 'IN_PROGRESS', progressReported: true, deliveryMethod: 'LOCAL' })] };
  const withService = { fos: [fo({ locationId: ACME_LOCATION, status: 'IN_PROGRESS', requestStatus: 'ACCEPTED' }), inProgress()] };
  const pickup = { fos: [fo({ status: 'IN_PROGRESS', progressReported: true, deliveryMethod: 'PICK_UP' })] };
  const scheduled = { fos: [fo({ status: 'SCHEDULED', fulfillAt: '2027-01-01T00:00:00.000Z' })] };
  const held = { fos: [fo({ status: 'ON_HOLD', holds: [{ id: 9001, reason: 'OTHER', reasonNotes: null }] })] };
  const open = { fos: [fo()] };
  const atService = { fos: [fo({ locationId: ACME_LOCATION, status: 'IN_PROGRESS', requestStatus: 'ACCEPTED' })] };
  const cancelled = { fos: [fo({ status: 'CLOSED', closedReason: 'order-cancelled' })] };
  const made = {
    one: order({ fulfillmentOrders: one.fos, tags: ['wave-12'] }),
    two: order({ fulfillmentOrders: two.fos, tags: ['wave-12'] }),
    withService: order({ fulfillmentOrders: withService.fos }),
    pickup: order({ fulfillmentOrders: pickup.fos }),
    scheduled: order({ fulfillmentOrders: scheduled.fos }),
    held: order({ fulfillmentOrders: held.fos }),
    open: order({ fulfillmentOrders: open.fos, tags: ['wave-12'] }),
    atService: order({ fulfillmentOrders: atService.fos }),
    cancelled: order({ fulfillmentOrders: cancelled.fos, cancelledAt: CANCELLED_AT, cancelReason: 'OTHER', closedAt: CANCELLED_AT }),
  };
  return { ...made, all: Object.values(made) };
}

async function setup() {
  const o = orders();
  return { ...(await setupStore(twoServiceStore(o.all))), o, ids: o.all.map((x) => String(x.id)) };
}

/** The merchant-managed IN_PROGRESS fulfillment orders of these orders: what mark-open opens. */
const inProgressOf = (list: ReturnType<typeof orders>['all']) =>
  list.flatMap((x) => x.fulfillmentOrders.filter((f) => f.status === 'IN_PROGRESS' && f.locationId !== ACME_LOCATION));

describe('bulkfill mark-open (built bin against a sandbox)', () => {
  it('--dry-run prints the plan on stderr and sends no mutation', async () => {
    const s = await setup();
    const result = await runBin(['mark-open', ...s.ids, '--dry-run', '--json'], s.env);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Plan: mark-open/);
    expect(result.stderr).toMatch(/To mark open\s+4/);
    expect(result.stderr).toMatch(/dry run/i);
    const report = jsonReport(result);
    expect(report.run).toMatchObject({ command: 'mark-open', dryRun: true });
    expect(withOutcome(report, 'planned')).toEqual(gids([s.o.one, s.o.two, s.o.withService, s.o.pickup]));
    const seen = await counters(s.sb);
    expect(seen.calls).toEqual({});
    expect(seen.applied).toEqual({});
  });

  it('--yes --json opens exactly the planned fulfillment orders once, skips the rest with reasons, and a second run acts on nothing', async () => {
    const s = await setup();
    const planned = withOutcome(jsonReport(await runBin(['mark-open', ...s.ids, '--dry-run', '--json'], s.env)), 'planned');

    const result = await runBin(['mark-open', ...s.ids, '--yes', '--json'], s.env);
    expect(result.code).toBe(0);
    const report = jsonReport(result);
    expect(report.run).toMatchObject({ command: 'mark-open', dryRun: false });
    expect(report.summary).toEqual({ selected: 9, done: 4, already: 1, skipped: 4, failed: 0, unknown: 0 });
    expect(withOutcome(report, 'done')).toEqual(planned);
    const orders = byOrder(report);
    expect(orders.get(orderGid(s.o.open.id))).toMatchObject({ outcome: 'already', message: 'already open (unfulfilled)' });
    expect(orders.get(orderGid(s.o.scheduled.id))).toMatchObject({
      outcome: 'skipped',
      reason: 'scheduled',
      message: expect.stringMatching(/--include-scheduled/),
    });
    expect(orders.get(orderGid(s.o.held.id))).toMatchObject({ outcome: 'skipped', reason: 'on-hold' });
    expect(orders.get(orderGid(s.o.atService.id))).toMatchObject({
      outcome: 'skipped',
      reason: 'at-fulfillment-service',
      message: expect.stringMatching(/cancel-request/),
    });
    expect(orders.get(orderGid(s.o.cancelled.id))).toMatchObject({ outcome: 'skipped', reason: 'order-cancelled' });

    // Once each, and nothing else.
    const expected = foGids(inProgressOf([s.o.one, s.o.two, s.o.withService, s.o.pickup]));
    expect(expected).toHaveLength(5);
    const seen = await counters(s.sb);
    expect(seen.applied).toEqual({ fulfillmentOrderOpen: Object.fromEntries(expected.map((id) => [id, 1])) });
    expect(seen.calls).toEqual(seen.applied);

    // Opened: OPEN, still unsubmitted; the service's fulfillment order beside it untouched.
    for (const id of inProgressOf([s.o.one, s.o.two, s.o.pickup, s.o.withService])) {
      expect(await currentFo(s.sb, id.id)).toMatchObject({ status: 'OPEN', requestStatus: 'UNSUBMITTED', progressReported: false });
    }
    expect(await currentFo(s.sb, s.o.withService.fulfillmentOrders[0]!.id)).toMatchObject({ status: 'IN_PROGRESS', requestStatus: 'ACCEPTED' });
    expect((await currentFos(s.sb, s.o.scheduled.id))[0]!.status).toBe('SCHEDULED');
    expect((await currentFos(s.sb, s.o.held.id))[0]!.status).toBe('ON_HOLD');

    // Exactly once: the same run again finds everything open.
    const again = await runBin(['mark-open', ...s.ids, '--yes', '--json'], s.env);
    expect(again.code).toBe(0);
    const second = jsonReport(again);
    expect(second.summary).toMatchObject({ done: 0, already: 5, skipped: 4, failed: 0, unknown: 0 });
    expect(withOutcome(second, 'already')).toEqual(gids([s.o.one, s.o.two, s.o.withService, s.o.pickup, s.o.open]));
    expect(await counters(s.sb)).toMatchObject({ calls: seen.calls, applied: seen.applied });
  });

  it('--method opens only the chosen delivery methods, also within one order', async () => {
    const s = await setup();
    const result = await runBin(
      ['mark-open', String(s.o.two.id), String(s.o.one.id), String(s.o.pickup.id), '--method', 'local,pick-up', '--yes', '--json'],
      s.env,
    );
    expect(result.code).toBe(0);
    const report = jsonReport(result);
    expect(withOutcome(report, 'done')).toEqual(gids([s.o.two, s.o.pickup]));
    expect(byOrder(report).get(orderGid(s.o.one.id))).toMatchObject({
      outcome: 'skipped',
      reason: 'method-not-chosen',
      message: 'its delivery method (shipping) was not chosen',
    });
    const [shipping, local] = s.o.two.fulfillmentOrders;
    expect((await counters(s.sb)).applied.fulfillmentOrderOpen).toEqual({ [foGid(local!.id)]: 1, [foGid(s.o.pickup.fulfillmentOrders[0]!.id)]: 1 });
    expect(await currentFo(s.sb, shipping!.id)).toMatchObject({ status: 'IN_PROGRESS' });
  });

  it('--include-scheduled also opens scheduled fulfillment orders', async () => {
    const s = await setup();
    const result = await runBin(['mark-open', String(s.o.scheduled.id), String(s.o.one.id), '--include-scheduled', '--yes', '--json'], s.env);
    expect(result.code).toBe(0);
    expect(jsonReport(result).summary).toMatchObject({ done: 2, skipped: 0 });
    expect(await currentFo(s.sb, s.o.scheduled.fulfillmentOrders[0]!.id)).toMatchObject({ status: 'OPEN' });
    expect((await counters(s.sb)).applied.fulfillmentOrderOpen?.[foGid(s.o.scheduled.fulfillmentOrders[0]!.id)]).toBe(1);
  });

  it('selects with --query (the bulk export path) and plans the same way', async () => {
    const s = await setup();
    const result = await runBin(['mark-open', '--query', 'tag:wave-12', '--yes', '--json'], s.env);
    expect(result.code).toBe(0);
    const report = jsonReport(result);
    expect(report.summary).toMatchObject({ selected: 3, done: 2, already: 1 });
    expect(withOutcome(report, 'done')).toEqual(gids([s.o.one, s.o.two]));
    expect(Object.keys((await counters(s.sb)).applied.fulfillmentOrderOpen ?? {}).sort()).toEqual(foGids(inProgressOf([s.o.one, s.o.two])));
  });

  it('exits 2 on an unknown --method, naming the flag and the choices, before any request', async () => {
    const s = await setup();
    const result = await runBin(['mark-open', ...s.ids, '--method', 'shipping,teleport', '--yes'], s.env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--method/);
    expect(result.stderr).toMatch(/teleport/);
    expect(result.stderr).toMatch(/shipping, local, pick-up, pickup-point, retail, none/);
    expect((await counters(s.sb)).requests.total).toBe(0);
  });

  it('exits 2 without --yes off a terminal', async () => {
    const s = await setup();
    const result = await runBin(['mark-open', ...s.ids], s.env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Missing --yes/);
    expect((await counters(s.sb)).requests.total).toBe(0);
  });

  it('exits 3 when an order fails (no such order), still opening the others, and lists it in the failures CSV', async () => {
    const s = await setup();
    const result = await runBin(['mark-open', String(s.o.one.id), '999999999', '--yes', '--json'], s.env);
    expect(result.code).toBe(3);
    const report = jsonReport(result);
    expect(report.summary).toMatchObject({ selected: 2, done: 1, failed: 1 });
    expect(byOrder(report).get(orderGid(999999999))).toMatchObject({ outcome: 'failed', reason: 'not-found' });
    expect(result.stderr).toMatch(/\.failures\.csv/);
    expect((await counters(s.sb)).applied.fulfillmentOrderOpen).toEqual({ [foGid(s.o.one.fulfillmentOrders[0]!.id)]: 1 });
  });
});
