// Everything Shopify computes from an order's state rather than storing: the supported actions of a
// fulfillment order, and the order's display statuses. Kept pure so the state machine, the resolvers
// and the search filter all agree. Sources: docs/shopify-behaviour.md#supported-actions, #service-request-lifecycle; choices where the docs are
// silent are listed in the README's sandbox section.
import type { FulfillmentOrderRecord, OrderRecord, Payment } from './model.js';

export type FulfillmentOrderAction =
  | 'CANCEL_FULFILLMENT_ORDER'
  | 'CREATE_FULFILLMENT'
  | 'EXTERNAL'
  | 'HOLD'
  | 'MARK_AS_OPEN'
  | 'MERGE'
  | 'MOVE'
  | 'RELEASE_HOLD'
  | 'REPORT_PROGRESS'
  | 'REQUEST_CANCELLATION'
  | 'REQUEST_FULFILLMENT'
  | 'SPLIT';

/** The server's own eligibility list for a fulfillment order (`FulfillmentOrder.supportedActions`). */
export function supportedActions(fo: FulfillmentOrderRecord, atService: boolean): FulfillmentOrderAction[] {
  switch (fo.status) {
    case 'SCHEDULED':
      return ['MARK_AS_OPEN'];
    case 'ON_HOLD':
      return ['RELEASE_HOLD'];
    case 'CLOSED':
    case 'INCOMPLETE':
      return [];
    default:
      return atService ? serviceActions(fo) : merchantActions(fo);
  }
}

function merchantActions(fo: FulfillmentOrderRecord): FulfillmentOrderAction[] {
  if (fo.status === 'IN_PROGRESS') return ['CREATE_FULFILLMENT', 'REPORT_PROGRESS', 'MARK_AS_OPEN', 'HOLD'];
  if (fo.status === 'OPEN') return ['CREATE_FULFILLMENT', 'REPORT_PROGRESS', 'HOLD', 'MOVE'];
  return [];
}

// The documented example payloads for each step of the request lifecycle (docs/shopify-behaviour.md#service-request-lifecycle).
function serviceActions(fo: FulfillmentOrderRecord): FulfillmentOrderAction[] {
  switch (`${fo.status}/${fo.requestStatus}`) {
    case 'OPEN/UNSUBMITTED':
      return ['REQUEST_FULFILLMENT', 'CREATE_FULFILLMENT', 'HOLD', 'MOVE'];
    case 'OPEN/SUBMITTED':
      return ['CANCEL_FULFILLMENT_ORDER'];
    case 'OPEN/REJECTED':
      return ['REQUEST_FULFILLMENT', 'CREATE_FULFILLMENT', 'HOLD', 'SPLIT'];
    case 'IN_PROGRESS/ACCEPTED':
      return ['CREATE_FULFILLMENT', 'REQUEST_CANCELLATION'];
    case 'IN_PROGRESS/CANCELLATION_REQUESTED':
      return ['CREATE_FULFILLMENT', 'CANCEL_FULFILLMENT_ORDER'];
    case 'IN_PROGRESS/CANCELLATION_REJECTED':
      return ['CREATE_FULFILLMENT'];
    case 'CANCELLED/CANCELLATION_ACCEPTED':
      return ['REQUEST_FULFILLMENT', 'CREATE_FULFILLMENT', 'HOLD'];
    default:
      return [];
  }
}

export type DisplayFinancialStatus = 'AUTHORIZED' | 'EXPIRED' | 'PAID' | 'PARTIALLY_PAID' | 'PARTIALLY_REFUNDED' | 'PENDING' | 'REFUNDED' | 'VOIDED';

const cents = (amount: string): number => Math.round(Number(amount) * 100);

export function displayFinancialStatus(payment: Payment, totalPrice: string): DisplayFinancialStatus {
  const captured = cents(payment.captured);
  const refunded = cents(payment.refunded);
  switch (payment.state) {
    case 'pending':
      return 'PENDING';
    case 'authorized':
      return 'AUTHORIZED';
    case 'voided':
      return 'VOIDED';
    case 'expired':
      return 'EXPIRED';
    case 'captured':
      if (refunded > 0 && refunded >= captured) return 'REFUNDED';
      if (refunded > 0) return 'PARTIALLY_REFUNDED';
      return captured < cents(totalPrice) ? 'PARTIALLY_PAID' : 'PAID';
  }
}

/** Money that could still be refunded: captured and not yet refunded. */
export function refundableAmount(payment: Payment): number {
  return payment.state === 'captured' ? Math.max(0, cents(payment.captured) - cents(payment.refunded)) / 100 : 0;
}

export type DisplayFulfillmentStatus =
  'FULFILLED' | 'FULFILLMENT_NOT_REQUIRED' | 'IN_PROGRESS' | 'ON_HOLD' | 'PARTIALLY_FULFILLED' | 'REQUEST_DECLINED' | 'SCHEDULED' | 'UNFULFILLED';

/** Fulfillment orders that still have work to do (not closed, not cancelled). */
export function activeFulfillmentOrders(order: OrderRecord): FulfillmentOrderRecord[] {
  return order.fulfillmentOrders.filter((fo) => fo.status !== 'CLOSED' && fo.status !== 'CANCELLED');
}

export function displayFulfillmentStatus(order: OrderRecord): DisplayFulfillmentStatus {
  const fulfilled = order.fulfillmentOrders.some((fo) => fo.closedReason === 'fulfilled');
  const active = activeFulfillmentOrders(order);
  if (active.length === 0) return fulfilled ? 'FULFILLED' : 'UNFULFILLED';
  if (fulfilled) return 'PARTIALLY_FULFILLED';
  if (active.some((fo) => fo.requestStatus === 'REJECTED')) return 'REQUEST_DECLINED';
  if (active.every((fo) => fo.status === 'ON_HOLD')) return 'ON_HOLD';
  if (active.every((fo) => fo.status === 'SCHEDULED')) return 'SCHEDULED';
  // "Every item was either sent to a service as a request, or marked in progress."
  const inProgress = (fo: FulfillmentOrderRecord) => fo.status === 'IN_PROGRESS' || fo.requestStatus === 'SUBMITTED';
  if (active.every(inProgress)) return 'IN_PROGRESS';
  return 'UNFULFILLED';
}

/** The values of the orders search filter `fulfillment_status` that an order matches (docs/shopify-behaviour.md#orders-search-filters). */
export function fulfillmentStatusFilterValues(order: OrderRecord): string[] {
  switch (displayFulfillmentStatus(order)) {
    case 'FULFILLED':
      return ['shipped', 'fulfilled'];
    case 'PARTIALLY_FULFILLED':
      return ['partial', 'unshipped'];
    case 'REQUEST_DECLINED':
      return ['request_declined', 'unfulfilled', 'unshipped'];
    case 'ON_HOLD':
      return ['on_hold', 'unfulfilled', 'unshipped'];
    case 'SCHEDULED':
      return ['scheduled', 'unfulfilled', 'unshipped'];
    default:
      return ['unfulfilled', 'unshipped'];
  }
}

export function orderStatus(order: OrderRecord): 'open' | 'closed' | 'cancelled' {
  if (order.cancelledAt) return 'cancelled';
  return order.closedAt ? 'closed' : 'open';
}
