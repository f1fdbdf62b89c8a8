// What the three fulfillment-order actions (mark-open, request-fulfillment, cancel-request) share:
// the lookup of each order's fulfillment orders, reading their state back, reading the mutations'
// plain UserErrors, and counting what a selection holds per service. Eligibility is always the
// fulfillment order's own supportedActions (docs/shopify-behaviour.md#supported-actions).
import {
  FULFILLMENT_ORDER_STATES,
  FULFILLMENT_ORDERS_EXPORT,
  FULFILLMENT_ORDERS_LOOKUP,
  FULFILLMENT_REQUEST_STATES,
} from '../shopify/documents/fulfillment-orders.js';
import {
  count,
  type Decision,
  type Lookup,
  type OrderSnapshot,
  type Readback,
  type Refinement,
  type StepAnswer,
  type Tally,
  type Verification,
} from './action.js';
import { isRecord } from '../util/is-record.js';

export interface FulfillmentOrderFacts {
  id: string;
  status: string;
  requestStatus: string;
  supportedActions: ReadonlySet<string>;
  /** DeliveryMethodType, e.g. SHIPPING; null when Shopify gave none. */
  method: string | null;
  /** The fulfillment service's handle; null at a merchant-managed location. */
  service: string | null;
  /** The latest fulfillment request's id (null: none), when the lookup read requests. */
  lastRequestId?: string | null;
}

export interface FulfillmentOrdersSnapshot extends OrderSnapshot {
  cancelledAt: string | null;
  fulfillmentOrders: FulfillmentOrderFacts[];
  /** Shopify had more fulfillment orders than one lookup reads. */
  truncated: boolean;
  /** What Shopify's answer left out (no fulfillment orders connection, a null one): nothing is decided on guesswork. */
  unreadable?: string;
}

/** A step on one fulfillment order. */
export interface FulfillmentOrderStep {
  fo: string;
}

const LOOKUP_PAGE = 10;
// Requested cost of one order in FULFILLMENT_ORDERS_LOOKUP, as the sandbox's calculator (which follows
// Shopify's) prices it: ten fulfillment orders with their nested objects. Actual cost is far lower.
// test/sandbox/document-costs.test.ts holds it (and every other figure) to that calculator.
const COST_PER_ORDER = 63;

/** The lookup of the fulfillment-order actions; `refine` adds what one of them needs beyond it. */
export function fulfillmentOrdersLookup(refine?: Refinement<FulfillmentOrdersSnapshot>): Lookup<FulfillmentOrdersSnapshot> {
  return {
    document: { text: FULFILLMENT_ORDERS_LOOKUP, costPerOrder: COST_PER_ORDER },
    variables: () => ({}),
    parse: parseOrder,
    export: { template: FULFILLMENT_ORDERS_EXPORT, children: 'fulfillmentOrders' },
    ...(refine ? { refine } : {}),
  };
}

/** The latest fulfillment request of the fulfillment orders `which` picks, merged into the snapshot. */
export function latestRequests(which: (fo: FulfillmentOrderFacts) => boolean): Refinement<FulfillmentOrdersSnapshot> {
  return {
    document: { text: FULFILLMENT_REQUEST_STATES, costPerNode: 4 },
    targets: (order) => order.fulfillmentOrders.filter(which).map((fo) => fo.id),
    merge(order, nodes) {
      const latest = new Map(
        nodes
          .map(parseFulfillmentOrder)
          .filter((fo) => fo !== null)
          .map((fo) => [fo.id, fo.lastRequestId]),
      );
      return {
        ...order,
        fulfillmentOrders: order.fulfillmentOrders.map((fo) => (latest.has(fo.id) ? { ...fo, lastRequestId: latest.get(fo.id) } : fo)),
      };
    },
  };
}

/** Reads one fulfillment order back (with its latest request, if asked); `verify` sees its parsed facts (null when it is gone). */
export function fulfillmentOrderReadback<Step extends FulfillmentOrderStep>(
  verify: (fo: FulfillmentOrderFacts | null, step: Step) => Verification,
  withRequests = false,
): Readback<Step> {
  return {
    document: { text: withRequests ? FULFILLMENT_REQUEST_STATES : FULFILLMENT_ORDER_STATES, costPerNode: withRequests ? 4 : 1 },
    target: (step) => step.fo,
    verify: (node, step) => verify(parseFulfillmentOrder(node), step),
  };
}

/** A fulfillment-order mutation's answer: plain UserErrors (no codes), else applied. */
export function readFulfillmentOrderAnswer(rootField: string, data: unknown): StepAnswer {
  const payload = isRecord(data) && isRecord(data[rootField]) ? data[rootField] : null;
  if (!payload) return { kind: 'unreadable', message: `Shopify returned no ${rootField} payload` };
  const errors = Array.isArray(payload.userErrors) ? payload.userErrors.filter(isRecord) : [];
  if (errors.length) {
    return { kind: 'rejected', reason: 'rejected', message: errors.map((e) => String(e.message ?? '')).join('; '), code: null };
  }
  return { kind: 'applied' };
}

/** The decision shared by every action before its own: orders it can never act on. */
export function unworkable(order: FulfillmentOrdersSnapshot): Decision<never> | null {
  if (order.cancelledAt) return { kind: 'skip', reason: 'order-cancelled', message: `the order was cancelled at ${order.cancelledAt}` };
  if (order.unreadable) {
    return { kind: 'skip', reason: 'unknown-state', message: `Shopify's answer had ${order.unreadable}; not acted on by guesswork` };
  }
  if (order.truncated) {
    return { kind: 'skip', reason: 'too-many-fulfillment-orders', message: `more than ${LOOKUP_PAGE} fulfillment orders; act on it in the admin` };
  }
  if (order.fulfillmentOrders.length === 0) return { kind: 'skip', reason: 'no-fulfillment-orders', message: 'it has no fulfillment orders' };
  return null;
}

/**
 * The fulfillment orders at the chosen services, or why there are none: the order is fulfilled from
 * the merchant's own locations (`merchantOnly` says it in the action's words), or by other services.
 */
export function atChosenServices(
  order: FulfillmentOrdersSnapshot,
  services: readonly string[],
  merchantOnly: string,
): { chosen: FulfillmentOrderFacts[] } | { skip: Decision<never> } {
  const atServices = order.fulfillmentOrders.filter((fo) => fo.service !== null);
  if (atServices.length === 0) return { skip: { kind: 'skip', reason: 'merchant-managed', message: merchantOnly } };
  const chosen = atServices.filter((fo) => services.includes(fo.service!));
  if (chosen.length > 0) return { chosen };
  const elsewhere = describeServices([...new Set(atServices.map((fo) => fo.service!))]);
  return { skip: { kind: 'skip', reason: 'service-not-chosen', message: `nothing at ${describeServices(services)}; it is at ${elsewhere}` } };
}

/** What the actions at fulfillment services survey: fulfillment orders they could act on, per service handle. */
export interface ServicesSurvey {
  services?: Tally;
}

/** Counts, per service, the fulfillment orders an action could act on. */
export function surveyServices(order: FulfillmentOrdersSnapshot, survey: ServicesSurvey, actionable: (fo: FulfillmentOrderFacts) => boolean): void {
  if (order.cancelledAt) return;
  for (const fo of order.fulfillmentOrders) if (fo.service !== null && actionable(fo)) count((survey.services ??= {}), fo.service);
}

export const describeServices = (services: readonly string[]) => services.map((s) => `\`${s}\``).join(', ');

function parseOrder(node: unknown): FulfillmentOrdersSnapshot | null {
  if (!isRecord(node) || typeof node.id !== 'string' || !node.id.startsWith('gid://shopify/Order/')) return null;
  const connection = isRecord(node.fulfillmentOrders) ? node.fulfillmentOrders : {};
  const nodes = Array.isArray(connection.nodes) ? connection.nodes : null;
  const fulfillmentOrders = (nodes ?? []).map(parseFulfillmentOrder).filter((fo): fo is FulfillmentOrderFacts => fo !== null);
  const unreadable =
    nodes === null ? 'no fulfillment orders list' : fulfillmentOrders.length < nodes.length ? 'a fulfillment order without an id' : null;
  return {
    id: node.id,
    name: typeof node.name === 'string' ? node.name : node.id,
    cancelledAt: typeof node.cancelledAt === 'string' ? node.cancelledAt : null,
    fulfillmentOrders,
    truncated: isRecord(connection.pageInfo) && connection.pageInfo.hasNextPage === true,
    ...(unreadable ? { unreadable } : {}),
  };
}

function parseFulfillmentOrder(node: unknown): FulfillmentOrderFacts | null {
  if (!isRecord(node) || typeof node.id !== 'string') return null;
  const actions = Array.isArray(node.supportedActions) ? node.supportedActions.filter(isRecord).map((a) => String(a.action)) : [];
  const location = isRecord(node.assignedLocation) && isRecord(node.assignedLocation.location) ? node.assignedLocation.location : null;
  const service = location && isRecord(location.fulfillmentService) ? location.fulfillmentService.handle : null;
  return {
    id: node.id,
    status: String(node.status),
    requestStatus: String(node.requestStatus),
    supportedActions: new Set(actions),
    method: isRecord(node.deliveryMethod) && typeof node.deliveryMethod.methodType === 'string' ? node.deliveryMethod.methodType : null,
    // A location that is a service but hides its handle still is a service.
    service: typeof service === 'string' ? service : location?.isFulfillmentService === true ? 'unknown-service' : null,
    ...(isRecord(node.merchantRequests) ? { lastRequestId: latestRequestId(node.merchantRequests) } : {}),
  };
}

function latestRequestId(connection: Record<string, unknown>): string | null {
  const latest = Array.isArray(connection.nodes) ? connection.nodes.filter(isRecord).at(-1) : undefined;
  return typeof latest?.id === 'string' ? latest.id : null;
}
