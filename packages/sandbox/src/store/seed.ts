// Deterministic test data for the sandbox: the same (orders, seed, now) always gives the same store.
// The first orders drafted walk through SEED_SCENARIOS, one each, so even a small store has every
// payment state, order state and fulfillment-order state the four actions care about
// (docs/shopify-behaviour.md#fulfillment-orders and the sections after it); the rest are weighted random mixes. Every order is built the way
// the state machine would have left it (fulfillment-order-transitions.ts, order-cancel.ts).
import { seededRandom, type Random } from '../random.js';
import type {
  CancelReason,
  CustomerRecord,
  DeliveryMethodType,
  FulfillmentOrderRecord,
  FulfillmentServiceRecord,
  HoldRecord,
  LineItemRecord,
  LocationRecord,
  MerchantRequestRecord,
  OrderRecord,
  Payment,
  ReturnStatus,
  ShopRecord,
  StoreData,
} from './model.js';

export interface GenerateStoreOptions {
  orders: number;
  seed: number;
  /** Sandbox time the store is generated at: every timestamp is before it, scheduled dates after it. */
  now: Date;
}

export const DEFAULT_SHOP: Readonly<ShopRecord> = Object.freeze({
  name: 'bulkfill sandbox',
  myshopifyDomain: 'bulkfill-sandbox.myshopify.com',
  email: 'owner@bulkfill-sandbox.example',
  currencyCode: 'USD',
  ianaTimezone: 'UTC',
});

export const DEFAULT_CANCEL_JOB_DELAY_MS = 1000;

/** Order #1001 has id 5_000_001_001: the id ends with the order number. */
const ORDER_ID_BASE = 5_000_000_000;
const FIRST_ORDER_NUMBER = 1001;
const LOCATION_ID_BASE = 6_000_000_000;
const SERVICE_ID_BASE = 6_100_000_000;
const CUSTOMER_ID_BASE = 6_500_000_000;
/** Fulfillment orders, line items, merchant requests and holds are numbered from here. */
const FIRST_RECORD_ID = 7_000_000_000;

const DAY_MS = 86_400_000;
const HISTORY_DAYS = 120;

export const SEED_LOCATION_IDS = Object.freeze({
  warehouse: LOCATION_ID_BASE + 1,
  retail: LOCATION_ID_BASE + 2,
});

type ServiceHandle = 'acme-3pl' | 'swift-ship' | 'slow-fulfil';

const SERVICE_DEFINITIONS: readonly Omit<FulfillmentServiceRecord, 'id' | 'locationId'>[] = [
  {
    handle: 'acme-3pl',
    serviceName: 'Acme 3PL',
    behaviour: { acceptRate: 0.8, rejectRate: 0.1, cancelAcceptRate: 0.8, cancelRejectRate: 0.1, responseDelayMs: 2000 },
  },
  {
    handle: 'swift-ship',
    serviceName: 'Swift Ship',
    behaviour: { acceptRate: 0.6, rejectRate: 0.3, cancelAcceptRate: 0.6, cancelRejectRate: 0.3, responseDelayMs: 1000 },
  },
  {
    handle: 'slow-fulfil',
    serviceName: 'Slow Fulfil',
    behaviour: { acceptRate: 0.3, rejectRate: 0.1, cancelAcceptRate: 0.3, cancelRejectRate: 0.1, responseDelayMs: 10_000 },
  },
];

// ---------------------------------------------------------------------------------------------
// Scenarios

type PaymentKind = 'PENDING' | 'AUTHORIZED' | 'PAID' | 'PARTIALLY_PAID' | 'PARTIALLY_REFUNDED' | 'REFUNDED' | 'VOIDED' | 'EXPIRED';

type MerchantKind = 'OPEN' | 'IN_PROGRESS' | 'SCHEDULED' | 'ON_HOLD' | 'FULFILLED';
type ServiceKind =
  'UNSUBMITTED' | 'SUBMITTED' | 'ACCEPTED' | 'REJECTED' | 'CANCELLATION_REQUESTED' | 'CANCELLATION_ACCEPTED' | 'CANCELLATION_REJECTED' | 'FULFILLED';

type FoPlan =
  | { merchant: MerchantKind; at: 'warehouse' | 'retail'; delivery: DeliveryMethodType }
  | { service: ServiceKind; at: ServiceHandle; delivery: DeliveryMethodType };

/**
 * One order's shape. For a cancelled order the fulfillment-order plans describe the state before the
 * cancellation; building the order then applies the cancel the way order-cancel.ts does.
 */
export interface SeedScenario {
  label: string;
  state: 'open' | 'closed' | 'cancelled';
  payment: PaymentKind;
  fulfillmentOrders: readonly FoPlan[];
  returnStatus?: ReturnStatus;
  /** 'old' = 65–120 days before now (outside Shopify's default 60-day window); default 'recent'. */
  age?: 'recent' | 'old';
  /** true: always a customer, false: never; default: ~10% without. */
  customer?: boolean;
  test?: boolean;
  tags?: readonly string[];
  /** Refund (part of) the payment to store credit. */
  storeCredit?: boolean;
}

const m = (merchant: MerchantKind, delivery: DeliveryMethodType = 'SHIPPING', at?: 'warehouse' | 'retail'): FoPlan => ({
  merchant,
  at: at ?? (delivery === 'PICK_UP' || delivery === 'RETAIL' ? 'retail' : 'warehouse'),
  delivery,
});
const s = (at: ServiceHandle, service: ServiceKind, delivery: DeliveryMethodType = 'SHIPPING'): FoPlan => ({
  service,
  at,
  delivery,
});

export const SEED_SCENARIOS: readonly SeedScenario[] = [
  { label: 'merchant FO in progress (mark-open target)', state: 'open', payment: 'PAID', fulfillmentOrders: [m('IN_PROGRESS')] },
  { label: 'merchant FO open, guest checkout', state: 'open', payment: 'PAID', fulfillmentOrders: [m('OPEN')], customer: false },
  {
    label: 'service FO unsubmitted (request-fulfillment target)',
    state: 'open',
    payment: 'AUTHORIZED',
    fulfillmentOrders: [s('acme-3pl', 'UNSUBMITTED')],
  },
  { label: 'service FO submitted', state: 'open', payment: 'PAID', fulfillmentOrders: [s('acme-3pl', 'SUBMITTED')] },
  { label: 'service FO accepted (cancel-request target)', state: 'open', payment: 'PAID', fulfillmentOrders: [s('swift-ship', 'ACCEPTED')] },
  { label: 'service FO rejected', state: 'open', payment: 'PAID', fulfillmentOrders: [s('swift-ship', 'REJECTED')] },
  { label: 'service FO cancellation requested', state: 'open', payment: 'PAID', fulfillmentOrders: [s('acme-3pl', 'CANCELLATION_REQUESTED')] },
  { label: 'service FO cancellation accepted', state: 'open', payment: 'PAID', fulfillmentOrders: [s('swift-ship', 'CANCELLATION_ACCEPTED')] },
  { label: 'service FO cancellation rejected', state: 'open', payment: 'PAID', fulfillmentOrders: [s('slow-fulfil', 'CANCELLATION_REJECTED')] },
  { label: 'on hold awaiting payment', state: 'open', payment: 'PENDING', fulfillmentOrders: [m('ON_HOLD')] },
  { label: 'scheduled pre-order', state: 'open', payment: 'PAID', fulfillmentOrders: [m('SCHEDULED')], tags: ['preorder'] },
  {
    label: 'closed, fulfilled by the merchant and a service (old)',
    state: 'closed',
    payment: 'PAID',
    fulfillmentOrders: [m('FULFILLED'), s('acme-3pl', 'FULFILLED')],
    age: 'old',
  },
  {
    label: 'cancelled, refunded and restocked (old)',
    state: 'cancelled',
    payment: 'REFUNDED',
    fulfillmentOrders: [m('OPEN'), s('swift-ship', 'UNSUBMITTED')],
    age: 'old',
  },
  { label: 'cancelled, authorization voided', state: 'cancelled', payment: 'VOIDED', fulfillmentOrders: [m('OPEN')] },
  {
    label: 'partially paid, merchant in progress + service unsubmitted',
    state: 'open',
    payment: 'PARTIALLY_PAID',
    fulfillmentOrders: [m('IN_PROGRESS'), s('slow-fulfil', 'UNSUBMITTED')],
  },
  {
    label: 'partially refunded, partially fulfilled, return requested',
    state: 'open',
    payment: 'PARTIALLY_REFUNDED',
    fulfillmentOrders: [m('FULFILLED'), m('OPEN')],
    returnStatus: 'RETURN_REQUESTED',
  },
  { label: 'closed with a return in progress', state: 'closed', payment: 'PAID', fulfillmentOrders: [m('FULFILLED')], returnStatus: 'IN_PROGRESS' },
  { label: 'authorization expired, local delivery', state: 'open', payment: 'EXPIRED', fulfillmentOrders: [m('OPEN', 'LOCAL')] },
  {
    label: 'pick-up in store + service FO submitted',
    state: 'open',
    payment: 'AUTHORIZED',
    fulfillmentOrders: [m('OPEN', 'PICK_UP'), s('swift-ship', 'SUBMITTED')],
  },
  {
    label: 'two merchant FOs in progress (pickup point + shipping)',
    state: 'open',
    payment: 'PAID',
    fulfillmentOrders: [m('IN_PROGRESS', 'PICKUP_POINT'), m('IN_PROGRESS')],
  },
  {
    label: 'accepted at two services + merchant in progress',
    state: 'open',
    payment: 'PAID',
    fulfillmentOrders: [s('acme-3pl', 'ACCEPTED'), s('swift-ship', 'ACCEPTED'), m('IN_PROGRESS')],
    tags: ['vip'],
  },
  { label: 'digital goods, no delivery', state: 'open', payment: 'PAID', fulfillmentOrders: [m('OPEN', 'NONE')] },
  { label: 'closed and fully refunded', state: 'closed', payment: 'REFUNDED', fulfillmentOrders: [m('FULFILLED')] },
  {
    label: 'unsubmitted at two services',
    state: 'open',
    payment: 'PAID',
    fulfillmentOrders: [s('swift-ship', 'UNSUBMITTED'), s('acme-3pl', 'UNSUBMITTED')],
  },
  { label: 'submitted to the slow service', state: 'open', payment: 'PAID', fulfillmentOrders: [s('slow-fulfil', 'SUBMITTED')] },
  {
    label: 'fraud hold + open FO',
    state: 'open',
    payment: 'PAID',
    fulfillmentOrders: [m('ON_HOLD'), m('OPEN')],
    tags: ['fraud-check'],
  },
  { label: 'closed point-of-sale sale', state: 'closed', payment: 'PAID', fulfillmentOrders: [m('FULFILLED', 'RETAIL')] },
  {
    label: 'partially paid, partially fulfilled, accepted at the slow service',
    state: 'open',
    payment: 'PARTIALLY_PAID',
    fulfillmentOrders: [s('slow-fulfil', 'ACCEPTED'), m('FULFILLED')],
  },
  { label: 'merchant FO in progress (old)', state: 'open', payment: 'PAID', fulfillmentOrders: [m('IN_PROGRESS')], age: 'old' },
  { label: 'authorization voided, on hold', state: 'open', payment: 'VOIDED', fulfillmentOrders: [m('ON_HOLD')] },
  {
    label: 'service FO rejected + local delivery',
    state: 'open',
    payment: 'PAID',
    fulfillmentOrders: [s('acme-3pl', 'REJECTED'), m('OPEN', 'LOCAL')],
  },
  {
    label: 'cancelled with a submitted request, refunded to store credit',
    state: 'cancelled',
    payment: 'REFUNDED',
    fulfillmentOrders: [s('acme-3pl', 'SUBMITTED')],
    customer: true,
    storeCredit: true,
  },
  { label: 'test order in progress', state: 'open', payment: 'PAID', fulfillmentOrders: [m('IN_PROGRESS')], test: true },
];

// ---------------------------------------------------------------------------------------------
// Vocabulary and weights

const FIRST_NAMES = [
  'Ada',
  'Ben',
  'Chloe',
  'Dev',
  'Elena',
  'Farah',
  'Gus',
  'Hana',
  'Ivan',
  'Jade',
  'Kofi',
  'Lena',
  'Mateo',
  'Nia',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sam',
  'Tariq',
  'Uma',
  'Viktor',
  'Wen',
  'Ximena',
  'Yusuf',
  'Zoe',
] as const;
const LAST_NAMES = [
  'Abbott',
  'Becker',
  'Costa',
  'Dubois',
  'Eriksen',
  'Fischer',
  'Garcia',
  'Haddad',
  'Ito',
  'Jensen',
  'Kowalski',
  'Lopez',
  'Moreau',
  'Nakamura',
  'Okafor',
  'Petrov',
  'Quispe',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Usman',
  'Varga',
  'Walsh',
  'Xu',
  'Yilmaz',
  'Zhang',
] as const;

const PRODUCTS = [
  'Canvas Tote',
  'Ceramic Mug',
  'Wool Beanie',
  'Linen Apron',
  'Enamel Pin Set',
  'Field Notebook',
  'Brass Pen',
  'Cotton Tee',
  'Rain Jacket',
  'Trail Socks',
  'Desk Lamp',
  'Oak Coaster Set',
  'Travel Kettle',
  'Chef Knife',
  'Cast Iron Pan',
  'Glass Carafe',
  'Yoga Mat',
  'Water Bottle',
  'Sunglasses',
  'Leather Wallet',
  'Scented Candle',
  'Puzzle 1000pc',
  'Plant Pot',
  'Gift Card Sleeve',
] as const;
const SKUS = PRODUCTS.map((_, index) => `SKU-${1001 + index * 37}`);

const TAGS = ['vip', 'wholesale', 'fraud-check', 'gift', 'preorder', 'subscription', 'priority', 'backorder', 'b2b', 'repeat'] as const;
const NOTES = ['Please gift wrap', 'Leave at the back door', 'Call before delivery', 'Deliver after 5pm'] as const;
const REQUEST_MESSAGES = ['Please ship as soon as possible', 'Fragile items, pack with care', 'Gift, no invoice in the box'] as const;
const CANCELLATION_MESSAGES = ['Customer cancelled', 'Address problem, please hold', 'Item no longer needed'] as const;
const STAFF_NOTES = ['Customer asked to cancel by email', 'Duplicate order', 'Payment flagged by the bank'] as const;

const REJECTIONS = [
  { reason: 'INVENTORY_OUT_OF_STOCK', message: 'Out of stock at our warehouse' },
  { reason: 'INCORRECT_ADDRESS', message: 'The address could not be verified' },
  { reason: 'UNDELIVERABLE_DESTINATION', message: 'We do not ship to this destination' },
  { reason: 'INELIGIBLE_PRODUCT', message: 'We do not stock this product' },
] as const;

const HOLDS_FOR_PAID: readonly Omit<HoldRecord, 'id'>[] = [
  { reason: 'HIGH_RISK_OF_FRAUD', reasonNotes: 'Verifying the billing address' },
  { reason: 'INCORRECT_ADDRESS', reasonNotes: 'Waiting for the customer to confirm the address' },
  { reason: 'INVENTORY_OUT_OF_STOCK', reasonNotes: null },
  { reason: 'OTHER', reasonNotes: 'Customer asked to delay shipping' },
];
const HOLD_FOR_UNPAID: Omit<HoldRecord, 'id'> = { reason: 'AWAITING_PAYMENT', reasonNotes: null };

interface Weighted<T> {
  readonly items: readonly T[];
  readonly cumulative: readonly number[];
  readonly total: number;
}

function weighted<T>(pairs: readonly (readonly [T, number])[]): Weighted<T> {
  let total = 0;
  const cumulative = pairs.map(([, weight]) => (total += weight));
  return { items: pairs.map(([item]) => item), cumulative, total };
}

function draw<T>(random: Random, table: Weighted<T>): T {
  const x = random() * table.total;
  let i = 0;
  while (i < table.cumulative.length - 1 && x >= table.cumulative[i]!) i++;
  return table.items[i]!;
}

function pickFrom<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** Integer in [min, max]. */
function randInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

const ORDER_STATES = weighted<SeedScenario['state']>([
  ['open', 70],
  ['closed', 20],
  ['cancelled', 10],
]);
const OPEN_PAYMENTS = weighted<PaymentKind>([
  ['PAID', 45],
  ['AUTHORIZED', 15],
  ['PENDING', 10],
  ['PARTIALLY_PAID', 8],
  ['PARTIALLY_REFUNDED', 10],
  ['REFUNDED', 3],
  ['VOIDED', 4],
  ['EXPIRED', 5],
]);
const CLOSED_PAYMENTS = weighted<PaymentKind>([
  ['PAID', 80],
  ['PARTIALLY_REFUNDED', 12],
  ['REFUNDED', 8],
]);
const CANCELLED_PAYMENTS = weighted<PaymentKind>([
  ['REFUNDED', 65],
  ['VOIDED', 35],
]);
const FO_COUNTS = weighted([
  [1, 60],
  [2, 30],
  [3, 10],
]);
const LINE_ITEM_COUNTS = weighted([
  [1, 55],
  [2, 30],
  [3, 15],
]);
const QUANTITIES = weighted([
  [1, 50],
  [2, 25],
  [3, 12],
  [4, 8],
  [5, 5],
]);
const TAG_COUNTS = weighted([
  [0, 40],
  [1, 35],
  [2, 17],
  [3, 8],
]);
const AT_SERVICE = 0.4;
const MERCHANT_KINDS = weighted<MerchantKind>([
  ['OPEN', 35],
  ['IN_PROGRESS', 30],
  ['FULFILLED', 15],
  ['ON_HOLD', 12],
  ['SCHEDULED', 8],
]);
const SERVICE_KINDS = weighted<ServiceKind>([
  ['UNSUBMITTED', 25],
  ['SUBMITTED', 15],
  ['ACCEPTED', 25],
  ['REJECTED', 8],
  ['CANCELLATION_REQUESTED', 6],
  ['CANCELLATION_ACCEPTED', 5],
  ['CANCELLATION_REJECTED', 5],
  ['FULFILLED', 11],
]);
/** Unpaid orders wait: merchant FOs open or held for payment, service FOs not yet requested. */
const UNPAID_MERCHANT_KINDS = weighted<MerchantKind>([
  ['OPEN', 50],
  ['ON_HOLD', 50],
]);
const UNPAID_SERVICE_KINDS = weighted<ServiceKind>([['UNSUBMITTED', 1]]);
/** What a cancelled order's fulfillment orders were before the cancel (nothing a service is working on). */
const BEFORE_CANCEL_MERCHANT_KINDS = weighted<MerchantKind>([
  ['OPEN', 80],
  ['ON_HOLD', 20],
]);
const BEFORE_CANCEL_SERVICE_KINDS = weighted<ServiceKind>([
  ['UNSUBMITTED', 60],
  ['SUBMITTED', 25],
  ['REJECTED', 15],
]);
const MERCHANT_DELIVERY = weighted<DeliveryMethodType>([
  ['SHIPPING', 70],
  ['PICK_UP', 12],
  ['LOCAL', 7],
  ['PICKUP_POINT', 8],
  ['NONE', 3],
]);
const SERVICE_DELIVERY = weighted<DeliveryMethodType>([
  ['SHIPPING', 90],
  ['PICKUP_POINT', 10],
]);
const SERVICES_BY_SHARE = weighted<ServiceHandle>([
  ['acme-3pl', 45],
  ['swift-ship', 35],
  ['slow-fulfil', 20],
]);
const CANCEL_REASONS = weighted<CancelReason>([
  ['CUSTOMER', 40],
  ['INVENTORY', 15],
  ['OTHER', 15],
  ['FRAUD', 10],
  ['DECLINED', 10],
  ['STAFF', 10],
]);
const RETURNS = weighted<ReturnStatus>([
  ['RETURN_REQUESTED', 50],
  ['IN_PROGRESS', 50],
]);

// ---------------------------------------------------------------------------------------------
// Generation

export function generateStore(opts: GenerateStoreOptions): StoreData {
  const { orders: count, seed } = opts;
  const nowMs = opts.now.getTime();
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`orders must be a whole number ≥ 0, got ${count}`);
  if (!Number.isFinite(nowMs)) throw new RangeError('now must be a valid date');

  const random = seededRandom(seed);
  const { locations, services } = seedLocationsAndServices();
  const customers = seedCustomers(random, count === 0 ? 0 : Math.max(1, Math.round(count / 3)));
  const builder = new OrderBuilder(random, nowMs, locations, services, customers);

  // Draft every order's creation time first so ids and names follow creation order, as on Shopify.
  const created = new Float64Array(count);
  for (let i = 0; i < count; i++) created[i] = builder.creationTime(SEED_SCENARIOS[i]);
  const sequence = Array.from({ length: count }, (_, i) => i);
  sequence.sort((a, b) => created[a]! - created[b]! || a - b);

  const orders: OrderRecord[] = new Array(count);
  for (let position = 0; position < count; position++) {
    const draft = sequence[position]!;
    const scenario = SEED_SCENARIOS[draft] ?? builder.randomScenario();
    orders[position] = builder.order(FIRST_ORDER_NUMBER + position, created[draft]!, scenario);
  }

  return {
    version: 1,
    shop: { ...DEFAULT_SHOP },
    locations,
    services,
    customers: customers.records,
    orders,
    jobs: [],
    pending: [],
    nextId: builder.nextId,
    cancelJobDelayMs: DEFAULT_CANCEL_JOB_DELAY_MS,
  };
}

function seedLocationsAndServices(): { locations: LocationRecord[]; services: FulfillmentServiceRecord[] } {
  const locations: LocationRecord[] = [
    { id: SEED_LOCATION_IDS.warehouse, name: 'Warehouse', isActive: true },
    { id: SEED_LOCATION_IDS.retail, name: 'Retail store', isActive: true },
  ];
  const services = SERVICE_DEFINITIONS.map((definition, index): FulfillmentServiceRecord => {
    const locationId = LOCATION_ID_BASE + 3 + index;
    locations.push({ id: locationId, name: definition.serviceName, isActive: true, serviceHandle: definition.handle });
    return { id: SERVICE_ID_BASE + 1 + index, ...definition, locationId, behaviour: { ...definition.behaviour } };
  });
  return { locations, services };
}

interface CustomerPool {
  records: CustomerRecord[];
  emails: string[];
}

function seedCustomers(random: Random, size: number): CustomerPool {
  const records: CustomerRecord[] = new Array(size);
  const emails: string[] = new Array(size);
  for (let i = 0; i < size; i++) {
    const first = pickFrom(random, FIRST_NAMES);
    const last = pickFrom(random, LAST_NAMES);
    records[i] = { id: CUSTOMER_ID_BASE + 1 + i, displayName: `${first} ${last}` };
    emails[i] = `${first}.${last}.${i + 1}@example.com`.toLowerCase();
  }
  return { records, emails };
}

const formatCents = (cents: number): string => {
  const whole = Math.floor(cents / 100);
  const rest = cents % 100;
  return `${whole}.${rest < 10 ? '0' : ''}${rest}`;
};

const ZERO = '0.00';

class OrderBuilder {
  nextId = FIRST_RECORD_ID;
  private readonly locationOf: Record<'warehouse' | 'retail' | ServiceHandle, number>;

  constructor(
    private readonly random: Random,
    private readonly nowMs: number,
    locations: readonly LocationRecord[],
    services: readonly FulfillmentServiceRecord[],
    private readonly customers: CustomerPool,
  ) {
    const byService = Object.fromEntries(services.map((service) => [service.handle, service.locationId]));
    this.locationOf = {
      warehouse: locations[0]!.id,
      retail: locations[1]!.id,
      'acme-3pl': byService['acme-3pl']!,
      'swift-ship': byService['swift-ship']!,
      'slow-fulfil': byService['slow-fulfil']!,
    };
  }

  /** Scenarios land in the last 55 days (inside the default 60-day window) unless 'old'; random mixes anywhere in 120. */
  creationTime(scenario: SeedScenario | undefined): number {
    const r = this.random();
    const daysAgo = !scenario ? r * HISTORY_DAYS : scenario.age === 'old' ? 65 + r * (HISTORY_DAYS - 65) : 0.1 + r * 55;
    return Math.floor(this.nowMs - daysAgo * DAY_MS);
  }

  randomScenario(): SeedScenario {
    const random = this.random;
    const state = draw(random, ORDER_STATES);
    const payment = draw(random, state === 'open' ? OPEN_PAYMENTS : state === 'closed' ? CLOSED_PAYMENTS : CANCELLED_PAYMENTS);
    const unpaid = payment === 'PENDING' || payment === 'VOIDED' || payment === 'EXPIRED';
    const fulfillmentOrders: FoPlan[] = [];
    const foCount = draw(random, FO_COUNTS);
    for (let i = 0; i < foCount; i++) {
      const atService = random() < AT_SERVICE;
      if (atService) {
        const kinds = state === 'closed' ? null : state === 'cancelled' ? BEFORE_CANCEL_SERVICE_KINDS : unpaid ? UNPAID_SERVICE_KINDS : SERVICE_KINDS;
        fulfillmentOrders.push(s(draw(random, SERVICES_BY_SHARE), kinds ? draw(random, kinds) : 'FULFILLED', draw(random, SERVICE_DELIVERY)));
      } else {
        const kinds =
          state === 'closed' ? null : state === 'cancelled' ? BEFORE_CANCEL_MERCHANT_KINDS : unpaid ? UNPAID_MERCHANT_KINDS : MERCHANT_KINDS;
        const delivery = draw(random, MERCHANT_DELIVERY);
        const at = delivery === 'PICK_UP' || random() < 0.85 ? undefined : 'retail';
        fulfillmentOrders.push(m(kinds ? draw(random, kinds) : 'FULFILLED', delivery, at));
      }
    }
    const anyFulfilled = fulfillmentOrders.some((plan) => ('merchant' in plan ? plan.merchant : plan.service) === 'FULFILLED');
    const returnable = anyFulfilled && state !== 'cancelled' && (payment === 'PAID' || payment === 'PARTIALLY_REFUNDED');
    const scenario: SeedScenario = { label: 'random', state, payment, fulfillmentOrders };
    if (returnable && random() < 0.1) scenario.returnStatus = draw(random, RETURNS);
    if (random() < 0.03) scenario.test = true;
    if ((payment === 'REFUNDED' || payment === 'PARTIALLY_REFUNDED') && random() < 0.2) scenario.storeCredit = true;
    return scenario;
  }

  order(number: number, createdMs: number, scenario: SeedScenario): OrderRecord {
    const random = this.random;
    const createdAt = new Date(createdMs).toISOString();
    const withCustomer = this.customers.records.length > 0 && (scenario.customer ?? (scenario.storeCredit === true || random() >= 0.1));
    const customerIndex = withCustomer ? Math.floor(random() * this.customers.records.length) : -1;
    const totalCents = randInt(random, 1000, 50_000);
    const unpaid = scenario.payment === 'PENDING' || scenario.payment === 'VOIDED' || scenario.payment === 'EXPIRED';

    const fulfillmentOrders: FulfillmentOrderRecord[] = [];
    let lastChange = createdMs;
    for (const plan of scenario.fulfillmentOrders) {
      const fo = 'merchant' in plan ? this.merchantFo(plan, createdMs, unpaid) : this.serviceFo(plan, createdMs);
      fulfillmentOrders.push(fo);
      lastChange = Math.max(lastChange, Date.parse(fo.updatedAt));
    }

    const order: OrderRecord = {
      id: ORDER_ID_BASE + number,
      name: `#${number}`,
      email: customerIndex >= 0 ? this.customers.emails[customerIndex]! : null,
      customerId: customerIndex >= 0 ? this.customers.records[customerIndex]!.id : null,
      createdAt,
      updatedAt: createdAt,
      processedAt: createdAt,
      tags: scenario.tags ? [...scenario.tags] : this.tags(),
      note: random() < 0.1 ? pickFrom(random, NOTES) : null,
      test: scenario.test ?? false,
      currencyCode: DEFAULT_SHOP.currencyCode,
      totalPrice: formatCents(totalCents),
      payment: this.payment(scenario.payment, totalCents, scenario.storeCredit === true),
      returnStatus: scenario.returnStatus ?? 'NO_RETURN',
      cancelledAt: null,
      cancelReason: null,
      closedAt: null,
      staffNote: null,
      restockedQuantity: 0,
      fulfillmentOrders,
    };

    if (scenario.state === 'closed') {
      order.closedAt = new Date(this.later(lastChange, 0.1)).toISOString();
      lastChange = Date.parse(order.closedAt);
    } else if (scenario.state === 'cancelled') {
      lastChange = this.cancel(order, lastChange);
    }
    order.updatedAt = new Date(lastChange).toISOString();
    return order;
  }

  /** A time between `from` and now, at most `share` of the way. */
  private later(from: number, share: number): number {
    return from + Math.floor((this.nowMs - from) * share * this.random());
  }

  private tags(): string[] {
    const count = draw(this.random, TAG_COUNTS);
    const tags: string[] = [];
    while (tags.length < count) {
      const tag = pickFrom(this.random, TAGS);
      if (!tags.includes(tag)) tags.push(tag);
    }
    return tags;
  }

  private payment(kind: PaymentKind, totalCents: number, storeCredit: boolean): Payment {
    const total = formatCents(totalCents);
    const none = { authorized: ZERO, captured: ZERO, refunded: ZERO, refundedToStoreCredit: ZERO };
    switch (kind) {
      case 'PENDING':
        return { state: 'pending', ...none };
      case 'AUTHORIZED':
        return { state: 'authorized', ...none, authorized: total };
      case 'VOIDED':
        return { state: 'voided', ...none, authorized: total };
      case 'EXPIRED':
        return { state: 'expired', ...none, authorized: total };
      case 'PAID':
        return { state: 'captured', ...none, captured: total };
      case 'PARTIALLY_PAID':
        return { state: 'captured', ...none, captured: formatCents(randInt(this.random, Math.ceil(totalCents / 10), totalCents - 1)) };
      case 'PARTIALLY_REFUNDED':
      case 'REFUNDED': {
        const refunded = formatCents(kind === 'REFUNDED' ? totalCents : randInt(this.random, 1, totalCents - 1));
        return { state: 'captured', ...none, captured: total, refunded, refundedToStoreCredit: storeCredit ? refunded : ZERO };
      }
    }
  }

  private lineItems(fulfilled: boolean): LineItemRecord[] {
    const count = draw(this.random, LINE_ITEM_COUNTS);
    const items: LineItemRecord[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const product = Math.floor(this.random() * PRODUCTS.length);
      const quantity = draw(this.random, QUANTITIES);
      items[i] = { id: this.nextId++, sku: SKUS[product]!, title: PRODUCTS[product]!, quantity, remaining: fulfilled ? 0 : quantity };
    }
    return items;
  }

  private merchantFo(plan: Extract<FoPlan, { merchant: MerchantKind }>, createdMs: number, unpaid: boolean): FulfillmentOrderRecord {
    const random = this.random;
    const kind = plan.merchant;
    const id = this.nextId++;
    const lineItems = this.lineItems(kind === 'FULFILLED');
    const createdAt = new Date(createdMs).toISOString();
    let updatedMs = createdMs;
    let fulfillAt: string | null = null;
    const holds: HoldRecord[] = [];
    if (kind === 'IN_PROGRESS' || kind === 'ON_HOLD') updatedMs = this.later(createdMs, 0.3);
    else if (kind === 'FULFILLED') updatedMs = this.later(createdMs, 0.5);
    if (kind === 'SCHEDULED') fulfillAt = new Date(this.nowMs + randInt(random, 1, 30) * DAY_MS).toISOString();
    if (kind === 'ON_HOLD') holds.push({ id: this.nextId++, ...(unpaid ? HOLD_FOR_UNPAID : pickFrom(random, HOLDS_FOR_PAID)) });
    const fo: FulfillmentOrderRecord = {
      id,
      status: kind === 'FULFILLED' ? 'CLOSED' : kind,
      requestStatus: 'UNSUBMITTED',
      locationId: this.locationOf[plan.at],
      deliveryMethod: plan.delivery,
      progressReported: kind === 'IN_PROGRESS',
      fulfillAt,
      holds,
      lineItems,
      merchantRequests: [],
      createdAt,
      updatedAt: new Date(updatedMs).toISOString(),
    };
    if (kind === 'FULFILLED') fo.closedReason = 'fulfilled';
    return fo;
  }

  private serviceFo(plan: Extract<FoPlan, { service: ServiceKind }>, createdMs: number): FulfillmentOrderRecord {
    const random = this.random;
    const kind = plan.service;
    const id = this.nextId++;
    const lineItems = this.lineItems(kind === 'FULFILLED');
    const requests: MerchantRequestRecord[] = [];
    let status: FulfillmentOrderRecord['status'] = 'OPEN';
    let requestStatus: FulfillmentOrderRecord['requestStatus'] = 'UNSUBMITTED';
    let at = createdMs;

    if (kind !== 'UNSUBMITTED') {
      at = this.later(at, 0.3);
      const request = this.request('FULFILLMENT_REQUEST', at);
      requests.push(request);
      requestStatus = 'SUBMITTED';
      if (kind !== 'SUBMITTED') {
        at = this.later(at, 0.2);
        if (kind === 'REJECTED') {
          const rejection = pickFrom(random, REJECTIONS);
          request.responseData = { answer: 'rejectFulfillment', message: rejection.message, reason: rejection.reason };
          requestStatus = 'REJECTED';
        } else {
          request.responseData = { answer: 'acceptFulfillment', message: random() < 0.5 ? 'Accepted' : null };
          status = 'IN_PROGRESS';
          requestStatus = 'ACCEPTED';
        }
      }
      if (kind.startsWith('CANCELLATION_')) {
        at = this.later(at, 0.3);
        const cancellation = this.request('CANCELLATION_REQUEST', at);
        requests.push(cancellation);
        requestStatus = 'CANCELLATION_REQUESTED';
        if (kind === 'CANCELLATION_ACCEPTED') {
          at = this.later(at, 0.2);
          cancellation.responseData = { answer: 'acceptCancellation', message: null };
          status = 'CANCELLED';
          requestStatus = 'CANCELLATION_ACCEPTED';
        } else if (kind === 'CANCELLATION_REJECTED') {
          at = this.later(at, 0.2);
          cancellation.responseData = { answer: 'rejectCancellation', message: 'Already packed' };
          requestStatus = 'CANCELLATION_REJECTED';
        }
      }
      if (kind === 'FULFILLED') {
        at = this.later(at, 0.3);
        status = 'CLOSED';
      }
    }

    const fo: FulfillmentOrderRecord = {
      id,
      status,
      requestStatus,
      locationId: this.locationOf[plan.at],
      deliveryMethod: plan.delivery,
      progressReported: false,
      fulfillAt: null,
      holds: [],
      lineItems,
      merchantRequests: requests,
      createdAt: new Date(createdMs).toISOString(),
      updatedAt: new Date(at).toISOString(),
    };
    if (kind === 'FULFILLED') fo.closedReason = 'fulfilled';
    return fo;
  }

  private request(kind: MerchantRequestRecord['kind'], sentMs: number): MerchantRequestRecord {
    const random = this.random;
    const fulfillment = kind === 'FULFILLMENT_REQUEST';
    const messages = fulfillment ? REQUEST_MESSAGES : CANCELLATION_MESSAGES;
    return {
      id: this.nextId++,
      kind,
      message: random() < 0.5 ? pickFrom(random, messages) : null,
      requestOptions: fulfillment ? { notify_customer: random() < 0.7 } : {},
      responseData: null,
      sentAt: new Date(sentMs).toISOString(),
    };
  }

  /** Applies a finished orderCancel job as order-cancel.ts does; returns the time it happened. */
  private cancel(order: OrderRecord, lastChange: number): number {
    const random = this.random;
    const cancelledMs = this.later(lastChange, 0.3);
    const cancelledAt = new Date(cancelledMs).toISOString();
    const restock = random() < 0.7;
    for (const fo of order.fulfillmentOrders) {
      if (fo.status === 'CLOSED' || fo.status === 'CANCELLED') continue;
      if (restock) for (const item of fo.lineItems) order.restockedQuantity += item.remaining;
      fo.status = 'CLOSED';
      fo.closedReason = 'order-cancelled';
      if (fo.requestStatus === 'SUBMITTED') fo.requestStatus = 'CLOSED';
      fo.updatedAt = cancelledAt;
    }
    order.cancelledAt = cancelledAt;
    order.cancelReason = draw(random, CANCEL_REASONS);
    order.closedAt = cancelledAt;
    order.staffNote = random() < 0.3 ? pickFrom(random, STAFF_NOTES) : null;
    return cancelledMs;
  }
}
