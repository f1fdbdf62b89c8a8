// Plain snapshot objects for the fulfillment-order actions' pure functions: what the lookup would
// have parsed, built field by field so each test says only what matters to it.
import type { FulfillmentOrderFacts, FulfillmentOrdersSnapshot } from '../../../src/actions/fulfillment-orders.js';
import { ACME, BETA } from '../../helpers/store-builder.js';

let next = 1;

/** A fulfillment order; `actions` are its supportedActions. Defaults: merchant-managed, OPEN/UNSUBMITTED, SHIPPING. */
export function facts(overrides: Partial<Omit<FulfillmentOrderFacts, 'supportedActions'>> & { actions?: string[] } = {}): FulfillmentOrderFacts {
  const { actions = [], ...rest } = overrides;
  return {
    id: `gid://shopify/FulfillmentOrder/${next++}`,
    status: 'OPEN',
    requestStatus: 'UNSUBMITTED',
    method: 'SHIPPING',
    service: null,
    ...rest,
    supportedActions: new Set(actions),
  };
}

/** An order with these fulfillment orders. */
export function snapshot(fulfillmentOrders: FulfillmentOrderFacts[], overrides: Partial<FulfillmentOrdersSnapshot> = {}): FulfillmentOrdersSnapshot {
  const id = next++;
  return { id: `gid://shopify/Order/${id}`, name: `#${id}`, cancelledAt: null, fulfillmentOrders, truncated: false, ...overrides };
}

// The states Shopify documents, with their supportedActions (docs/shopify-behaviour.md#supported-actions, #service-request-lifecycle).
export const merchant = {
  inProgress: (o: Partial<FulfillmentOrderFacts> = {}) =>
    facts({ status: 'IN_PROGRESS', actions: ['CREATE_FULFILLMENT', 'REPORT_PROGRESS', 'MARK_AS_OPEN', 'HOLD'], ...o }),
  open: (o: Partial<FulfillmentOrderFacts> = {}) =>
    facts({ status: 'OPEN', actions: ['CREATE_FULFILLMENT', 'REPORT_PROGRESS', 'HOLD', 'MOVE'], ...o }),
  scheduled: (o: Partial<FulfillmentOrderFacts> = {}) => facts({ status: 'SCHEDULED', actions: ['MARK_AS_OPEN'], ...o }),
  onHold: (o: Partial<FulfillmentOrderFacts> = {}) => facts({ status: 'ON_HOLD', actions: ['RELEASE_HOLD'], ...o }),
  closed: (o: Partial<FulfillmentOrderFacts> = {}) => facts({ status: 'CLOSED', actions: [], ...o }),
};

export { ACME, BETA };

export const atService = {
  unsubmitted: (service = ACME, o: Partial<FulfillmentOrderFacts> = {}) =>
    facts({ service, status: 'OPEN', requestStatus: 'UNSUBMITTED', actions: ['REQUEST_FULFILLMENT', 'CREATE_FULFILLMENT', 'HOLD', 'MOVE'], ...o }),
  submitted: (service = ACME, o: Partial<FulfillmentOrderFacts> = {}) =>
    facts({ service, status: 'OPEN', requestStatus: 'SUBMITTED', actions: ['CANCEL_FULFILLMENT_ORDER'], ...o }),
  accepted: (service = ACME, o: Partial<FulfillmentOrderFacts> = {}) =>
    facts({ service, status: 'IN_PROGRESS', requestStatus: 'ACCEPTED', actions: ['CREATE_FULFILLMENT', 'REQUEST_CANCELLATION'], ...o }),
  rejected: (service = ACME, o: Partial<FulfillmentOrderFacts> = {}) =>
    facts({ service, status: 'OPEN', requestStatus: 'REJECTED', actions: ['REQUEST_FULFILLMENT', 'CREATE_FULFILLMENT', 'HOLD', 'SPLIT'], ...o }),
  cancellationRequested: (service = ACME, o: Partial<FulfillmentOrderFacts> = {}) =>
    facts({
      service,
      status: 'IN_PROGRESS',
      requestStatus: 'CANCELLATION_REQUESTED',
      actions: ['CREATE_FULFILLMENT', 'CANCEL_FULFILLMENT_ORDER'],
      ...o,
    }),
  cancellationAccepted: (service = ACME, o: Partial<FulfillmentOrderFacts> = {}) =>
    facts({
      service,
      status: 'CANCELLED',
      requestStatus: 'CANCELLATION_ACCEPTED',
      actions: ['REQUEST_FULFILLMENT', 'CREATE_FULFILLMENT', 'HOLD'],
      ...o,
    }),
  cancellationRejected: (service = ACME, o: Partial<FulfillmentOrderFacts> = {}) =>
    facts({ service, status: 'IN_PROGRESS', requestStatus: 'CANCELLATION_REJECTED', actions: ['CREATE_FULFILLMENT'], ...o }),
  /** The original of a withdrawn request (fulfillmentOrderCancel closes it and makes a replacement). */
  closed: (service = ACME, o: Partial<FulfillmentOrderFacts> = {}) =>
    facts({ service, status: 'CLOSED', requestStatus: 'CLOSED', actions: [], ...o }),
  onHold: (service = ACME, o: Partial<FulfillmentOrderFacts> = {}) => facts({ service, status: 'ON_HOLD', actions: ['RELEASE_HOLD'], ...o }),
};

/** A FulfillmentOrder node as the lookup / read-back documents return it. */
export function foNode(
  overrides: {
    id?: string;
    status?: string;
    requestStatus?: string;
    /** The latest fulfillment request's id, as the request read-back reads it (absent: not read). */
    lastRequestId?: string | null;
    actions?: string[];
    methodType?: string | null;
    service?: string | null;
    isFulfillmentService?: boolean;
  } = {},
): Record<string, unknown> {
  const service = overrides.service ?? null;
  return {
    id: overrides.id ?? `gid://shopify/FulfillmentOrder/${next++}`,
    status: overrides.status ?? 'OPEN',
    requestStatus: overrides.requestStatus ?? 'UNSUBMITTED',
    ...(overrides.lastRequestId !== undefined
      ? { merchantRequests: { nodes: overrides.lastRequestId ? [{ id: overrides.lastRequestId }] : [] } }
      : {}),
    supportedActions: (overrides.actions ?? []).map((action) => ({ action })),
    deliveryMethod: overrides.methodType === null ? null : { methodType: overrides.methodType ?? 'SHIPPING' },
    assignedLocation: {
      location: {
        isFulfillmentService: overrides.isFulfillmentService ?? service !== null,
        fulfillmentService: service === null ? null : { handle: service },
      },
    },
  };
}
