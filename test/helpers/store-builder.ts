// Small hand-made stores for tests that need exact states, written as a fixture file the sandbox loads.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateStore, type FulfillmentOrderRecord, type OrderRecord, type Payment, type StoreData } from '@bulkfill/sandbox';

export const WAREHOUSE = 1;
export const ACME_LOCATION = 2;
export const ACME = 'acme-3pl';
/** A second fulfillment service (see twoServiceStore in fulfillment-actions.ts). */
export const BETA_LOCATION = 3;
export const BETA = 'beta-fulfil';
const T0 = '2026-11-20T10:00:00.000Z';

let nextId = 100;
const id = () => nextId++;

export function paid(total = '50.00'): Payment {
  return { state: 'captured', authorized: '0.00', captured: total, refunded: '0.00', refundedToStoreCredit: '0.00' };
}

export function fo(overrides: Partial<FulfillmentOrderRecord> = {}): FulfillmentOrderRecord {
  return {
    id: id(),
    status: 'OPEN',
    requestStatus: 'UNSUBMITTED',
    locationId: WAREHOUSE,
    deliveryMethod: 'SHIPPING',
    progressReported: false,
    fulfillAt: null,
    holds: [],
    lineItems: [{ id: id(), sku: 'SKU-1', title: 'Mug', quantity: 2, remaining: 2 }],
    merchantRequests: [],
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function order(overrides: Partial<OrderRecord> = {}): OrderRecord {
  const orderId = id();
  return {
    id: orderId,
    name: `#${orderId}`,
    email: 'buyer@example.com',
    customerId: 1,
    createdAt: T0,
    updatedAt: T0,
    processedAt: T0,
    tags: [],
    note: null,
    test: false,
    currencyCode: 'USD',
    totalPrice: '50.00',
    payment: paid(),
    returnStatus: 'NO_RETURN',
    cancelledAt: null,
    cancelReason: null,
    closedAt: null,
    staffNote: null,
    restockedQuantity: 0,
    fulfillmentOrders: [fo()],
    ...overrides,
  };
}

export function store(orders: OrderRecord[], overrides: Partial<StoreData> = {}): StoreData {
  return {
    version: 1,
    shop: { name: 'test shop', myshopifyDomain: 'test-shop.myshopify.com', email: 'owner@example.com', currencyCode: 'USD', ianaTimezone: 'UTC' },
    locations: [
      { id: WAREHOUSE, name: 'Warehouse', isActive: true },
      { id: ACME_LOCATION, name: 'Acme 3PL', isActive: true, serviceHandle: ACME },
    ],
    services: [
      {
        id: 1,
        handle: ACME,
        serviceName: 'Acme 3PL',
        locationId: ACME_LOCATION,
        // Answers nothing on its own unless a test says so.
        behaviour: { acceptRate: 0, rejectRate: 0, cancelAcceptRate: 0, cancelRejectRate: 0, responseDelayMs: 1000 },
      },
    ],
    customers: [{ id: 1, displayName: 'Ada Buyer' }],
    orders,
    jobs: [],
    pending: [],
    nextId: 1_000_000,
    cancelJobDelayMs: 1000,
    ...overrides,
  };
}

export function fixtureFile(data: StoreData): string {
  const dir = mkdtempSync(join(tmpdir(), 'bulkfill-fixture-'));
  const path = join(dir, 'store.json');
  writeFileSync(path, JSON.stringify(data, null, 2));
  return path;
}

/**
 * A generated store whose fulfillment services never answer on their own, so the orders a run selects
 * stay eligible while it runs (a service accepting mid-run rightly makes Shopify refuse a cancel).
 */
export function quietSeededStoreFile(orders: number, seed: number): string {
  const data = generateStore({ orders, seed, now: new Date() });
  for (const service of data.services) {
    Object.assign(service.behaviour, { acceptRate: 0, rejectRate: 0, cancelAcceptRate: 0, cancelRejectRate: 0 });
  }
  return fixtureFile(data);
}
