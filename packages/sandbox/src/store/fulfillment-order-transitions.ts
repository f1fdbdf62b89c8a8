// The fulfillment order mutations, merchant side and service side, as state transitions on the store
// (docs/shopify-behaviour.md#service-request-lifecycle). Eligibility is always the FO's own supportedActions, as on Shopify.
// The three merchant FO mutations return plain UserErrors with no code; their messages are ours and
// stable (Shopify's are undocumented: docs/shopify-behaviour.md#fulfillment-order-errors).
import { gid } from '../gid.js';
import { supportedActions, type FulfillmentOrderAction } from './derive.js';
import type { FulfillmentOrderRecord, LineItemRecord, MerchantRequestRecord } from './model.js';
import { fail, type FulfillmentOrderRef, type Outcome, type SandboxStore } from './store.js';

const NOT_FOUND = 'Fulfillment order does not exist.';

/** Looks the FO up, counts the call, and checks the FO supports `action`. */
function eligible(
  store: SandboxStore,
  mutation: string,
  id: number | null,
  target: string,
  action: FulfillmentOrderAction,
  notEligible: string,
): Outcome<FulfillmentOrderRef> {
  store.counters.call(mutation, target);
  const ref = id === null ? undefined : store.fulfillmentOrder(id);
  if (!ref) return fail(NOT_FOUND, ['id']);
  if (!supportedActions(ref.fo, store.isAtService(ref.fo)).includes(action)) return fail(notEligible, ['id']);
  return { ok: true, value: ref };
}

function applied(store: SandboxStore, mutation: string, ref: FulfillmentOrderRef): void {
  store.counters.applied(mutation, gid('FulfillmentOrder', ref.fo.id));
  store.touch(ref.order, ref.fo);
  store.changed();
}

export function openFulfillmentOrder(store: SandboxStore, id: number | null, target: string): Outcome<FulfillmentOrderRef> {
  const found = eligible(
    store,
    'fulfillmentOrderOpen',
    id,
    target,
    'MARK_AS_OPEN',
    'The fulfillment order cannot be marked as open in its current state.',
  );
  if (!found.ok) return found;
  const { fo } = found.value;
  fo.status = 'OPEN';
  fo.progressReported = false;
  applied(store, 'fulfillmentOrderOpen', found.value);
  return found;
}

export function reportProgress(store: SandboxStore, id: number | null, target: string, reasonNotes: string | null): Outcome<FulfillmentOrderRef> {
  const mutation = 'fulfillmentOrderReportProgress';
  store.counters.call(mutation, target);
  const ref = id === null ? undefined : store.fulfillmentOrder(id);
  if (!ref) return fail(NOT_FOUND, ['id'], 'FULFILLMENT_ORDER_NOT_FOUND');
  if (reasonNotes !== null && reasonNotes.length > 256) {
    return fail('Reason notes must be 256 characters or fewer.', ['progressReport', 'reasonNotes']);
  }
  const atService = store.isAtService(ref.fo);
  // Merchant-managed FOs report progress from OPEN or IN_PROGRESS; service FOs only once accepted.
  const allowed = atService ? ref.fo.status === 'IN_PROGRESS' : ref.fo.status === 'OPEN' || ref.fo.status === 'IN_PROGRESS';
  if (!allowed) return fail('The fulfillment order status does not allow reporting progress.', ['id'], 'FULFILLMENT_ORDER_STATUS_INVALID');
  ref.fo.status = 'IN_PROGRESS';
  if (!atService) ref.fo.progressReported = true;
  applied(store, mutation, ref);
  return { ok: true, value: ref };
}

export interface RequestedLineItem {
  id: number | null;
  quantity: number;
}

export interface FulfillmentRequestResult {
  original: FulfillmentOrderRef;
  submitted: FulfillmentOrderRef;
  unsubmitted: FulfillmentOrderRef | null;
}

export function submitFulfillmentRequest(
  store: SandboxStore,
  id: number | null,
  target: string,
  options: { lineItems: RequestedLineItem[] | null; message: string | null; notifyCustomer: boolean | null },
): Outcome<FulfillmentRequestResult> {
  const mutation = 'fulfillmentOrderSubmitFulfillmentRequest';
  const found = eligible(
    store,
    mutation,
    id,
    target,
    'REQUEST_FULFILLMENT',
    'The fulfillment order cannot be submitted for fulfillment in its current state.',
  );
  if (!found.ok) return found;
  const original = found.value;
  const wanted = requestedQuantities(original.fo, options.lineItems);
  if (!wanted.ok) return wanted;
  const whole = original.fo.lineItems.every((item) => (wanted.value.get(item.id) ?? 0) === item.remaining);
  const request = merchantRequest(store, 'FULFILLMENT_REQUEST', options.message, {
    notify_customer: options.notifyCustomer ?? false,
  });
  let result: FulfillmentRequestResult;
  if (whole && original.fo.status === 'OPEN') {
    original.fo.requestStatus = 'SUBMITTED';
    original.fo.merchantRequests.push(request);
    result = { original, submitted: original, unsubmitted: null };
  } else {
    // A partial request, or one on a CANCELLED FO, produces a new submitted FO (docs/shopify-behaviour.md#request-fulfillment).
    const submitted = splitOff(store, original, wanted.value, 'SUBMITTED');
    submitted.fo.merchantRequests.push(request);
    let unsubmitted: FulfillmentOrderRef | null = null;
    if (original.fo.status === 'CANCELLED') {
      const rest = new Map(original.fo.lineItems.filter((i) => i.remaining > 0).map((i) => [i.id, i.remaining]));
      if ([...rest.values()].some((q) => q > 0)) unsubmitted = splitOff(store, original, rest, 'UNSUBMITTED');
      original.fo.status = 'CLOSED';
      original.fo.closedReason = 'replaced';
    } else {
      original.fo.requestStatus = 'UNSUBMITTED';
      unsubmitted = original;
    }
    result = { original, submitted, unsubmitted };
  }
  scheduleServiceAnswer(store, 'service-fulfillment-answer', result.submitted.fo);
  applied(store, mutation, original);
  return { ok: true, value: result };
}

export function submitCancellationRequest(
  store: SandboxStore,
  id: number | null,
  target: string,
  message: string | null,
): Outcome<FulfillmentOrderRef> {
  const mutation = 'fulfillmentOrderSubmitCancellationRequest';
  const found = eligible(
    store,
    mutation,
    id,
    target,
    'REQUEST_CANCELLATION',
    'The fulfillment order does not accept a cancellation request in its current state.',
  );
  if (!found.ok) return found;
  const { fo } = found.value;
  fo.requestStatus = 'CANCELLATION_REQUESTED';
  fo.merchantRequests.push(merchantRequest(store, 'CANCELLATION_REQUEST', message, {}));
  scheduleServiceAnswer(store, 'service-cancellation-answer', fo);
  applied(store, mutation, found.value);
  return found;
}

export interface CancelFulfillmentOrderResult {
  original: FulfillmentOrderRef;
  replacement: FulfillmentOrderRef;
}

export function cancelFulfillmentOrder(store: SandboxStore, id: number | null, target: string): Outcome<CancelFulfillmentOrderResult> {
  const mutation = 'fulfillmentOrderCancel';
  store.counters.call(mutation, target);
  const ref = id === null ? undefined : store.fulfillmentOrder(id);
  if (ref && !store.isAtService(ref.fo) && ref.fo.progressReported && ref.fo.status === 'IN_PROGRESS') {
    return fail(
      'The fulfillment order has manually reported progress. Mark it as open before cancelling it.',
      ['id'],
      'FULFILLMENT_ORDER_HAS_MANUALLY_REPORTED_PROGRESS',
    );
  }
  if (!ref) return fail(NOT_FOUND, ['id']);
  if (!supportedActions(ref.fo, store.isAtService(ref.fo)).includes('CANCEL_FULFILLMENT_ORDER')) {
    return fail('The fulfillment order cannot be cancelled in its current state.', ['id']);
  }
  const remaining = new Map(ref.fo.lineItems.map((item) => [item.id, item.remaining]));
  const replacement = splitOff(store, ref, remaining, 'UNSUBMITTED');
  ref.fo.status = 'CLOSED';
  ref.fo.requestStatus = 'CLOSED';
  ref.fo.closedReason = 'replaced';
  applied(store, mutation, ref);
  return { ok: true, value: { original: ref, replacement } };
}

type ServiceAnswer = 'acceptFulfillment' | 'rejectFulfillment' | 'acceptCancellation' | 'rejectCancellation';

const SERVICE_ANSWERS: Record<
  ServiceAnswer,
  { mutation: string; from: string; to: [FulfillmentOrderRecord['status'], FulfillmentOrderRecord['requestStatus']] }
> = {
  acceptFulfillment: { mutation: 'fulfillmentOrderAcceptFulfillmentRequest', from: 'OPEN/SUBMITTED', to: ['IN_PROGRESS', 'ACCEPTED'] },
  rejectFulfillment: { mutation: 'fulfillmentOrderRejectFulfillmentRequest', from: 'OPEN/SUBMITTED', to: ['OPEN', 'REJECTED'] },
  acceptCancellation: {
    mutation: 'fulfillmentOrderAcceptCancellationRequest',
    from: 'IN_PROGRESS/CANCELLATION_REQUESTED',
    to: ['CANCELLED', 'CANCELLATION_ACCEPTED'],
  },
  rejectCancellation: {
    mutation: 'fulfillmentOrderRejectCancellationRequest',
    from: 'IN_PROGRESS/CANCELLATION_REQUESTED',
    to: ['IN_PROGRESS', 'CANCELLATION_REJECTED'],
  },
};

/** A fulfillment service answering a request: the accept/reject mutations, also used by the simulated services. */
export function answerRequest(
  store: SandboxStore,
  answer: ServiceAnswer,
  id: number | null,
  target: string,
  options: { message: string | null; reason?: string | null } = { message: null },
): Outcome<FulfillmentOrderRef> {
  const { mutation, from, to } = SERVICE_ANSWERS[answer];
  store.counters.call(mutation, target);
  const ref = id === null ? undefined : store.fulfillmentOrder(id);
  if (!ref) return fail(NOT_FOUND, ['id']);
  if (!store.isAtService(ref.fo) || `${ref.fo.status}/${ref.fo.requestStatus}` !== from) {
    return fail('The fulfillment order has no request to answer in its current state.', ['id']);
  }
  [ref.fo.status, ref.fo.requestStatus] = to;
  const last = ref.fo.merchantRequests.at(-1);
  if (last) last.responseData = { answer, message: options.message, ...(options.reason ? { reason: options.reason } : {}) };
  applied(store, mutation, ref);
  return { ok: true, value: ref };
}

function requestedQuantities(fo: FulfillmentOrderRecord, requested: RequestedLineItem[] | null): Outcome<Map<number, number>> {
  if (requested === null) return { ok: true, value: new Map(fo.lineItems.map((i) => [i.id, i.remaining])) };
  const wanted = new Map<number, number>();
  for (const [index, item] of requested.entries()) {
    const line = item.id === null ? undefined : fo.lineItems.find((l) => l.id === item.id);
    if (!line)
      return fail('Fulfillment order line item does not belong to the fulfillment order.', ['fulfillmentOrderLineItems', String(index), 'id']);
    if (!Number.isInteger(item.quantity) || item.quantity < 1 || item.quantity > line.remaining) {
      return fail(`Quantity must be between 1 and ${line.remaining}.`, ['fulfillmentOrderLineItems', String(index), 'quantity']);
    }
    wanted.set(line.id, (wanted.get(line.id) ?? 0) + item.quantity);
  }
  return { ok: true, value: wanted };
}

/** Moves `quantities` of the FO's line items to a new FO at the same location. */
function splitOff(
  store: SandboxStore,
  from: FulfillmentOrderRef,
  quantities: Map<number, number>,
  requestStatus: 'SUBMITTED' | 'UNSUBMITTED',
): FulfillmentOrderRef {
  const now = store.nowIso();
  const lineItems: LineItemRecord[] = [];
  for (const item of from.fo.lineItems) {
    const quantity = quantities.get(item.id) ?? 0;
    if (quantity <= 0) continue;
    lineItems.push({ id: store.nextId(), sku: item.sku, title: item.title, quantity, remaining: quantity });
    item.remaining -= quantity;
    item.quantity -= quantity;
  }
  from.fo.lineItems = from.fo.lineItems.filter((item) => item.quantity > 0);
  const fo: FulfillmentOrderRecord = {
    id: store.nextId(),
    status: 'OPEN',
    requestStatus,
    locationId: from.fo.locationId,
    deliveryMethod: from.fo.deliveryMethod,
    progressReported: false,
    fulfillAt: null,
    holds: [],
    lineItems,
    merchantRequests: [],
    createdAt: now,
    updatedAt: now,
  };
  store.addFulfillmentOrder(from.order, fo);
  return { order: from.order, fo };
}

function merchantRequest(
  store: SandboxStore,
  kind: MerchantRequestRecord['kind'],
  message: string | null,
  requestOptions: Record<string, unknown>,
): MerchantRequestRecord {
  return { id: store.nextId(), kind, message, requestOptions, responseData: null, sentAt: store.nowIso() };
}

function scheduleServiceAnswer(
  store: SandboxStore,
  kind: 'service-fulfillment-answer' | 'service-cancellation-answer',
  fo: FulfillmentOrderRecord,
): void {
  const service = store.serviceAt(fo.locationId);
  if (!service) return;
  store.schedule({ kind, dueAt: store.dueIn(service.behaviour.responseDelayMs), fulfillmentOrderId: fo.id });
}
