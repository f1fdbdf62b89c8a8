// The store's own work, run when due: cancel jobs finishing, and the simulated fulfillment services
// answering requests. A service decides with a draw that depends only on the seed, the FO and how
// many requests it has seen, so a run is repeatable whatever order requests arrive in.
import { gid } from '../gid.js';
import { drawFor } from '../random.js';
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
