// The demo's store: a generated one, plus a pop-up shop that has closed (a deactivated location) with
// a few paid orders still assigned to it. Shopify refuses to restock a paid order there, which the
// plan cannot know: the demo's run meets a few real refusals, and shows how to retry exactly those.
import { generateStore, type StoreData } from '@bulkfill/sandbox';

const CLOSED_POP_UP = { id: 9_001, name: 'Pop-up shop (closed)', isActive: false };
/** One in this many paid orders still to fulfil moves to the closed pop-up shop. */
const EVERY = 15;

export function demoStore(orders: number, seed: number, now: Date): { data: StoreData; atClosedLocation: number } {
  const data = generateStore({ orders, seed, now });
  const merchantLocations = new Set(data.locations.filter((l) => !l.serviceHandle).map((l) => l.id));
  data.locations.push(CLOSED_POP_UP);
  let candidates = 0;
  let moved = 0;
  for (const order of data.orders) {
    const own = order.fulfillmentOrders.every((fo) => merchantLocations.has(fo.locationId) && fo.status === 'OPEN');
    if (order.cancelledAt || order.payment.state !== 'captured' || order.fulfillmentOrders.length === 0 || !own) continue;
    if (candidates++ % EVERY !== 7) continue;
    for (const fo of order.fulfillmentOrders) fo.locationId = CLOSED_POP_UP.id;
    moved++;
  }
  return { data, atClosedLocation: moved };
}
