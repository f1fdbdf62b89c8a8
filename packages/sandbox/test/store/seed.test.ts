import { describe, expect, it } from 'vitest';
import {
  displayFinancialStatus,
  displayFulfillmentStatus,
  orderStatus,
  supportedActions,
  type FulfillmentOrderAction,
} from '../../src/store/derive.js';
import type { FulfillmentOrderRecord, OrderRecord, StoreData } from '../../src/store/model.js';
import { DEFAULT_SHOP, SEED_SCENARIOS, generateStore } from '../../src/store/seed.js';

const NOW = new Date('2026-11-15T12:00:00.000Z');
const DAY = 86_400_000;

const serviceLocations = (store: StoreData) => new Set(store.services.map((service) => service.locationId));
const cents = (amount: string) => Math.round(Number(amount) * 100);
const allFos = (store: StoreData) => store.orders.flatMap((order) => order.fulfillmentOrders.map((fo) => ({ order, fo })));

/** One entry per (order, fo) with the facts the coverage checks look at. */
function facts(store: StoreData) {
  const atService = serviceLocations(store);
  return allFos(store).map(({ order, fo }) => ({
    order,
    fo,
    atService: atService.has(fo.locationId),
    combo: `${fo.status}/${fo.requestStatus}`,
    actions: supportedActions(fo, atService.has(fo.locationId)),
  }));
}

describe('generateStore determinism', () => {
  it('gives deep-equal stores for the same orders, seed and now', () => {
    expect(generateStore({ orders: 300, seed: 7, now: NOW })).toStrictEqual(generateStore({ orders: 300, seed: 7, now: NOW }));
  });

  it('gives different stores for different seeds', () => {
    const a = generateStore({ orders: 100, seed: 1, now: NOW });
    const b = generateStore({ orders: 100, seed: 2, now: NOW });
    expect(a).not.toEqual(b);
    expect(a.orders.map((o) => o.totalPrice)).not.toEqual(b.orders.map((o) => o.totalPrice));
  });

  it('does not depend on the wall clock or Math.random', () => {
    const original = Math.random;
    Math.random = () => 0.5;
    try {
      expect(generateStore({ orders: 50, seed: 3, now: NOW })).toStrictEqual(generateStore({ orders: 50, seed: 3, now: new Date(NOW) }));
    } finally {
      Math.random = original;
    }
  });

  it('handles zero orders and refuses bad counts', () => {
    const empty = generateStore({ orders: 0, seed: 1, now: NOW });
    expect(empty.orders).toEqual([]);
    expect(empty.customers).toEqual([]);
    expect(() => generateStore({ orders: -1, seed: 1, now: NOW })).toThrow(RangeError);
    expect(() => generateStore({ orders: 1.5, seed: 1, now: NOW })).toThrow(RangeError);
  });
});

describe('generateStore shop, locations and services', () => {
  const store = generateStore({ orders: 10, seed: 1, now: NOW });

  it('has the sandbox shop', () => {
    expect(store.shop).toEqual({ ...DEFAULT_SHOP });
    expect(store.shop).toMatchObject({
      name: 'bulkfill sandbox',
      myshopifyDomain: 'bulkfill-sandbox.myshopify.com',
      currencyCode: 'USD',
      ianaTimezone: 'UTC',
    });
    expect(store.version).toBe(1);
    expect(store.jobs).toEqual([]);
    expect(store.pending).toEqual([]);
    expect(store.cancelJobDelayMs).toBe(1000);
  });

  it('has two merchant-managed locations and one location per service', () => {
    const merchant = store.locations.filter((l) => l.serviceHandle === undefined);
    expect(merchant.map((l) => l.name)).toEqual(['Warehouse', 'Retail store']);
    expect(store.services.map((s) => s.handle)).toEqual(['acme-3pl', 'swift-ship', 'slow-fulfil']);
    for (const service of store.services) {
      const location = store.locations.find((l) => l.id === service.locationId);
      expect(location?.serviceHandle).toBe(service.handle);
    }
    expect(store.locations).toHaveLength(5);
  });

  it('gives the services their documented behaviour', () => {
    const byHandle = Object.fromEntries(store.services.map((s) => [s.handle, s.behaviour]));
    expect(byHandle['acme-3pl']).toEqual({ acceptRate: 0.8, rejectRate: 0.1, cancelAcceptRate: 0.8, cancelRejectRate: 0.1, responseDelayMs: 2000 });
    expect(byHandle['swift-ship']).toEqual({ acceptRate: 0.6, rejectRate: 0.3, cancelAcceptRate: 0.6, cancelRejectRate: 0.3, responseDelayMs: 1000 });
    expect(byHandle['slow-fulfil']).toEqual({
      acceptRate: 0.3,
      rejectRate: 0.1,
      cancelAcceptRate: 0.3,
      cancelRejectRate: 0.1,
      responseDelayMs: 10000,
    });
  });
});

describe.each([
  [50, 1],
  [60, 1],
  [60, 99],
  [60, 123456789],
])('generateStore coverage (orders: %i, seed: %i)', (orders, seed) => {
  const store = generateStore({ orders, seed, now: NOW });
  const all = facts(store);

  it('fits every scenario into 50 orders', () => {
    expect(SEED_SCENARIOS.length).toBeLessThanOrEqual(50);
  });

  it('has every financial status', () => {
    const seen = new Set(store.orders.map((o) => displayFinancialStatus(o.payment, o.totalPrice)));
    expect([...seen].sort()).toEqual(
      ['AUTHORIZED', 'EXPIRED', 'PAID', 'PARTIALLY_PAID', 'PARTIALLY_REFUNDED', 'PENDING', 'REFUNDED', 'VOIDED'].sort(),
    );
  });

  it('has open, closed and cancelled orders', () => {
    expect(new Set(store.orders.map(orderStatus))).toEqual(new Set(['open', 'closed', 'cancelled']));
  });

  it('has every display fulfillment status the store can produce', () => {
    const seen = new Set(store.orders.map(displayFulfillmentStatus));
    for (const status of ['FULFILLED', 'PARTIALLY_FULFILLED', 'IN_PROGRESS', 'ON_HOLD', 'SCHEDULED', 'REQUEST_DECLINED', 'UNFULFILLED']) {
      expect(seen, status).toContain(status);
    }
  });

  it('has every merchant-managed fulfillment-order state', () => {
    const merchant = all.filter((f) => !f.atService && orderStatus(f.order) === 'open');
    expect(merchant.some((f) => f.fo.status === 'OPEN')).toBe(true);
    expect(merchant.some((f) => f.fo.status === 'IN_PROGRESS' && f.fo.progressReported)).toBe(true);
    expect(merchant.some((f) => f.fo.status === 'SCHEDULED' && f.fo.fulfillAt !== null && Date.parse(f.fo.fulfillAt) > NOW.getTime())).toBe(true);
    expect(merchant.some((f) => f.fo.status === 'ON_HOLD' && f.fo.holds.length > 0)).toBe(true);
    expect(all.some((f) => !f.atService && f.fo.status === 'CLOSED' && f.fo.closedReason === 'fulfilled')).toBe(true);
  });

  it('has every fulfillment-service status / request-status combination of the service request lifecycle', () => {
    const seen = new Set(all.filter((f) => f.atService).map((f) => f.combo));
    for (const combo of [
      'OPEN/UNSUBMITTED',
      'OPEN/SUBMITTED',
      'IN_PROGRESS/ACCEPTED',
      'OPEN/REJECTED',
      'IN_PROGRESS/CANCELLATION_REQUESTED',
      'CANCELLED/CANCELLATION_ACCEPTED',
      'IN_PROGRESS/CANCELLATION_REJECTED',
    ]) {
      expect(seen, combo).toContain(combo);
    }
  });

  it('has targets for all four actions in supportedActions', () => {
    const has = (action: FulfillmentOrderAction, where: (f: (typeof all)[number]) => boolean = () => true) =>
      all.some((f) => where(f) && f.actions.includes(action));
    expect(has('MARK_AS_OPEN', (f) => !f.atService && f.fo.status === 'IN_PROGRESS')).toBe(true);
    expect(has('REQUEST_FULFILLMENT', (f) => f.atService)).toBe(true);
    expect(has('REQUEST_CANCELLATION', (f) => f.atService && f.fo.requestStatus === 'ACCEPTED')).toBe(true);
    expect(has('CANCEL_FULFILLMENT_ORDER', (f) => f.fo.requestStatus === 'SUBMITTED')).toBe(true);
    expect(has('CANCEL_FULFILLMENT_ORDER', (f) => f.fo.requestStatus === 'CANCELLATION_REQUESTED')).toBe(true);
  });

  it('has orders with one, two and three fulfillment orders, mixing merchant and service locations', () => {
    const counts = new Set(store.orders.map((o) => o.fulfillmentOrders.length));
    expect(counts).toEqual(new Set([1, 2, 3]));
    const atService = serviceLocations(store);
    expect(
      store.orders.some(
        (o) => o.fulfillmentOrders.some((fo) => atService.has(fo.locationId)) && o.fulfillmentOrders.some((fo) => !atService.has(fo.locationId)),
      ),
    ).toBe(true);
    expect(
      store.orders.some((o) => new Set(o.fulfillmentOrders.filter((fo) => atService.has(fo.locationId)).map((fo) => fo.locationId)).size > 1),
    ).toBe(true);
  });

  it('has every delivery method, pick-up at the Retail store', () => {
    const methods = new Set(all.map((f) => f.fo.deliveryMethod));
    for (const method of ['SHIPPING', 'LOCAL', 'PICK_UP', 'PICKUP_POINT', 'NONE']) expect(methods, method).toContain(method);
    const retail = store.locations.find((l) => l.name === 'Retail store')!;
    for (const f of all.filter((f) => f.fo.deliveryMethod === 'PICK_UP')) expect(f.fo.locationId).toBe(retail.id);
    const shipping = all.filter((f) => f.fo.deliveryMethod === 'SHIPPING').length;
    expect(shipping).toBeGreaterThan(all.length / 2);
  });

  it('has returns on paid, (partially) fulfilled orders only', () => {
    const withReturn = store.orders.filter((o) => o.returnStatus !== 'NO_RETURN');
    expect(new Set(withReturn.map((o) => o.returnStatus))).toEqual(new Set(['IN_PROGRESS', 'RETURN_REQUESTED']));
    for (const order of withReturn) {
      expect(['FULFILLED', 'PARTIALLY_FULFILLED']).toContain(displayFulfillmentStatus(order));
      expect(['PAID', 'PARTIALLY_REFUNDED']).toContain(displayFinancialStatus(order.payment, order.totalPrice));
    }
  });

  it('has orders older than 60 days, guests and test orders', () => {
    expect(store.orders.some((o) => Date.parse(o.createdAt) < NOW.getTime() - 60 * DAY)).toBe(true);
    expect(store.orders.some((o) => Date.parse(o.createdAt) > NOW.getTime() - 60 * DAY)).toBe(true);
    expect(store.orders.some((o) => o.customerId === null)).toBe(true);
    expect(store.orders.some((o) => o.test)).toBe(true);
  });
});

/** Checks every invariant a generated store keeps; collects failures so one run shows them all. */
function consistencyProblems(store: StoreData): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, message: string) => {
    if (!ok) problems.push(message);
  };
  const now = NOW.getTime();
  const atService = serviceLocations(store);
  const locations = new Set(store.locations.map((l) => l.id));
  const customers = new Set(store.customers.map((c) => c.id));
  const recordIds = new Set<number>();
  const addId = (id: number, what: string) => {
    check(Number.isSafeInteger(id) && id > 0, `${what} id ${id} is not a positive safe integer`);
    check(!recordIds.has(id), `${what} id ${id} is used twice`);
    check(id < store.nextId, `${what} id ${id} is not below nextId ${store.nextId}`);
    recordIds.add(id);
  };
  const time = (iso: string, what: string) => {
    const ms = Date.parse(iso);
    check(new Date(ms).toISOString() === iso, `${what} ${iso} is not a canonical ISO timestamp`);
    return ms;
  };
  const amount = (value: string, what: string) => check(/^\d+\.\d{2}$/.test(value), `${what} ${value} is not a 2-decimal amount`);
  for (const id of [...store.locations.map((l) => l.id), ...store.services.map((s) => s.id), ...customers]) addId(id, 'shop record');

  let previous: OrderRecord | null = null;
  for (const [index, order] of store.orders.entries()) {
    const where = `order ${order.name}`;
    addId(order.id, where);
    check(order.name === `#${1001 + index}`, `${where}: name out of sequence`);
    if (previous) {
      check(order.id > previous.id, `${where}: ids not ascending`);
      check(order.createdAt >= previous.createdAt, `${where}: not in creation order`);
    }
    previous = order;
    const created = time(order.createdAt, `${where} createdAt`);
    const updated = time(order.updatedAt, `${where} updatedAt`);
    check(created <= now && created >= now - 120 * DAY, `${where}: createdAt outside the last 120 days`);
    check(updated >= created && updated <= now, `${where}: updatedAt not between createdAt and now`);
    check(order.processedAt === order.createdAt, `${where}: processedAt differs from createdAt`);
    check(order.customerId === null || customers.has(order.customerId), `${where}: unknown customer`);
    check((order.customerId === null) === (order.email === null), `${where}: email without customer or customer without email`);
    check(order.tags.length <= 3 && new Set(order.tags).size === order.tags.length, `${where}: bad tags`);
    check(order.currencyCode === 'USD', `${where}: currency`);

    const total = cents(order.totalPrice);
    amount(order.totalPrice, `${where} totalPrice`);
    check(total >= 1000 && total <= 50_000, `${where}: total outside 10..500`);
    const p = order.payment;
    for (const key of ['authorized', 'captured', 'refunded', 'refundedToStoreCredit'] as const) amount(p[key], `${where} payment.${key}`);
    check(cents(p.refunded) <= cents(p.captured), `${where}: refunded more than captured`);
    check(cents(p.refundedToStoreCredit) <= cents(p.refunded), `${where}: store credit more than refunded`);
    if (p.state === 'captured') check(cents(p.captured) > 0 && cents(p.captured) <= total, `${where}: captured outside 0..total`);
    else check(cents(p.captured) === 0 && cents(p.refunded) === 0, `${where}: money captured in state ${p.state}`);
    if (p.state === 'authorized' || p.state === 'voided' || p.state === 'expired')
      check(cents(p.authorized) === total, `${where}: authorization is not the total`);
    const financial = displayFinancialStatus(p, order.totalPrice);
    if (financial === 'PARTIALLY_REFUNDED') check(cents(p.captured) === total, `${where}: partially refunded but not fully captured`);

    const status = orderStatus(order);
    if (status === 'open') {
      check(order.closedAt === null && order.cancelReason === null, `${where}: open order with closedAt or cancelReason`);
    }
    if (status === 'closed') {
      check(
        order.fulfillmentOrders.every((fo) => fo.status === 'CLOSED' && fo.closedReason === 'fulfilled'),
        `${where}: closed order with unfulfilled FOs`,
      );
      check(time(order.closedAt!, `${where} closedAt`) <= updated, `${where}: closedAt after updatedAt`);
    }
    if (status === 'cancelled') {
      check(order.cancelReason !== null && order.closedAt === order.cancelledAt, `${where}: cancelled without reason or closedAt`);
      check(['REFUNDED', 'VOIDED'].includes(financial), `${where}: cancelled but ${financial}`);
      check(order.returnStatus === 'NO_RETURN', `${where}: cancelled order with a return`);
      check(
        order.fulfillmentOrders.every((fo) => fo.status === 'CLOSED' && fo.closedReason === 'order-cancelled'),
        `${where}: cancelled order with FOs not closed by the cancel`,
      );
      const unitsLeft = order.fulfillmentOrders.reduce((sum, fo) => sum + fo.lineItems.reduce((s, i) => s + i.remaining, 0), 0);
      check(order.restockedQuantity === 0 || order.restockedQuantity === unitsLeft, `${where}: restocked ${order.restockedQuantity} of ${unitsLeft}`);
    } else {
      check(order.restockedQuantity === 0 && order.cancelledAt === null, `${where}: restocked or cancelledAt without a cancel`);
    }
    if (order.returnStatus !== 'NO_RETURN')
      check(
        order.fulfillmentOrders.some((fo) => fo.closedReason === 'fulfilled'),
        `${where}: return without a fulfillment`,
      );

    check(order.fulfillmentOrders.length >= 1 && order.fulfillmentOrders.length <= 3, `${where}: ${order.fulfillmentOrders.length} FOs`);
    for (const fo of order.fulfillmentOrders) problems.push(...foProblems(fo, `${where} FO ${fo.id}`, atService.has(fo.locationId)));
    for (const fo of order.fulfillmentOrders) {
      check(locations.has(fo.locationId), `${where}: FO at unknown location`);
      check(fo.createdAt === order.createdAt, `${where}: FO createdAt differs from the order's`);
      check(time(fo.updatedAt, 'FO updatedAt') <= updated, `${where}: FO updated after its order`);
      addId(fo.id, 'FO');
      for (const item of fo.lineItems) addId(item.id, 'line item');
      for (const request of fo.merchantRequests) addId(request.id, 'request');
      for (const hold of fo.holds) addId(hold.id, 'hold');
    }
  }
  return problems;

  function foProblems(fo: FulfillmentOrderRecord, where: string, service: boolean): string[] {
    const out: string[] = [];
    const ok = (cond: boolean, message: string) => {
      if (!cond) out.push(`${where}: ${message}`);
    };
    const created = Date.parse(fo.createdAt);
    const updated = Date.parse(fo.updatedAt);
    ok(updated >= created && updated <= now, 'updatedAt not between createdAt and now');
    ok((fo.closedReason !== undefined) === (fo.status === 'CLOSED'), 'closedReason iff CLOSED');
    ok(fo.lineItems.length >= 1 && fo.lineItems.length <= 3, 'line item count');
    for (const item of fo.lineItems) {
      ok(/^SKU-\d{4}$/.test(item.sku) && item.title.length > 0, `line item ${item.id} sku/title`);
      ok(item.quantity >= 1 && item.quantity <= 5, `line item ${item.id} quantity ${item.quantity}`);
      ok(item.remaining === (fo.closedReason === 'fulfilled' ? 0 : item.quantity), `line item ${item.id} remaining ${item.remaining}`);
    }
    ok((fo.status === 'ON_HOLD') === fo.holds.length > 0 || fo.closedReason === 'order-cancelled', 'holds iff ON_HOLD');
    ok((fo.status === 'SCHEDULED') === (fo.fulfillAt !== null), 'fulfillAt iff SCHEDULED');
    if (fo.fulfillAt !== null) ok(Date.parse(fo.fulfillAt) > now, 'scheduled in the past');
    if (!service) {
      ok(fo.requestStatus === 'UNSUBMITTED' && fo.merchantRequests.length === 0, 'merchant-managed FO with a request');
      ok(fo.progressReported === (fo.status === 'IN_PROGRESS'), 'progressReported iff IN_PROGRESS');
      return out;
    }
    ok(!fo.progressReported, 'progress reported on a service FO');
    ok(fo.holds.length === 0 && fo.status !== 'SCHEDULED' && fo.status !== 'ON_HOLD', 'service FO held or scheduled');
    const allowed: Record<string, string[]> = {
      OPEN: ['UNSUBMITTED', 'SUBMITTED', 'REJECTED'],
      IN_PROGRESS: ['ACCEPTED', 'CANCELLATION_REQUESTED', 'CANCELLATION_REJECTED'],
      CANCELLED: ['CANCELLATION_ACCEPTED'],
      CLOSED: fo.closedReason === 'fulfilled' ? ['ACCEPTED'] : ['UNSUBMITTED', 'CLOSED', 'REJECTED'],
    };
    ok(allowed[fo.status]?.includes(fo.requestStatus) ?? false, `status/requestStatus ${fo.status}/${fo.requestStatus}`);
    // The request history matches the request status.
    const [request, cancellation, ...rest] = fo.merchantRequests;
    ok(rest.length === 0, 'more than two requests');
    const answer = (r: typeof request) => (r?.responseData as { answer?: string } | null | undefined)?.answer ?? null;
    const expected: Record<string, [string | null, string | null]> = {
      UNSUBMITTED: [null, null],
      SUBMITTED: [null, null],
      CLOSED: [null, null],
      ACCEPTED: ['acceptFulfillment', null],
      REJECTED: ['rejectFulfillment', null],
      CANCELLATION_REQUESTED: ['acceptFulfillment', null],
      CANCELLATION_ACCEPTED: ['acceptFulfillment', 'acceptCancellation'],
      CANCELLATION_REJECTED: ['acceptFulfillment', 'rejectCancellation'],
    };
    ok((request === undefined) === (fo.requestStatus === 'UNSUBMITTED'), 'request history iff submitted');
    ok((cancellation !== undefined) === fo.requestStatus.startsWith('CANCELLATION_'), 'cancellation request iff a cancellation status');
    if (request) {
      ok(
        request.kind === 'FULFILLMENT_REQUEST' && typeof request.requestOptions.notify_customer === 'boolean',
        'first request is a fulfillment request',
      );
      ok(answer(request) === expected[fo.requestStatus]![0], `fulfillment request answer ${answer(request)}`);
      ok(Date.parse(request.sentAt) >= created && Date.parse(request.sentAt) <= updated, 'request sent outside the FO lifetime');
    }
    if (cancellation) {
      ok(cancellation.kind === 'CANCELLATION_REQUEST', 'second request is a cancellation request');
      ok(answer(cancellation) === expected[fo.requestStatus]![1], `cancellation answer ${answer(cancellation)}`);
      ok(cancellation.sentAt >= request!.sentAt, 'cancellation sent before the request');
    }
    return out;
  }
}

describe('generateStore consistency', () => {
  it.each([1, 2, 42, 2026])('keeps every invariant (2,000 orders, seed %i)', (seed) => {
    const store = generateStore({ orders: 2000, seed, now: NOW });
    expect(consistencyProblems(store)).toEqual([]);
  });

  it('notices a broken store (the checker itself works)', () => {
    const store = generateStore({ orders: 60, seed: 1, now: NOW });
    const merchantFo = store.orders.flatMap((o) => o.fulfillmentOrders).find((fo) => fo.locationId === store.locations[0]!.id)!;
    merchantFo.requestStatus = 'SUBMITTED';
    const closed = store.orders.find((o) => orderStatus(o) === 'closed')!;
    closed.fulfillmentOrders[0]!.status = 'OPEN';
    store.orders[5]!.fulfillmentOrders[0]!.lineItems[0]!.id = store.orders[4]!.fulfillmentOrders[0]!.id;
    const problems = consistencyProblems(store);
    expect(problems.some((p) => p.includes('merchant-managed FO with a request'))).toBe(true);
    expect(problems.some((p) => p.includes('closed order with unfulfilled FOs'))).toBe(true);
    expect(problems.some((p) => p.includes('is used twice'))).toBe(true);
  });

  it('keeps every invariant in the scenario orders', () => {
    const store = generateStore({ orders: SEED_SCENARIOS.length, seed: 5, now: NOW });
    expect(consistencyProblems(store)).toEqual([]);
  });

  it('puts an FO at a service location iff its request status may leave UNSUBMITTED', () => {
    const store = generateStore({ orders: 500, seed: 11, now: NOW });
    const all = facts(store);
    expect(all.filter((f) => !f.atService).every((f) => f.fo.requestStatus === 'UNSUBMITTED')).toBe(true);
    expect(all.filter((f) => f.atService).some((f) => f.fo.requestStatus !== 'UNSUBMITTED')).toBe(true);
  });

  it('gives about 10% of orders no customer and about 3% the test flag', () => {
    const store = generateStore({ orders: 10_000, seed: 8, now: NOW });
    const share = (n: number) => n / store.orders.length;
    expect(share(store.orders.filter((o) => o.customerId === null).length)).toBeGreaterThan(0.05);
    expect(share(store.orders.filter((o) => o.customerId === null).length)).toBeLessThan(0.15);
    expect(share(store.orders.filter((o) => o.test).length)).toBeGreaterThan(0.01);
    expect(share(store.orders.filter((o) => o.test).length)).toBeLessThan(0.06);
    expect(store.customers.length).toBe(Math.round(10_000 / 3));
  });

  it('is JSON data', () => {
    const store = generateStore({ orders: 200, seed: 4, now: NOW });
    expect(JSON.parse(JSON.stringify(store))).toStrictEqual(store);
  });
});

describe('generateStore performance', () => {
  it('generates 100,000 orders in well under the budget', () => {
    const started = performance.now();
    const store = generateStore({ orders: 100_000, seed: 1, now: NOW });
    const elapsed = performance.now() - started;
    expect(store.orders).toHaveLength(100_000);
    expect(Number.isSafeInteger(store.nextId)).toBe(true);
    // Budget ~3 s; about 1 s on a laptop. The bound is loose so a busy CI machine does not flake.
    expect(elapsed).toBeLessThan(6000);
  });
});
