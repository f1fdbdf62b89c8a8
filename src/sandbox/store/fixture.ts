// Reading a store from JSON: a hand-written fixture (`--fixture`) or a saved state (`--state`). Both are
// the StoreData shape of model.ts; see docs/fixture-format.md. Optional fields get defaults so short
// fixtures stay short, unknown fields are refused (a typo would otherwise silently become a default),
// and every error names the file and the JSON path, e.g.
// `fixture.json: orders[3].fulfillmentOrders[0].status must be one of OPEN, IN_PROGRESS, …`.
// Checks are limited to what the state machine itself keeps true, so any saved state loads again.
import { readFileSync } from 'node:fs';
import { SandboxConfigError } from '../errors.js';
import { numericIdOf } from '../gid.js';
import {
  CANCEL_REASONS,
  DELIVERY_METHODS,
  FULFILLMENT_ORDER_STATUSES,
  PAYMENT_STATES,
  REQUEST_STATUSES,
  RETURN_STATUSES,
  type CustomerRecord,
  type FulfillmentOrderRecord,
  type FulfillmentServiceRecord,
  type HoldRecord,
  type JobRecord,
  type LineItemRecord,
  type LocationRecord,
  type MerchantRequestRecord,
  type OrderRecord,
  type Payment,
  type PendingEvent,
  type ServiceBehaviour,
  type ShopRecord,
  type StoreData,
} from './model.js';
import { DEFAULT_CANCEL_JOB_DELAY_MS, DEFAULT_SHOP } from './seed.js';

/** Timestamp given to records whose fixture leaves `createdAt` out. */
export const DEFAULT_FIXTURE_TIMESTAMP = '2026-10-01T00:00:00.000Z';

export const DEFAULT_SERVICE_BEHAVIOUR: Readonly<ServiceBehaviour> = Object.freeze({
  acceptRate: 0.8,
  rejectRate: 0.1,
  cancelAcceptRate: 0.8,
  cancelRejectRate: 0.1,
  responseDelayMs: 2000,
});

/** A fixture that cannot be used; `path` is the JSON path of the offending value ('' for the whole file). */
export class FixtureError extends SandboxConfigError {
  override name = 'FixtureError';

  constructor(
    readonly source: string,
    readonly path: string,
    detail: string,
  ) {
    super(`${source}: ${path === '' ? detail : `${path} ${detail}`}`);
  }
}

/** Reads and validates a fixture or saved-state file. */
export function loadFixtureFile(path: string): StoreData {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FixtureError(path, '', code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(error)})`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FixtureError(path, '', `is not valid JSON: ${jsonErrorDetail(text, error)}`);
  }
  return parseStoreData(json, path);
}

function jsonErrorDetail(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(message);
  if (!position) return message;
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${message} (line ${line}, column ${column})`;
}

// ---------------------------------------------------------------------------------------------
// Field readers. Paths are joined only when reporting an error, so big saved states load quickly.

type Json = Record<string, unknown>;

const at = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);
const quote = (value: unknown): string => JSON.stringify(value) ?? String(value);

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  return quote(value);
}

/** What toISOString() writes; such values are kept as they are. */
const CANONICAL_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const CANONICAL_AMOUNT = /^(0|[1-9]\d*)\.\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const AMOUNT = /^\d+(\.\d{1,2})?$/;
const CURRENCY = /^[A-Z]{3}$/;

class Reader {
  constructor(readonly source: string) {}

  fail(path: string, detail: string): never {
    throw new FixtureError(this.source, path, detail);
  }

  /** A plain object whose keys are all known (keys starting with `$` or `//` are comments and ignored). */
  object(value: unknown, path: string, known: ReadonlySet<string>): Json {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.fail(path, `must be an object, got ${describe(value)}`);
    }
    for (const key in value) {
      if (!known.has(key) && !key.startsWith('$') && !key.startsWith('//')) {
        const hint = closest(key, known);
        this.fail(at(path, key), `is not a known field${hint ? ` (did you mean ${hint}?)` : ''}; known: ${[...known].join(', ')}`);
      }
    }
    return value as Json;
  }

  array(obj: Json, key: string, path: string, required = false): unknown[] {
    const value = obj[key];
    if (value === undefined) {
      if (required) this.fail(at(path, key), 'is required');
      return [];
    }
    if (!Array.isArray(value)) this.fail(at(path, key), `must be an array, got ${describe(value)}`);
    return value;
  }

  string(obj: Json, key: string, path: string, fallback?: string): string {
    const value = obj[key];
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'string') this.fail(at(path, key), value === undefined ? 'is required' : `must be a string, got ${describe(value)}`);
    return value;
  }

  nullableString(obj: Json, key: string, path: string): string | null {
    const value = obj[key];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string') this.fail(at(path, key), `must be a string or null, got ${describe(value)}`);
    return value;
  }

  boolean(obj: Json, key: string, path: string, fallback?: boolean): boolean {
    const value = obj[key];
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'boolean') this.fail(at(path, key), value === undefined ? 'is required' : `must be true or false, got ${describe(value)}`);
    return value;
  }

  number(obj: Json, key: string, path: string, options: { min: number; max?: number; integer?: boolean; fallback?: number }): number {
    const value = obj[key];
    if (value === undefined && options.fallback !== undefined) return options.fallback;
    if (value === undefined) this.fail(at(path, key), 'is required');
    const kind = options.integer ? 'a whole number' : 'a number';
    const range = options.max === undefined ? `≥ ${options.min}` : `between ${options.min} and ${options.max}`;
    const ok =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (!options.integer || Number.isSafeInteger(value)) &&
      value >= options.min &&
      (options.max === undefined || value <= options.max);
    if (!ok) this.fail(at(path, key), `must be ${kind} ${range}, got ${describe(value)}`);
    return value as number;
  }

  /** A positive safe integer; a numeric string or a GID of `gidType` is accepted too. */
  id(obj: Json, key: string, path: string, gidType: string): number {
    const value = obj[key];
    if (value === undefined) this.fail(at(path, key), 'is required');
    const id = toId(value, gidType);
    if (id === null) this.fail(at(path, key), `must be a positive whole number or a gid://shopify/${gidType}/… id, got ${describe(value)}`);
    return id;
  }

  optionalId(obj: Json, key: string, path: string, gidType: string): number | null {
    return obj[key] === undefined || obj[key] === null ? null : this.id(obj, key, path, gidType);
  }

  oneOf<T extends string>(obj: Json, key: string, path: string, values: readonly T[], fallback?: T): T {
    const value = obj[key];
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
      this.fail(at(path, key), `${value === undefined ? 'is required and ' : ''}must be one of ${values.join(', ')}${value === undefined ? '' : `, got ${describe(value)}`}`);
    }
    return value as T;
  }

  nullableOneOf<T extends string>(obj: Json, key: string, path: string, values: readonly T[]): T | null {
    return obj[key] === undefined || obj[key] === null ? null : this.oneOf(obj, key, path, values);
  }

  /** A decimal amount, as a string ("12.5") or a number (12.5), normalised to two decimals ("12.50"). */
  amount(obj: Json, key: string, path: string, fallback?: string): string {
    const value = obj[key];
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value === 'string' && CANONICAL_AMOUNT.test(value)) return value;
    const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
    if (typeof text !== 'string' || !AMOUNT.test(text)) {
      this.fail(at(path, key), value === undefined ? 'is required' : `must be an amount ≥ 0 with at most two decimals, like "19.99", got ${describe(value)}`);
    }
    const [whole, fraction = ''] = text.split('.');
    return `${BigInt(whole!)}.${fraction.padEnd(2, '0')}`;
  }

  /** An ISO-8601 date or date-time with a zone (`2026-10-01` or `2026-10-01T12:00:00Z`), normalised to UTC. */
  timestamp(obj: Json, key: string, path: string, fallback?: string): string {
    const value = obj[key];
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value === 'string' && CANONICAL_TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value))) return value;
    const ms = typeof value === 'string' && TIMESTAMP.test(value) ? Date.parse(value) : NaN;
    if (Number.isNaN(ms)) {
      this.fail(at(path, key), value === undefined ? 'is required' : `must be an ISO-8601 timestamp with a time zone, like "2026-10-01T12:00:00Z", got ${describe(value)}`);
    }
    return new Date(ms).toISOString();
  }

  nullableTimestamp(obj: Json, key: string, path: string): string | null {
    return obj[key] === undefined || obj[key] === null ? null : this.timestamp(obj, key, path);
  }

  /** Free-form JSON object (requestOptions, responseData), copied. */
  jsonObject(obj: Json, key: string, path: string): Json | null | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return value;
    if (typeof value !== 'object' || Array.isArray(value)) this.fail(at(path, key), `must be an object, got ${describe(value)}`);
    return cloneJson(value) as Json;
  }
}

function toId(value: unknown, gidType: string): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : null;
  if (typeof value !== 'string') return null;
  const id = /^\d{1,16}$/.test(value) ? Number(value) : numericIdOf(value, gidType);
  return id !== null && Number.isSafeInteger(id) && id > 0 ? id : null;
}

function cloneJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneJson);
  if (value !== null && typeof value === 'object') {
    const copy: Json = {};
    for (const [key, item] of Object.entries(value)) copy[key] = cloneJson(item);
    return copy;
  }
  return value;
}

function closest(key: string, known: ReadonlySet<string>): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const candidate of known) {
    const distance = candidate.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

const keys = (...names: string[]): ReadonlySet<string> => new Set(names);

const STORE_KEYS = keys('version', 'shop', 'locations', 'services', 'customers', 'orders', 'jobs', 'pending', 'nextId', 'cancelJobDelayMs');
const SHOP_KEYS = keys('name', 'myshopifyDomain', 'email', 'currencyCode', 'ianaTimezone');
const LOCATION_KEYS = keys('id', 'name', 'isActive', 'serviceHandle');
const SERVICE_KEYS = keys('id', 'handle', 'serviceName', 'locationId', 'behaviour');
const BEHAVIOUR_KEYS = keys('acceptRate', 'rejectRate', 'cancelAcceptRate', 'cancelRejectRate', 'responseDelayMs');
const CUSTOMER_KEYS = keys('id', 'displayName');
const ORDER_KEYS = keys(
  'id', 'name', 'email', 'customerId', 'createdAt', 'updatedAt', 'processedAt', 'tags', 'note', 'test', 'currencyCode',
  'totalPrice', 'payment', 'returnStatus', 'cancelledAt', 'cancelReason', 'closedAt', 'staffNote', 'restockedQuantity',
  'fulfillmentOrders',
);
const PAYMENT_KEYS = keys('state', 'authorized', 'captured', 'refunded', 'refundedToStoreCredit');
const FO_KEYS = keys(
  'id', 'status', 'requestStatus', 'locationId', 'deliveryMethod', 'progressReported', 'closedReason', 'fulfillAt',
  'holds', 'lineItems', 'merchantRequests', 'createdAt', 'updatedAt',
);
const LINE_ITEM_KEYS = keys('id', 'sku', 'title', 'quantity', 'remaining');
const REQUEST_KEYS = keys('id', 'kind', 'message', 'requestOptions', 'responseData', 'sentAt');
const HOLD_KEYS = keys('id', 'reason', 'reasonNotes');
const JOB_KEYS = keys('id', 'orderId', 'done', 'status', 'errors');
const JOB_ERROR_KEYS = keys('code', 'field', 'message');
const CANCEL_JOB_KEYS = keys('kind', 'dueAt', 'jobId', 'orderId', 'reason', 'restock', 'notifyCustomer', 'refund', 'staffNote');
const SERVICE_EVENT_KEYS = keys('kind', 'dueAt', 'fulfillmentOrderId');

const CLOSED_REASONS = ['fulfilled', 'replaced', 'order-cancelled'] as const;
const REQUEST_KINDS = ['FULFILLMENT_REQUEST', 'CANCELLATION_REQUEST'] as const;
const HOLD_REASONS = ['AWAITING_PAYMENT', 'HIGH_RISK_OF_FRAUD', 'INCORRECT_ADDRESS', 'INVENTORY_OUT_OF_STOCK', 'OTHER'] as const;
const JOB_STATUSES = ['STARTED', 'SUCCEEDED', 'FAILED'] as const;
const PENDING_KINDS = ['cancel-job', 'service-fulfillment-answer', 'service-cancellation-answer'] as const;
const REFUNDS = ['original', 'store-credit'] as const;

/** Request statuses a fulfillment order at a service can have while OPEN or IN_PROGRESS (shopify-domain.md §0.1). */
const SERVICE_REQUEST_STATUSES: Partial<Record<FulfillmentOrderRecord['status'], readonly string[]>> = {
  OPEN: ['UNSUBMITTED', 'SUBMITTED', 'REJECTED'],
  IN_PROGRESS: ['ACCEPTED', 'CANCELLATION_REQUESTED', 'CANCELLATION_REJECTED'],
};

const cents = (amount: string): number => Math.round(Number(amount) * 100);

// ---------------------------------------------------------------------------------------------

/** Records whose fixture left the id out; numbered after every explicit id once the whole file is read. */
type NeedsId = { id: number };

class UniqueIds {
  private readonly seen = new Set<number>();

  constructor(
    private readonly reader: Reader,
    private readonly what: string,
  ) {}

  add(id: number, path: string): void {
    if (this.seen.has(id)) this.reader.fail(at(path, 'id'), `${id} is already the id of another ${this.what}`);
    this.seen.add(id);
  }

  has(id: number): boolean {
    return this.seen.has(id);
  }
}

class StoreParser {
  private readonly r: Reader;
  private maxId = 0;
  private readonly missingIds: NeedsId[] = [];
  private readonly locationById = new Map<number, LocationRecord>();
  private readonly serviceLocations = new Set<number>();
  private readonly customerIds: UniqueIds;
  private readonly orderIds: UniqueIds;
  private readonly orderNames = new Map<string, string>();
  private readonly foIds: UniqueIds;
  private readonly lineItemIds: UniqueIds;
  private readonly requestIds: UniqueIds;
  private readonly holdIds: UniqueIds;

  constructor(source: string) {
    this.r = new Reader(source);
    this.customerIds = new UniqueIds(this.r, 'customer');
    this.orderIds = new UniqueIds(this.r, 'order');
    this.foIds = new UniqueIds(this.r, 'fulfillment order');
    this.lineItemIds = new UniqueIds(this.r, 'line item');
    this.requestIds = new UniqueIds(this.r, 'merchant request');
    this.holdIds = new UniqueIds(this.r, 'hold');
  }

  parse(json: unknown): StoreData {
    const r: Reader = this.r;
    const root = r.object(json, '', STORE_KEYS);
    if (root.version !== undefined && root.version !== 1) r.fail('version', `must be 1, got ${describe(root.version)}`);
    const shop = this.shop(root.shop);
    const locations = r.array(root, 'locations', '', true).map((value, i) => this.location(value, `locations[${i}]`));
    if (locations.length === 0) r.fail('locations', 'must list at least one location');
    const services = this.services(r.array(root, 'services', ''), locations);
    const customers = r.array(root, 'customers', '').map((value, i) => this.customer(value, `customers[${i}]`));
    const orders = r.array(root, 'orders', '').map((value, i) => this.order(value, `orders[${i}]`, i, shop.currencyCode));
    const jobs = this.jobs(r.array(root, 'jobs', ''));
    const jobsById = new Map(jobs.map((job) => [job.id, job]));
    const pending = r.array(root, 'pending', '').map((value, i) => this.pendingEvent(value, `pending[${i}]`, jobsById));
    const nextId = this.assignMissingIds(root);
    const cancelJobDelayMs = r.number(root, 'cancelJobDelayMs', '', { min: 0, fallback: DEFAULT_CANCEL_JOB_DELAY_MS });
    return { version: 1, shop, locations, services, customers, orders, jobs, pending, nextId, cancelJobDelayMs };
  }

  private noteId(id: number): void {
    if (id > this.maxId) this.maxId = id;
  }

  /** An id that may be left out: 0 for now, numbered by assignMissingIds. */
  private recordId(obj: Json, path: string, gidType: string, ids: UniqueIds): number {
    if (obj.id === undefined) return 0;
    const id = this.r.id(obj, 'id', path, gidType);
    ids.add(id, path);
    this.noteId(id);
    return id;
  }

  private later<T extends NeedsId>(record: T): T {
    if (record.id === 0) this.missingIds.push(record);
    return record;
  }

  private assignMissingIds(root: Json): number {
    const explicit = root.nextId === undefined ? null : this.r.number(root, 'nextId', '', { min: 1, integer: true });
    if (explicit !== null && explicit <= this.maxId) {
      this.r.fail('nextId', `must be greater than every id in the store (the largest is ${this.maxId}), got ${explicit}`);
    }
    let next = explicit ?? this.maxId + 1;
    for (const record of this.missingIds) record.id = next++;
    return next;
  }

  private shop(value: unknown): ShopRecord {
    if (value === undefined) return { ...DEFAULT_SHOP };
    const r: Reader = this.r;
    const obj = r.object(value, 'shop', SHOP_KEYS);
    const currencyCode = r.string(obj, 'currencyCode', 'shop', DEFAULT_SHOP.currencyCode);
    if (!CURRENCY.test(currencyCode)) r.fail('shop.currencyCode', `must be a three-letter currency code like "USD", got ${quote(currencyCode)}`);
    return {
      name: r.string(obj, 'name', 'shop', DEFAULT_SHOP.name),
      myshopifyDomain: r.string(obj, 'myshopifyDomain', 'shop', DEFAULT_SHOP.myshopifyDomain),
      email: r.string(obj, 'email', 'shop', DEFAULT_SHOP.email),
      currencyCode,
      ianaTimezone: r.string(obj, 'ianaTimezone', 'shop', DEFAULT_SHOP.ianaTimezone),
    };
  }

  private location(value: unknown, path: string): LocationRecord {
    const r: Reader = this.r;
    const obj = r.object(value, path, LOCATION_KEYS);
    const id = r.id(obj, 'id', path, 'Location');
    if (this.locationById.has(id)) r.fail(at(path, 'id'), `${id} is already the id of another location`);
    this.noteId(id);
    const location: LocationRecord = { id, name: r.string(obj, 'name', path), isActive: r.boolean(obj, 'isActive', path, true) };
    if (obj.serviceHandle !== undefined) location.serviceHandle = r.string(obj, 'serviceHandle', path);
    this.locationById.set(id, location);
    return location;
  }

  private services(values: unknown[], locations: LocationRecord[]): FulfillmentServiceRecord[] {
    const r: Reader = this.r;
    const ids = new Set<number>();
    const handles = new Set<string>();
    const services = values.map((value, i): FulfillmentServiceRecord => {
      const path = `services[${i}]`;
      const obj = r.object(value, path, SERVICE_KEYS);
      const id = r.id(obj, 'id', path, 'FulfillmentService');
      if (ids.has(id)) r.fail(at(path, 'id'), `${id} is already the id of another service`);
      ids.add(id);
      this.noteId(id);
      const handle = r.string(obj, 'handle', path);
      if (handles.has(handle)) r.fail(at(path, 'handle'), `${quote(handle)} is already the handle of another service`);
      handles.add(handle);
      const locationId = r.id(obj, 'locationId', path, 'Location');
      const location = this.locationById.get(locationId);
      if (!location) r.fail(at(path, 'locationId'), `${locationId} is not the id of any location`);
      if (this.serviceLocations.has(locationId)) r.fail(at(path, 'locationId'), `location ${locationId} already belongs to another service`);
      if (location.serviceHandle !== undefined && location.serviceHandle !== handle) {
        r.fail(at(path, 'locationId'), `location ${locationId} has serviceHandle ${quote(location.serviceHandle)}, not ${quote(handle)}`);
      }
      location.serviceHandle = handle;
      this.serviceLocations.add(locationId);
      return {
        id,
        handle,
        serviceName: r.string(obj, 'serviceName', path, handle),
        locationId,
        behaviour: this.behaviour(obj.behaviour, at(path, 'behaviour')),
      };
    });
    locations.forEach((location, i) => {
      if (location.serviceHandle !== undefined && !handles.has(location.serviceHandle)) {
        r.fail(`locations[${i}].serviceHandle`, `${quote(location.serviceHandle)} is not the handle of any service`);
      }
    });
    return services;
  }

  private behaviour(value: unknown, path: string): ServiceBehaviour {
    if (value === undefined) return { ...DEFAULT_SERVICE_BEHAVIOUR };
    const r: Reader = this.r;
    const obj = r.object(value, path, BEHAVIOUR_KEYS);
    const rate = (key: keyof ServiceBehaviour) => r.number(obj, key, path, { min: 0, max: 1, fallback: DEFAULT_SERVICE_BEHAVIOUR[key] });
    const behaviour: ServiceBehaviour = {
      acceptRate: rate('acceptRate'),
      rejectRate: rate('rejectRate'),
      cancelAcceptRate: rate('cancelAcceptRate'),
      cancelRejectRate: rate('cancelRejectRate'),
      responseDelayMs: r.number(obj, 'responseDelayMs', path, { min: 0, fallback: DEFAULT_SERVICE_BEHAVIOUR.responseDelayMs }),
    };
    if (behaviour.acceptRate + behaviour.rejectRate > 1) r.fail(path, 'acceptRate + rejectRate must be at most 1');
    if (behaviour.cancelAcceptRate + behaviour.cancelRejectRate > 1) r.fail(path, 'cancelAcceptRate + cancelRejectRate must be at most 1');
    return behaviour;
  }

  private customer(value: unknown, path: string): CustomerRecord {
    const r: Reader = this.r;
    const obj = r.object(value, path, CUSTOMER_KEYS);
    const id = r.id(obj, 'id', path, 'Customer');
    this.customerIds.add(id, path);
    this.noteId(id);
    return { id, displayName: r.string(obj, 'displayName', path) };
  }

  private order(value: unknown, path: string, index: number, shopCurrency: string): OrderRecord {
    const r: Reader = this.r;
    const obj = r.object(value, path, ORDER_KEYS);
    const id = r.id(obj, 'id', path, 'Order');
    this.orderIds.add(id, path);
    this.noteId(id);
    const name = r.string(obj, 'name', path, `#${1001 + index}`);
    const sameName = this.orderNames.get(name);
    if (sameName !== undefined) r.fail(at(path, 'name'), `${quote(name)} is already the name of order ${sameName}`);
    this.orderNames.set(name, path);

    const customerId = r.optionalId(obj, 'customerId', path, 'Customer');
    if (customerId !== null && !this.customerIds.has(customerId)) r.fail(at(path, 'customerId'), `${customerId} is not the id of any customer`);
    const createdAt = r.timestamp(obj, 'createdAt', path, DEFAULT_FIXTURE_TIMESTAMP);
    const currencyCode = r.string(obj, 'currencyCode', path, shopCurrency);
    if (!CURRENCY.test(currencyCode)) r.fail(at(path, 'currencyCode'), `must be a three-letter currency code like "USD", got ${quote(currencyCode)}`);
    const totalPrice = r.amount(obj, 'totalPrice', path);
    const cancelledAt = r.nullableTimestamp(obj, 'cancelledAt', path);
    let cancelReason = r.nullableOneOf(obj, 'cancelReason', path, CANCEL_REASONS);
    if (cancelledAt === null && cancelReason !== null) r.fail(at(path, 'cancelReason'), 'is set but cancelledAt is not');
    if (cancelledAt !== null && cancelReason === null) cancelReason = 'OTHER';
    const closedAt = obj.closedAt === undefined ? cancelledAt : r.nullableTimestamp(obj, 'closedAt', path);
    if (cancelledAt !== null && closedAt === null) r.fail(at(path, 'closedAt'), 'must be set on a cancelled order');

    const order: OrderRecord = {
      id,
      name,
      email: r.nullableString(obj, 'email', path),
      customerId,
      createdAt,
      updatedAt: r.timestamp(obj, 'updatedAt', path, createdAt),
      processedAt: r.timestamp(obj, 'processedAt', path, createdAt),
      tags: this.tags(obj, path),
      note: r.nullableString(obj, 'note', path),
      test: r.boolean(obj, 'test', path, false),
      currencyCode,
      totalPrice,
      payment: this.payment(obj.payment, at(path, 'payment'), totalPrice),
      returnStatus: r.oneOf(obj, 'returnStatus', path, RETURN_STATUSES, 'NO_RETURN'),
      cancelledAt,
      cancelReason,
      closedAt,
      staffNote: r.nullableString(obj, 'staffNote', path),
      restockedQuantity: r.number(obj, 'restockedQuantity', path, { min: 0, integer: true, fallback: 0 }),
      fulfillmentOrders: [],
    };
    order.fulfillmentOrders = r
      .array(obj, 'fulfillmentOrders', path)
      .map((fo, i) => this.fulfillmentOrder(fo, `${path}.fulfillmentOrders[${i}]`, createdAt, cancelledAt !== null));
    return order;
  }

  private tags(obj: Json, path: string): string[] {
    return this.r.array(obj, 'tags', path).map((tag, i) => {
      if (typeof tag !== 'string') this.r.fail(`${path}.tags[${i}]`, `must be a string, got ${describe(tag)}`);
      return tag;
    });
  }

  private payment(value: unknown, path: string, totalPrice: string): Payment {
    const r: Reader = this.r;
    const obj = value === undefined ? {} : r.object(value, path, PAYMENT_KEYS);
    const state = r.oneOf(obj, 'state', path, PAYMENT_STATES, 'captured');
    const holdsAuthorization = state === 'authorized' || state === 'voided' || state === 'expired';
    const payment: Payment = {
      state,
      authorized: r.amount(obj, 'authorized', path, holdsAuthorization ? totalPrice : '0.00'),
      captured: r.amount(obj, 'captured', path, state === 'captured' ? totalPrice : '0.00'),
      refunded: r.amount(obj, 'refunded', path, '0.00'),
      refundedToStoreCredit: r.amount(obj, 'refundedToStoreCredit', path, '0.00'),
    };
    if (cents(payment.refunded) > cents(payment.captured)) {
      r.fail(at(path, 'refunded'), `(${payment.refunded}) cannot be more than captured (${payment.captured})`);
    }
    if (cents(payment.refundedToStoreCredit) > cents(payment.refunded)) {
      r.fail(at(path, 'refundedToStoreCredit'), `(${payment.refundedToStoreCredit}) cannot be more than refunded (${payment.refunded})`);
    }
    return payment;
  }

  private fulfillmentOrder(value: unknown, path: string, orderCreatedAt: string, orderCancelled: boolean): FulfillmentOrderRecord {
    const r: Reader = this.r;
    const obj = r.object(value, path, FO_KEYS);
    const id = this.recordId(obj, path, 'FulfillmentOrder', this.foIds);
    const status = r.oneOf(obj, 'status', path, FULFILLMENT_ORDER_STATUSES, 'OPEN');
    const requestStatus = r.oneOf(obj, 'requestStatus', path, REQUEST_STATUSES, 'UNSUBMITTED');
    const locationId = r.id(obj, 'locationId', path, 'Location');
    const location = this.locationById.get(locationId);
    if (!location) r.fail(at(path, 'locationId'), `${locationId} is not the id of any location`);
    const atService = this.serviceLocations.has(locationId);
    if (!atService && requestStatus !== 'UNSUBMITTED') {
      r.fail(at(path, 'requestStatus'), `must be UNSUBMITTED: ${location.name} is a merchant-managed location, only fulfillment orders at a service have requests`);
    }
    const allowed = atService ? SERVICE_REQUEST_STATUSES[status] : undefined;
    if (allowed && !allowed.includes(requestStatus)) {
      r.fail(at(path, 'requestStatus'), `must be one of ${allowed.join(', ')} while status is ${status}, got ${quote(requestStatus)}`);
    }
    let closedReason = r.nullableOneOf(obj, 'closedReason', path, CLOSED_REASONS);
    if (closedReason !== null && status !== 'CLOSED') r.fail(at(path, 'closedReason'), `is only for CLOSED fulfillment orders, but status is ${status}`);
    if (status === 'CLOSED' && closedReason === null) closedReason = orderCancelled ? 'order-cancelled' : 'fulfilled';

    const createdAt = r.timestamp(obj, 'createdAt', path, orderCreatedAt);
    const fo: FulfillmentOrderRecord = this.later({
      id,
      status,
      requestStatus,
      locationId,
      deliveryMethod: r.oneOf(obj, 'deliveryMethod', path, DELIVERY_METHODS, 'SHIPPING'),
      // A merchant-managed FO can only be IN_PROGRESS because progress was reported on it.
      progressReported: r.boolean(obj, 'progressReported', path, !atService && status === 'IN_PROGRESS'),
      fulfillAt: r.nullableTimestamp(obj, 'fulfillAt', path),
      holds: [],
      lineItems: [],
      merchantRequests: [],
      createdAt,
      updatedAt: r.timestamp(obj, 'updatedAt', path, createdAt),
    });
    if (closedReason !== null) fo.closedReason = closedReason;
    fo.holds = this.holds(obj, path, status);
    fo.lineItems = r
      .array(obj, 'lineItems', path, true)
      .map((item, i) => this.lineItem(item, `${path}.lineItems[${i}]`, closedReason === 'fulfilled'));
    fo.merchantRequests = r
      .array(obj, 'merchantRequests', path)
      .map((request, i) => this.merchantRequest(request, `${path}.merchantRequests[${i}]`, createdAt));
    return fo;
  }

  private holds(obj: Json, path: string, status: FulfillmentOrderRecord['status']): HoldRecord[] {
    // An ON_HOLD fulfillment order written without holds gets one, so it can be released.
    if (obj.holds === undefined && status === 'ON_HOLD') return [this.later({ id: 0, reason: 'OTHER', reasonNotes: null })];
    return this.r.array(obj, 'holds', path).map((value, i) => {
      const holdPath = `${path}.holds[${i}]`;
      const hold = this.r.object(value, holdPath, HOLD_KEYS);
      return this.later({
        id: this.recordId(hold, holdPath, 'FulfillmentHold', this.holdIds),
        reason: this.r.oneOf(hold, 'reason', holdPath, HOLD_REASONS, 'OTHER'),
        reasonNotes: this.r.nullableString(hold, 'reasonNotes', holdPath),
      });
    });
  }

  private lineItem(value: unknown, path: string, fulfilled: boolean): LineItemRecord {
    const r: Reader = this.r;
    const obj = r.object(value, path, LINE_ITEM_KEYS);
    const id = this.recordId(obj, path, 'FulfillmentOrderLineItem', this.lineItemIds);
    const sku = r.string(obj, 'sku', path);
    const quantity = r.number(obj, 'quantity', path, { min: 1, integer: true });
    const remaining = r.number(obj, 'remaining', path, { min: 0, max: quantity, integer: true, fallback: fulfilled ? 0 : quantity });
    return this.later({ id, sku, title: r.string(obj, 'title', path, sku), quantity, remaining });
  }

  private merchantRequest(value: unknown, path: string, foCreatedAt: string): MerchantRequestRecord {
    const r: Reader = this.r;
    const obj = r.object(value, path, REQUEST_KEYS);
    const id = this.recordId(obj, path, 'FulfillmentOrderMerchantRequest', this.requestIds);
    const kind = r.oneOf(obj, 'kind', path, REQUEST_KINDS);
    return this.later({
      id,
      kind,
      message: r.nullableString(obj, 'message', path),
      requestOptions: r.jsonObject(obj, 'requestOptions', path) ?? (kind === 'FULFILLMENT_REQUEST' ? { notify_customer: false } : {}),
      responseData: r.jsonObject(obj, 'responseData', path) ?? null,
      sentAt: r.timestamp(obj, 'sentAt', path, foCreatedAt),
    });
  }

  private jobs(values: unknown[]): JobRecord[] {
    const r: Reader = this.r;
    const ids = new Set<string>();
    return values.map((value, i): JobRecord => {
      const path = `jobs[${i}]`;
      const obj = r.object(value, path, JOB_KEYS);
      const raw = obj.id;
      if (!(typeof raw === 'string' && raw !== '') && !(typeof raw === 'number' && Number.isSafeInteger(raw) && raw > 0)) {
        r.fail(at(path, 'id'), raw === undefined ? 'is required' : `must be a non-empty string, got ${describe(raw)}`);
      }
      const id = String(raw);
      if (ids.has(id)) r.fail(at(path, 'id'), `${quote(id)} is already the id of another job`);
      ids.add(id);
      // Jobs made by the sandbox are numbered from nextId, so numeric ids count towards it.
      if (/^\d{1,15}$/.test(id)) this.noteId(Number(id));
      const orderId = r.id(obj, 'orderId', path, 'Order');
      if (!this.orderIds.has(orderId)) r.fail(at(path, 'orderId'), `${orderId} is not the id of any order`);
      const done = r.boolean(obj, 'done', path, false);
      return {
        id,
        orderId,
        done,
        status: r.oneOf(obj, 'status', path, JOB_STATUSES, done ? 'SUCCEEDED' : 'STARTED'),
        errors: r.array(obj, 'errors', path).map((error, j) => {
          const errorPath = `${path}.errors[${j}]`;
          const e = r.object(error, errorPath, JOB_ERROR_KEYS);
          let field: string[] | null = null;
          if (e.field !== undefined && e.field !== null) {
            if (!Array.isArray(e.field) || !e.field.every((part) => typeof part === 'string')) {
              r.fail(at(errorPath, 'field'), `must be an array of strings or null, got ${describe(e.field)}`);
            }
            field = [...(e.field as string[])];
          }
          return { code: r.string(e, 'code', errorPath), field, message: r.string(e, 'message', errorPath) };
        }),
      };
    });
  }

  private pendingEvent(value: unknown, path: string, jobs: ReadonlyMap<string, JobRecord>): PendingEvent {
    const r: Reader = this.r;
    const kind = r.oneOf(r.object(value, path, new Set([...CANCEL_JOB_KEYS, ...SERVICE_EVENT_KEYS])), 'kind', path, PENDING_KINDS);
    const obj = r.object(value, path, kind === 'cancel-job' ? CANCEL_JOB_KEYS : SERVICE_EVENT_KEYS);
    const dueAt = r.timestamp(obj, 'dueAt', path);
    if (kind !== 'cancel-job') {
      const fulfillmentOrderId = r.id(obj, 'fulfillmentOrderId', path, 'FulfillmentOrder');
      if (!this.foIds.has(fulfillmentOrderId)) r.fail(at(path, 'fulfillmentOrderId'), `${fulfillmentOrderId} is not the id of any fulfillment order`);
      return { kind, dueAt, fulfillmentOrderId };
    }
    const jobId = r.string(obj, 'jobId', path);
    const job = jobs.get(jobId);
    if (!job) r.fail(at(path, 'jobId'), `${quote(jobId)} is not the id of any job`);
    const orderId = r.id(obj, 'orderId', path, 'Order');
    if (orderId !== job.orderId) r.fail(at(path, 'orderId'), `must be ${job.orderId}, the order of job ${quote(jobId)}`);
    return {
      kind,
      dueAt,
      jobId,
      orderId,
      reason: r.oneOf(obj, 'reason', path, CANCEL_REASONS),
      restock: r.boolean(obj, 'restock', path),
      notifyCustomer: r.boolean(obj, 'notifyCustomer', path, false),
      refund: r.nullableOneOf(obj, 'refund', path, REFUNDS),
      staffNote: r.nullableString(obj, 'staffNote', path),
    };
  }
}

/** Validates a fixture or saved state (already parsed from JSON) and fills in defaults. `source` names it in errors. */
export function parseStoreData(json: unknown, source: string): StoreData {
  return new StoreParser(source).parse(json);
}
