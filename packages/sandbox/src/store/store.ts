// The live store: the data of model.ts plus indexes, the sandbox clock, and the queue of work the
// store does on its own (cancel jobs finishing, services answering). That work is applied lazily, in
// due order, whenever someone looks (`advance()`), so the store is deterministic for a given clock.
import { gid } from '../gid.js';
import type { Counters } from './counters.js';
import type {
  BulkOperationRecord,
  FulfillmentOrderRecord,
  FulfillmentServiceRecord,
  JobRecord,
  LocationRecord,
  OrderRecord,
  PendingEvent,
  StoreData,
} from './model.js';

export interface UserErrorRecord {
  field: string[] | null;
  message: string;
  code?: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; errors: UserErrorRecord[] };

export const fail = (message: string, field: string[] | null, code?: string): Outcome<never> => ({
  ok: false,
  errors: [code === undefined ? { field, message } : { field, message, code }],
});

export interface FulfillmentOrderRef {
  order: OrderRecord;
  fo: FulfillmentOrderRecord;
}

export type EventHandler = (store: SandboxStore, event: PendingEvent) => void;

export class SandboxStore {
  readonly data: StoreData;
  readonly counters: Counters;
  readonly seed: number;
  private readonly clock: () => number;
  private readonly orders = new Map<number, OrderRecord>();
  private readonly fulfillmentOrders = new Map<number, FulfillmentOrderRef>();
  private readonly locations = new Map<number, LocationRecord>();
  private readonly servicesByLocation = new Map<number, FulfillmentServiceRecord>();
  private readonly jobs = new Map<string, JobRecord>();
  private eventHandler: EventHandler = () => {};
  private changeListener: () => void = () => {};
  /** Bumped on every change, so callers can tell whether anything happened. */
  generation = 0;
  /** Where the sandbox listens (`http://127.0.0.1:<port>`), for the URLs it hands out (bulk operation files). */
  baseUrl = 'http://127.0.0.1';

  constructor(data: StoreData, options: { clock: () => number; counters: Counters; seed: number }) {
    this.data = data;
    this.clock = options.clock;
    this.counters = options.counters;
    this.seed = options.seed;
    for (const location of data.locations) this.locations.set(location.id, location);
    for (const service of data.services) this.servicesByLocation.set(service.locationId, service);
    for (const job of data.jobs) this.jobs.set(job.id, job);
    for (const order of data.orders) this.indexOrder(order);
    data.pending.sort(byDueAt);
  }

  onEvent(handler: EventHandler): void {
    this.eventHandler = handler;
  }

  onChange(listener: () => void): void {
    this.changeListener = listener;
  }

  now(): number {
    return this.clock();
  }

  nowIso(): string {
    return new Date(this.clock()).toISOString();
  }

  nextId(): number {
    return this.data.nextId++;
  }

  changed(): void {
    this.generation++;
    this.changeListener();
  }

  /** Applies every pending event that is due by now, oldest first. */
  advance(): void {
    const now = this.clock();
    const pending = this.data.pending;
    let applied = 0;
    while (applied < pending.length && Date.parse(pending[applied]!.dueAt) <= now) applied++;
    if (applied === 0) return;
    const due = pending.splice(0, applied);
    for (const event of due) this.eventHandler(this, event);
    this.changed();
  }

  schedule(event: PendingEvent): void {
    const pending = this.data.pending;
    let i = pending.length;
    while (i > 0 && byDueAt(pending[i - 1]!, event) > 0) i--;
    pending.splice(i, 0, event);
  }

  dueIn(ms: number): string {
    return new Date(this.clock() + ms).toISOString();
  }

  order(id: number): OrderRecord | undefined {
    return this.orders.get(id);
  }

  fulfillmentOrder(id: number): FulfillmentOrderRef | undefined {
    return this.fulfillmentOrders.get(id);
  }

  location(id: number): LocationRecord | undefined {
    return this.locations.get(id);
  }

  serviceAt(locationId: number): FulfillmentServiceRecord | undefined {
    return this.servicesByLocation.get(locationId);
  }

  serviceByHandle(handle: string): FulfillmentServiceRecord | undefined {
    return this.data.services.find((s) => s.handle === handle);
  }

  isAtService(fo: FulfillmentOrderRecord): boolean {
    return this.servicesByLocation.has(fo.locationId);
  }

  job(id: string): JobRecord | undefined {
    return this.jobs.get(id);
  }

  addJob(job: JobRecord): void {
    this.data.jobs.push(job);
    this.jobs.set(job.id, job);
  }

  bulkOperations(): readonly BulkOperationRecord[] {
    return this.data.bulkOperations ?? [];
  }

  bulkOperation(id: number): BulkOperationRecord | undefined {
    return this.data.bulkOperations?.find((operation) => operation.id === id);
  }

  addBulkOperation(operation: BulkOperationRecord): void {
    (this.data.bulkOperations ??= []).push(operation);
  }

  /** Adds a fulfillment order created by a split or a replacement to its order and the index. */
  addFulfillmentOrder(order: OrderRecord, fo: FulfillmentOrderRecord): void {
    order.fulfillmentOrders.push(fo);
    this.fulfillmentOrders.set(fo.id, { order, fo });
  }

  touch(order: OrderRecord, fo?: FulfillmentOrderRecord): void {
    const now = this.nowIso();
    order.updatedAt = now;
    if (fo) fo.updatedAt = now;
  }

  orderGid(order: OrderRecord): string {
    return gid('Order', order.id);
  }

  private indexOrder(order: OrderRecord): void {
    this.orders.set(order.id, order);
    for (const fo of order.fulfillmentOrders) this.fulfillmentOrders.set(fo.id, { order, fo });
  }
}

function byDueAt(a: PendingEvent, b: PendingEvent): number {
  return Date.parse(a.dueAt) - Date.parse(b.dueAt);
}
