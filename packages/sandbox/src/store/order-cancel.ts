// orderCancel: validated synchronously, applied by a background job that finishes after the store's
// cancelJobDelayMs (docs/shopify-behaviour.md#order-cancel-is-a-job). The job re-checks the order when it runs, so two jobs for
// one order cancel (and refund) it once: the second fails with INVALID.
import { displayFinancialStatus, activeFulfillmentOrders } from './derive.js';
import type { CancelReason, JobRecord, OrderRecord, PendingEvent } from './model.js';
import { fail, type Outcome, type SandboxStore } from './store.js';

export interface CancelArgs {
  orderId: number | null;
  reason: CancelReason;
  restock: boolean;
  notifyCustomer: boolean;
  refund: 'original' | 'store-credit' | null;
  storeCreditExpiresAt: string | null;
  staffNote: string | null;
}

export function requestOrderCancel(store: SandboxStore, args: CancelArgs, target: string): Outcome<JobRecord> {
  store.counters.call('orderCancel', target);
  const order = args.orderId === null ? undefined : store.order(args.orderId);
  if (!order) return fail('Order does not exist', ['orderId'], 'NOT_FOUND');
  if (order.cancelledAt) return fail('Order has already been cancelled', ['orderId'], 'INVALID');
  if (args.staffNote !== null && args.staffNote.length > 255) {
    return fail('Staff note is too long (maximum is 255 characters)', ['staffNote'], 'INVALID');
  }
  // docs/shopify-behaviour.md#cancel-restock: restocking a paid order at a deactivated location is refused.
  if (
    args.restock &&
    order.payment.state === 'captured' &&
    activeFulfillmentOrders(order).some((fo) => store.location(fo.locationId)?.isActive === false)
  ) {
    return fail('Cannot restock items at a deactivated location', ['restock'], 'INVALID');
  }
  if (args.refund === 'store-credit') {
    if (order.customerId === null) {
      return fail('Order has no customer to refund to store credit', ['refundMethod', 'storeCreditRefund'], 'STORE_CREDIT_REFUND_MISSING_CUSTOMER');
    }
    if (args.storeCreditExpiresAt !== null && Date.parse(args.storeCreditExpiresAt) <= store.now()) {
      return fail(
        'Store credit expiry date must be in the future',
        ['refundMethod', 'storeCreditRefund', 'expiresAt'],
        'STORE_CREDIT_REFUND_EXPIRATION_IN_PAST',
      );
    }
  }
  const job: JobRecord = { id: String(store.nextId()), orderId: order.id, done: false, status: 'STARTED', errors: [] };
  store.addJob(job);
  store.schedule({
    kind: 'cancel-job',
    dueAt: store.dueIn(store.data.cancelJobDelayMs),
    jobId: job.id,
    orderId: order.id,
    reason: args.reason,
    restock: args.restock,
    notifyCustomer: args.notifyCustomer,
    refund: args.refund,
    staffNote: args.staffNote,
  });
  store.changed();
  return { ok: true, value: job };
}

export function runCancelJob(store: SandboxStore, event: Extract<PendingEvent, { kind: 'cancel-job' }>): void {
  const job = store.job(event.jobId);
  const order = store.order(event.orderId);
  if (!job || !order) return;
  const problem = cancelBlocker(store, order);
  job.done = true;
  if (problem) {
    job.status = 'FAILED';
    job.errors = [{ code: 'INVALID', field: ['orderId'], message: problem }];
    return;
  }
  applyCancel(store, order, event);
  job.status = 'SUCCEEDED';
  store.counters.applied('orderCancel', store.orderGid(order));
}

function cancelBlocker(store: SandboxStore, order: OrderRecord): string | null {
  if (order.cancelledAt) return 'Order has already been cancelled';
  if (order.returnStatus === 'IN_PROGRESS' || order.returnStatus === 'RETURN_REQUESTED') {
    return 'Order has a return in progress and cannot be cancelled';
  }
  const heldByService = activeFulfillmentOrders(order).some((fo) => store.isAtService(fo) && fo.status === 'IN_PROGRESS');
  if (heldByService) return 'Order has outstanding fulfillments that cannot be cancelled';
  return null;
}

function applyCancel(store: SandboxStore, order: OrderRecord, event: Extract<PendingEvent, { kind: 'cancel-job' }>): void {
  const now = store.nowIso();
  const payment = order.payment;
  if (payment.state === 'authorized') {
    payment.state = 'voided';
  } else if (payment.state === 'captured' && event.refund !== null) {
    const status = displayFinancialStatus(payment, order.totalPrice);
    if (status !== 'REFUNDED') {
      const remaining = (Number(payment.captured) - Number(payment.refunded)).toFixed(2);
      payment.refunded = payment.captured;
      if (event.refund === 'store-credit') {
        payment.refundedToStoreCredit = (Number(payment.refundedToStoreCredit) + Number(remaining)).toFixed(2);
      }
      store.counters.refund(store.orderGid(order));
    }
  }
  for (const fo of activeFulfillmentOrders(order)) {
    if (event.restock) order.restockedQuantity += fo.lineItems.reduce((sum, item) => sum + item.remaining, 0);
    fo.status = 'CLOSED';
    fo.closedReason = 'order-cancelled';
    if (fo.requestStatus === 'SUBMITTED') fo.requestStatus = 'CLOSED';
    fo.updatedAt = now;
  }
  order.cancelledAt = now;
  order.cancelReason = event.reason;
  order.closedAt = now;
  if (event.staffNote !== null) order.staffNote = event.staffNote;
  order.updatedAt = now;
  if (event.notifyCustomer) store.counters.notification(store.orderGid(order));
}
