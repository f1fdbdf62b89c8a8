// The store's own work, run when due: cancel jobs and bulk operations finishing, and the simulated fulfillment services
// answering requests. A service decides with a draw that depends only on the seed, the FO and how
// many requests it has seen, so a run is repeatable whatever order requests arrive in.
import { gid } from '../gid.js';
import { drawFor } from '../random.js';
import { finishBulkOperation } from './bulk-operations.js';
import { answerRequest } from './fulfillment-order-transitions.js';
import type { PendingEvent } from './model.js';
import { runCancelJob } from './order-cancel.js';
import type { SandboxStore } from './store.js';

export function handleEvent(store: SandboxStore, event: PendingEvent): void {
  switch (event.kind) {
    case 'cancel-job':
      runCancelJob(store, event);
      return;
    case 'service-fulfillment-answer':
    case 'service-cancellation-answer':
      serviceAnswers(store, event);
      return;
    case 'bulk-operation-finish':
      finishBulkOperation(store, event);
      return;
  }
}

function serviceAnswers(store: SandboxStore, event: Extract<PendingEvent, { fulfillmentOrderId: number }>): void {
  const ref = store.fulfillmentOrder(event.fulfillmentOrderId);
  const service = ref && store.serviceAt(ref.fo.locationId);
  if (!ref || !service) return;
  const cancellation = event.kind === 'service-cancellation-answer';
  const draw = drawFor(store.seed, `${event.kind}:${ref.fo.id}:${ref.fo.merchantRequests.length}`);
  const { acceptRate, rejectRate, cancelAcceptRate, cancelRejectRate } = service.behaviour;
  const [accept, reject] = cancellation ? [cancelAcceptRate, cancelRejectRate] : [acceptRate, rejectRate];
  let answer: Parameters<typeof answerRequest>[1] | null = null;
  if (draw < accept) answer = cancellation ? 'acceptCancellation' : 'acceptFulfillment';
  else if (draw < accept + reject) answer = cancellation ? 'rejectCancellation' : 'rejectFulfillment';
  if (!answer) return; // this service sits on the request
  const reason = answer === 'rejectFulfillment' ? 'INVENTORY_OUT_OF_STOCK' : null;
  answerRequest(store, answer, ref.fo.id, gid('FulfillmentOrder', ref.fo.id), { message: `${service.serviceName} answered`, reason });
}

/**
 * Requests already waiting in a loaded store (seeded or from a fixture) get their service's answer
 * scheduled too, so every submitted request has a living counterpart.
 */
export function scheduleWaitingRequests(store: SandboxStore): void {
  const scheduled = new Set(store.data.pending.flatMap((e) => ('fulfillmentOrderId' in e ? [e.fulfillmentOrderId] : [])));
  for (const order of store.data.orders) {
    for (const fo of order.fulfillmentOrders) {
      const service = store.serviceAt(fo.locationId);
      if (!service || scheduled.has(fo.id)) continue;
      const kind =
        fo.status === 'OPEN' && fo.requestStatus === 'SUBMITTED'
          ? 'service-fulfillment-answer'
          : fo.status === 'IN_PROGRESS' && fo.requestStatus === 'CANCELLATION_REQUESTED'
            ? 'service-cancellation-answer'
            : null;
      if (kind) store.schedule({ kind, dueAt: store.dueIn(service.behaviour.responseDelayMs), fulfillmentOrderId: fo.id });
    }
  }
}
