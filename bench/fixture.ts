// A store where every order is cancellable: paid (captured in full), one OPEN merchant-managed
// fulfillment order, created in the last few hours of sandbox time, no return, no customer needed.
// Written by hand in the documented fixture format (docs/fixture-format.md).
import { writeFileSync } from 'node:fs';

/** The short form of a fixture this benchmark writes (the sandbox fills in every default). */
export interface CancellableFixture {
  version: 1;
  shop: { name: string };
  locations: { id: number; name: string }[];
  orders: {
    id: number;
    name: string;
    createdAt: string;
    totalPrice: string;
    payment: { state: 'captured'; captured: string };
    fulfillmentOrders: { status: 'OPEN'; locationId: number; lineItems: { sku: string; quantity: number }[] }[];
  }[];
}

export const FIRST_ORDER_ID = 9_000_000_001;

export function orderGid(i: number): string {
  return `gid://shopify/Order/${FIRST_ORDER_ID + i}`;
}

/** A fixture (docs/fixture-format.md) with `count` cancellable orders. */
export function cancellableStore(count: number, now = Date.now()): CancellableFixture {
  const orders: CancellableFixture['orders'] = new Array(count);
  for (let i = 0; i < count; i++) {
    // Spread over the last ~2 hours, well inside the 60-day window (sandbox time starts at wall time).
    const createdAt = new Date(now - 2 * 3_600_000 + i * 1_000).toISOString();
    orders[i] = {
      id: FIRST_ORDER_ID + i,
      name: `#B${i + 1}`,
      createdAt,
      totalPrice: '25.00',
      payment: { state: 'captured', captured: '25.00' },
      fulfillmentOrders: [
        {
          status: 'OPEN',
          locationId: 101,
          lineItems: [{ sku: `SKU-${(i % 50) + 1}`, quantity: 1 }],
        },
      ],
    };
  }
  return {
    version: 1,
    shop: { name: 'bulkfill bench' },
    locations: [{ id: 101, name: 'Warehouse' }],
    orders,
  };
}

export function writeCancellableStore(file: string, count: number): string[] {
  writeFileSync(file, JSON.stringify(cancellableStore(count)));
  return Array.from({ length: count }, (_, i) => orderGid(i));
}
