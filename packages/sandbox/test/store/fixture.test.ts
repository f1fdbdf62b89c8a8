import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SandboxConfigError } from '../../src/errors.js';
import { supportedActions, displayFinancialStatus } from '../../src/store/derive.js';
import { DEFAULT_FIXTURE_TIMESTAMP, FixtureError, loadFixtureFile, parseStoreData } from '../../src/store/fixture.js';
import type { StoreData } from '../../src/store/model.js';
import { DEFAULT_SHOP, generateStore } from '../../src/store/seed.js';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const SMALL_STORE = join(import.meta.dirname, '..', 'fixtures', 'small-store.json');
const smallStoreJson = (): Record<string, any> => JSON.parse(readFileSync(SMALL_STORE, 'utf8'));

const tmp = mkdtempSync(join(tmpdir(), 'bulkfill-fixture-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function errorOf(run: () => unknown): FixtureError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(FixtureError);
    return error as FixtureError;
  }
  throw new Error('expected a FixtureError');
}

describe('the documented example (packages/sandbox/test/fixtures/small-store.json)', () => {
  const store = loadFixtureFile(SMALL_STORE);

  it('is the example in docs/fixture-format.md', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'fixture-format.md'), 'utf8');
    const block = /```json\n([\s\S]*?)\n```/.exec(doc);
    expect(block).not.toBeNull();
    expect(JSON.parse(block![1]!)).toEqual(smallStoreJson());
  });

  it('loads with the defaults filled in', () => {
    const [merchantOrder, serviceOrder] = store.orders;
    expect(store.version).toBe(1);
    expect(store.jobs).toEqual([]);
    expect(store.pending).toEqual([]);
    expect(store.nextId).toBe(8000);
    expect(store.locations[0]).toEqual({ id: 101, name: 'Warehouse', isActive: true });
    expect(merchantOrder).toMatchObject({
      id: 1001,
      name: '#1001',
      customerId: 301,
      createdAt: '2026-10-20T09:30:00.000Z',
      updatedAt: '2026-10-20T09:30:00.000Z',
      processedAt: '2026-10-20T09:30:00.000Z',
      note: null,
      test: false,
      currencyCode: 'USD',
      returnStatus: 'NO_RETURN',
      cancelledAt: null,
      cancelReason: null,
      closedAt: null,
      staffNote: null,
      restockedQuantity: 0,
      payment: { state: 'captured', authorized: '0.00', captured: '84.50', refunded: '0.00', refundedToStoreCredit: '0.00' },
    });
    expect(merchantOrder!.fulfillmentOrders[0]).toMatchObject({
      requestStatus: 'UNSUBMITTED',
      fulfillAt: null,
      holds: [],
      merchantRequests: [],
      createdAt: '2026-10-20T09:30:00.000Z',
    });
    expect(merchantOrder!.fulfillmentOrders[0]!.lineItems.map((i) => i.remaining)).toEqual([2, 1]);
    expect(serviceOrder).toMatchObject({ email: null, customerId: null, tags: [] });
    expect(serviceOrder!.payment).toEqual({
      state: 'authorized',
      authorized: '19.99',
      captured: '0.00',
      refunded: '0.00',
      refundedToStoreCredit: '0.00',
    });
    expect(displayFinancialStatus(serviceOrder!.payment, serviceOrder!.totalPrice)).toBe('AUTHORIZED');
    expect(serviceOrder!.fulfillmentOrders[0]!.merchantRequests[0]).toEqual({
      id: 7001,
      kind: 'FULFILLMENT_REQUEST',
      message: 'Please ship as soon as possible',
      requestOptions: { notify_customer: true },
      responseData: null,
      sentAt: '2026-10-21T14:05:00.000Z',
    });
  });

  it('has a mark-open target and a submitted request', () => {
    const atService = new Set(store.services.map((s) => s.locationId));
    const [merchantFo, serviceFo] = store.orders.map((o) => o.fulfillmentOrders[0]!);
    expect(supportedActions(merchantFo!, atService.has(merchantFo!.locationId))).toContain('MARK_AS_OPEN');
    expect(merchantFo!.progressReported).toBe(true);
    expect(supportedActions(serviceFo!, atService.has(serviceFo!.locationId))).toEqual(['CANCEL_FULFILLMENT_ORDER']);
  });

  it('survives a round trip through JSON unchanged', () => {
    expect(parseStoreData(JSON.parse(JSON.stringify(store)), 'again.json')).toStrictEqual(store);
  });
});

describe('parseStoreData defaults', () => {
  const minimal = {
    locations: [{ id: 1, name: 'Warehouse' }],
    orders: [{ id: 10, totalPrice: '5', fulfillmentOrders: [{ locationId: 1, lineItems: [{ sku: 'A', quantity: 2 }] }] }],
  };

  it('fills a minimal fixture', () => {
    const store = parseStoreData(structuredClone(minimal), 'minimal.json');
    expect(store).toStrictEqual<StoreData>({
      version: 1,
      shop: { ...DEFAULT_SHOP },
      locations: [{ id: 1, name: 'Warehouse', isActive: true }],
      services: [],
      customers: [],
      orders: [
        {
          id: 10,
          name: '#1001',
          email: null,
          customerId: null,
          createdAt: DEFAULT_FIXTURE_TIMESTAMP,
          updatedAt: DEFAULT_FIXTURE_TIMESTAMP,
          processedAt: DEFAULT_FIXTURE_TIMESTAMP,
          tags: [],
          note: null,
          test: false,
          currencyCode: 'USD',
          totalPrice: '5.00',
          payment: { state: 'captured', authorized: '0.00', captured: '5.00', refunded: '0.00', refundedToStoreCredit: '0.00' },
          returnStatus: 'NO_RETURN',
          cancelledAt: null,
          cancelReason: null,
          closedAt: null,
          staffNote: null,
          restockedQuantity: 0,
          fulfillmentOrders: [
            {
              id: 11,
              status: 'OPEN',
              requestStatus: 'UNSUBMITTED',
              locationId: 1,
              deliveryMethod: 'SHIPPING',
              progressReported: false,
              fulfillAt: null,
              holds: [],
              lineItems: [{ id: 12, sku: 'A', title: 'A', quantity: 2, remaining: 2 }],
              merchantRequests: [],
              createdAt: DEFAULT_FIXTURE_TIMESTAMP,
              updatedAt: DEFAULT_FIXTURE_TIMESTAMP,
            },
          ],
        },
      ],
      jobs: [],
      pending: [],
      nextId: 13,
      cancelJobDelayMs: 1000,
    });
  });

  it('numbers records without ids from an explicit nextId', () => {
    const store = parseStoreData({ ...structuredClone(minimal), nextId: 500 }, 'minimal.json');
    const fo = store.orders[0]!.fulfillmentOrders[0]!;
    expect([fo.id, fo.lineItems[0]!.id, store.nextId]).toEqual([500, 501, 502]);
  });

  it('merges a partial shop and service behaviour, and links a service to its location', () => {
    const store = parseStoreData(
      {
        shop: { name: 'My test shop', currencyCode: 'EUR' },
        locations: [{ id: 1, name: '3PL' }],
        services: [{ id: 2, handle: 'my-3pl', locationId: 1, behaviour: { acceptRate: 1, rejectRate: 0 } }],
        orders: [{ id: 3, totalPrice: 12.5, fulfillmentOrders: [{ locationId: 1, lineItems: [{ sku: 'B', quantity: 1 }] }] }],
      },
      'partial.json',
    );
    expect(store.shop).toEqual({ ...DEFAULT_SHOP, name: 'My test shop', currencyCode: 'EUR' });
    expect(store.orders[0]!.currencyCode).toBe('EUR');
    expect(store.orders[0]!.totalPrice).toBe('12.50');
    expect(store.locations[0]!.serviceHandle).toBe('my-3pl');
    expect(store.services[0]).toEqual({
      id: 2,
      handle: 'my-3pl',
      serviceName: 'my-3pl',
      locationId: 1,
      behaviour: { acceptRate: 1, rejectRate: 0, cancelAcceptRate: 0.8, cancelRejectRate: 0.1, responseDelayMs: 2000 },
    });
  });

  it('derives state-dependent defaults', () => {
    const store = parseStoreData(
      {
        locations: [{ id: 1, name: 'Warehouse' }],
        orders: [
          {
            id: 10,
            totalPrice: '30.00',
            cancelledAt: '2026-10-02',
            payment: { state: 'captured', refunded: '30' },
            fulfillmentOrders: [{ status: 'CLOSED', locationId: 1, lineItems: [{ sku: 'A', quantity: 2 }] }],
          },
          {
            id: 11,
            totalPrice: '30.00',
            payment: { state: 'voided' },
            fulfillmentOrders: [
              { status: 'CLOSED', locationId: 1, lineItems: [{ sku: 'A', quantity: 2 }] },
              { status: 'ON_HOLD', locationId: 1, lineItems: [{ sku: 'B', quantity: 1 }] },
              { status: 'IN_PROGRESS', locationId: 1, lineItems: [{ sku: 'C', quantity: 1 }] },
              { locationId: 1, lineItems: [{ sku: 'D', quantity: 1 }], merchantRequests: [] },
            ],
          },
        ],
      },
      'states.json',
    );
    const [cancelled, open] = store.orders;
    expect(cancelled).toMatchObject({ cancelledAt: '2026-10-02T00:00:00.000Z', cancelReason: 'OTHER', closedAt: '2026-10-02T00:00:00.000Z' });
    expect(displayFinancialStatus(cancelled!.payment, cancelled!.totalPrice)).toBe('REFUNDED');
    expect(cancelled!.fulfillmentOrders[0]).toMatchObject({ closedReason: 'order-cancelled', lineItems: [{ remaining: 2 }] });
    expect(open!.payment).toMatchObject({ authorized: '30.00', captured: '0.00' });
    const [fulfilled, held, inProgress] = open!.fulfillmentOrders;
    expect(fulfilled).toMatchObject({ closedReason: 'fulfilled', lineItems: [{ remaining: 0 }] });
    expect(held!.holds).toEqual([{ id: expect.any(Number), reason: 'OTHER', reasonNotes: null }]);
    expect(inProgress!.progressReported).toBe(true);
  });

  it('accepts numeric strings and GIDs as ids, and ignores $ and // keys', () => {
    const store = parseStoreData(
      {
        $schema: './fixture.schema.json',
        '// note': 'a comment',
        locations: [{ id: 'gid://shopify/Location/7', name: 'Warehouse' }],
        orders: [
          { id: '42', totalPrice: '1.00', fulfillmentOrders: [{ locationId: 'gid://shopify/Location/7', lineItems: [{ sku: 'A', quantity: 1 }] }] },
        ],
      },
      'ids.json',
    );
    expect(store.locations[0]!.id).toBe(7);
    expect(store.orders[0]!.id).toBe(42);
    expect(store.orders[0]!.fulfillmentOrders[0]!.locationId).toBe(7);
  });

  it('ignores comments inside records too, and leaves its input as it was', () => {
    const fixture = smallStoreJson();
    fixture.orders[1].fulfillmentOrders[0]['// why'] = 'waiting for the 3PL';
    fixture.orders[1].fulfillmentOrders[0].merchantRequests[0].requestOptions.$kept = 'free-form objects are data';
    const input = structuredClone(fixture);
    const store = parseStoreData(fixture, 'commented.json');
    expect(fixture).toStrictEqual(input);
    expect(store.orders[1]!.fulfillmentOrders[0]).not.toHaveProperty('// why');
    expect(store.orders[1]!.fulfillmentOrders[0]!.merchantRequests[0]!.requestOptions).toEqual({
      notify_customer: true,
      $kept: 'free-form objects are data',
    });
  });

  it('loads what the running sandbox saves: jobs, pending work, replaced FOs', () => {
    const state = smallStoreJson();
    const [merchantOrder, serviceOrder] = state.orders;
    serviceOrder.fulfillmentOrders[0] = {
      ...serviceOrder.fulfillmentOrders[0],
      status: 'CLOSED',
      requestStatus: 'CLOSED',
      closedReason: 'replaced',
      lineItems: [],
    };
    serviceOrder.fulfillmentOrders.push({
      id: 8000,
      status: 'OPEN',
      locationId: 102,
      lineItems: [{ id: 8001, sku: 'SKU-1075', title: 'Wool Beanie', quantity: 1, remaining: 1 }],
    });
    merchantOrder.fulfillmentOrders[0].merchantRequests = [];
    state.jobs = [{ id: '8002', orderId: 1001, done: false, status: 'STARTED', errors: [] }];
    state.pending = [
      {
        kind: 'cancel-job',
        dueAt: '2026-10-22T00:00:01.000Z',
        jobId: '8002',
        orderId: 1001,
        reason: 'CUSTOMER',
        restock: true,
        notifyCustomer: false,
        refund: 'original',
        staffNote: null,
      },
      { kind: 'service-fulfillment-answer', dueAt: '2026-10-22T00:00:02.000Z', fulfillmentOrderId: 8000 },
    ];
    state.nextId = 8003;
    const store = parseStoreData(state, 'state.json');
    expect(store.pending).toHaveLength(2);
    expect(store.jobs[0]!.id).toBe('8002');
    expect(parseStoreData(JSON.parse(JSON.stringify(store)), 'state.json')).toStrictEqual(store);
    // A job numbered from nextId must stay below it.
    state.nextId = 8002;
    expect(errorOf(() => parseStoreData(state, 'state.json')).message).toBe(
      'state.json: nextId must be greater than every id in the store (the largest is 8002), got 8002',
    );
  });
});

describe('parseStoreData round trip of generated stores', () => {
  it.each([
    [60, 1],
    [1000, 2],
    [3000, 77],
  ])('parseStoreData(JSON of generateStore(%i orders, seed %i)) deep-equals the original', (orders, seed) => {
    const original = generateStore({ orders, seed, now: new Date('2026-11-15T12:00:00Z') });
    expect(parseStoreData(JSON.parse(JSON.stringify(original)), 'generated.json')).toStrictEqual(original);
  });

  it('reads a saved state the same as a fixture (the fast path changes nothing)', () => {
    const original = generateStore({ orders: 300, seed: 5, now: new Date('2026-11-15T12:00:00Z') });
    // A comment is not part of the saved form, so this one is read as a fixture.
    const commented = { $comment: 'read as a fixture', ...JSON.parse(JSON.stringify(original)) };
    expect(parseStoreData(commented, 'generated.json')).toStrictEqual(original);
  });

  it('does not share objects with its input', () => {
    const original = generateStore({ orders: 60, seed: 1, now: new Date('2026-11-15T12:00:00Z') });
    const parsed = parseStoreData(original, 'generated.json');
    expect(parsed).toStrictEqual(original);
    const request = parsed.orders.flatMap((o) => o.fulfillmentOrders).find((fo) => fo.merchantRequests.length > 0)!.merchantRequests[0]!;
    request.requestOptions.notify_customer = 'changed';
    expect(parsed).not.toStrictEqual(original);
  });
});

describe('parseStoreData errors name the file and the JSON path', () => {
  type Edit = (fixture: Record<string, any>) => void;
  const cases: [string, Edit, string][] = [
    [
      'a bad enum value',
      (f) => (f.orders[1].fulfillmentOrders[0].status = 'DONE'),
      'small-store.json: orders[1].fulfillmentOrders[0].status must be one of OPEN, IN_PROGRESS, SCHEDULED, ON_HOLD, INCOMPLETE, CLOSED, CANCELLED, got "DONE"',
    ],
    [
      'an FO at an unknown location',
      (f) => (f.orders[0].fulfillmentOrders[0].locationId = 103),
      'small-store.json: orders[0].fulfillmentOrders[0].locationId 103 is not the id of any location',
    ],
    [
      'a service at an unknown location',
      (f) => (f.services[0].locationId = 999),
      'small-store.json: services[0].locationId 999 is not the id of any location',
    ],
    ['an unknown customer', (f) => (f.orders[1].customerId = 302), 'small-store.json: orders[1].customerId 302 is not the id of any customer'],
    ['a duplicate order id', (f) => (f.orders[1].id = 1001), 'small-store.json: orders[1].id 1001 is already the id of another order'],
    [
      'a duplicate fulfillment order id',
      (f) => (f.orders[1].fulfillmentOrders[0].id = 5001),
      'small-store.json: orders[1].fulfillmentOrders[0].id 5001 is already the id of another fulfillment order',
    ],
    [
      'a duplicate line item id',
      (f) => (f.orders[1].fulfillmentOrders[0].lineItems[0].id = 6002),
      'small-store.json: orders[1].fulfillmentOrders[0].lineItems[0].id 6002 is already the id of another line item',
    ],
    [
      'a duplicate order name',
      (f) => (f.orders[1].name = '#1001'),
      'small-store.json: orders[1].name "#1001" is already the name of order orders[0]',
    ],
    [
      'a request status at a merchant-managed location',
      (f) => (f.orders[0].fulfillmentOrders[0].requestStatus = 'SUBMITTED'),
      'small-store.json: orders[0].fulfillmentOrders[0].requestStatus must be UNSUBMITTED: Warehouse is a merchant-managed location, only fulfillment orders at a service have requests',
    ],
    [
      'a request status that does not go with the status',
      (f) => (f.orders[1].fulfillmentOrders[0].requestStatus = 'ACCEPTED'),
      'small-store.json: orders[1].fulfillmentOrders[0].requestStatus must be one of UNSUBMITTED, SUBMITTED, REJECTED while status is OPEN, got "ACCEPTED"',
    ],
    [
      'a misspelt field',
      (f) => {
        f.orders[0].totlPrice = f.orders[0].totalPrice;
        delete f.orders[0].totalPrice;
      },
      'small-store.json: orders[0].totlPrice is not a known field (did you mean totalPrice?)',
    ],
    ['a missing required field', (f) => delete f.orders[0].totalPrice, 'small-store.json: orders[0].totalPrice is required'],
    [
      'an amount with three decimals',
      (f) => (f.orders[0].totalPrice = '1.005'),
      'small-store.json: orders[0].totalPrice must be an amount ≥ 0 with at most two decimals, like "19.99", got "1.005"',
    ],
    [
      'a refund larger than the capture',
      (f) => (f.orders[0].payment.refunded = '100.00'),
      'small-store.json: orders[0].payment.refunded (100.00) cannot be more than captured (84.50)',
    ],
    [
      'a timestamp without a zone',
      (f) => (f.orders[0].createdAt = '2026-10-20T09:30:00'),
      'small-store.json: orders[0].createdAt must be an ISO-8601 timestamp with a time zone, like "2026-10-01T12:00:00Z", got "2026-10-20T09:30:00"',
    ],
    [
      'a date that does not exist',
      (f) => (f.orders[0].createdAt = '2026-02-30T09:30:00Z'),
      'small-store.json: orders[0].createdAt must be an ISO-8601 timestamp with a time zone, like "2026-10-01T12:00:00Z", got "2026-02-30T09:30:00Z"',
    ],
    [
      'remaining above quantity',
      (f) => (f.orders[0].fulfillmentOrders[0].lineItems[1].remaining = 2),
      'small-store.json: orders[0].fulfillmentOrders[0].lineItems[1].remaining must be a whole number between 0 and 1, got 2',
    ],
    [
      'a closedReason on an open FO',
      (f) => (f.orders[1].fulfillmentOrders[0].closedReason = 'fulfilled'),
      'small-store.json: orders[1].fulfillmentOrders[0].closedReason is only for CLOSED fulfillment orders, but status is OPEN',
    ],
    [
      'a cancel reason without a cancel',
      (f) => (f.orders[0].cancelReason = 'CUSTOMER'),
      'small-store.json: orders[0].cancelReason is set but cancelledAt is not',
    ],
    ['a wrong type', (f) => (f.orders[0].tags = 'vip'), 'small-store.json: orders[0].tags must be an array, got "vip"'],
    [
      'a request kind missing',
      (f) => delete f.orders[1].fulfillmentOrders[0].merchantRequests[0].kind,
      'small-store.json: orders[1].fulfillmentOrders[0].merchantRequests[0].kind is required and must be one of FULFILLMENT_REQUEST, CANCELLATION_REQUEST',
    ],
    [
      'a bad id',
      (f) => (f.customers[0].id = -3),
      'small-store.json: customers[0].id must be a positive whole number or a gid://shopify/Customer/… id, got -3',
    ],
    [
      'a nextId that would reuse an id',
      (f) => (f.nextId = 7001),
      'small-store.json: nextId must be greater than every id in the store (the largest is 7001), got 7001',
    ],
    [
      'a location claiming an unknown service',
      (f) => (f.locations[0].serviceHandle = 'nobody'),
      'small-store.json: locations[0].serviceHandle "nobody" is not the handle of any service',
    ],
    [
      'rates above one',
      (f) => (f.services[0].behaviour.rejectRate = 0.5),
      'small-store.json: services[0].behaviour acceptRate + rejectRate must be at most 1',
    ],
    [
      'pending work for an unknown fulfillment order',
      (f) => (f.pending = [{ kind: 'service-fulfillment-answer', dueAt: '2026-10-22T00:00:00Z', fulfillmentOrderId: 4 }]),
      'small-store.json: pending[0].fulfillmentOrderId 4 is not the id of any fulfillment order',
    ],
    ['another version', (f) => (f.version = 2), 'small-store.json: version must be 1, got 2'],
    ['no locations', (f) => delete f.locations, 'small-store.json: locations is required'],
  ];

  it.each(cases)('%s', (_, edit, message) => {
    const fixture = smallStoreJson();
    edit(fixture);
    const error = errorOf(() => parseStoreData(fixture, 'small-store.json'));
    expect(error.message.startsWith(message), `${error.message}\n  does not start with\n${message}`).toBe(true);
    expect(error.source).toBe('small-store.json');
  });

  it('is a sandbox configuration error with the JSON path on it', () => {
    const fixture = smallStoreJson();
    fixture.orders[3] = { id: 1004, totalPrice: '1.00', fulfillmentOrders: [{ status: 'DONE', locationId: 101, lineItems: [] }] };
    fixture.orders[2] = { id: 1003, totalPrice: '1.00' };
    const error = errorOf(() => parseStoreData(fixture, 'fixture.json'));
    expect(error).toBeInstanceOf(SandboxConfigError);
    expect(error.path).toBe('orders[3].fulfillmentOrders[0].status');
    expect(error.message).toMatch(/^fixture\.json: orders\[3\]\.fulfillmentOrders\[0\]\.status must be one of OPEN, IN_PROGRESS, /);
  });

  it('refuses a top level that is not an object', () => {
    expect(errorOf(() => parseStoreData([], 'list.json')).message).toBe('list.json: must be an object, got an array');
  });
});

describe('loadFixtureFile', () => {
  it('reports bad JSON with the file name and position', () => {
    const file = join(tmp, 'broken.json');
    writeFileSync(file, '{\n  "locations": [\n    { "id": 1 "name": "W" }\n  ]\n}\n');
    const error = errorOf(() => loadFixtureFile(file));
    expect(error.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: is not valid JSON: `));
    expect(error.message).toContain('line 3');
  });

  it('reports a missing file', () => {
    const file = join(tmp, 'nope.json');
    expect(errorOf(() => loadFixtureFile(file)).message).toBe(`${file}: does not exist`);
  });

  it('accepts a UTF-8 byte-order mark', () => {
    const file = join(tmp, 'bom.json');
    writeFileSync(file, `\uFEFF${readFileSync(SMALL_STORE, 'utf8')}`);
    expect(loadFixtureFile(file)).toStrictEqual(loadFixtureFile(SMALL_STORE));
  });

  it('names the file in validation errors', () => {
    const file = join(tmp, 'invalid.json');
    writeFileSync(file, JSON.stringify({ locations: [{ id: 1 }] }));
    expect(errorOf(() => loadFixtureFile(file)).message).toBe(`${file}: locations[0].name is required`);
  });
});
