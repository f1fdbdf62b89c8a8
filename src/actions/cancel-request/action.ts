// cancel-request: stop the fulfillment services working on orders. A request the service accepted
// gets a cancellation request (fulfillmentOrderSubmitCancellationRequest; the service must agree);
// one it has not accepted yet is withdrawn at once (fulfillmentOrderCancel). Reports tell the two
// apart, and a later run shows what the services answered.
import { SUBMIT_CANCELLATION_REQUEST, WITHDRAW_FULFILLMENT_REQUEST } from '../../shopify/documents/fulfillment-orders.js';
import { count, type BulkAction, type Decision, type Tally } from '../action.js';
import {
  atChosenServices,
  fulfillmentOrderReadback,
  fulfillmentOrdersLookup,
  readFulfillmentOrderAnswer,
  surveyServices,
  unworkable,
  type FulfillmentOrderFacts,
  type FulfillmentOrdersSnapshot,
  type FulfillmentOrderStep,
  type ServicesSurvey,
} from '../fulfillment-orders.js';

export interface CancelRequestOptions {
  services: string[];
  message: string | null;
}

export interface CancelRequestStep extends FulfillmentOrderStep {
  service: string;
  kind: 'request-cancellation' | 'withdraw';
}

/** Per service, and how many of the fulfillment orders would get a cancellation request (which carries a message). */
export type CancelRequestSurvey = ServicesSurvey & { cancellationRequests?: number };
/** Fulfillment orders per service, by what is sent: a cancellation request, or a withdrawal. */
export type CancelRequestFacts = { 'request-cancellation'?: Tally; withdraw?: Tally };

export const NOTES = { 'request-cancellation': 'cancellation requested', withdraw: 'withdrawn' } as const;

function stepFor(fo: FulfillmentOrderFacts): CancelRequestStep | null {
  if (fo.service === null) return null;
  if (fo.requestStatus === 'ACCEPTED' && fo.supportedActions.has('REQUEST_CANCELLATION'))
    return { fo: fo.id, service: fo.service, kind: 'request-cancellation' };
  if (fo.requestStatus === 'SUBMITTED' && fo.supportedActions.has('CANCEL_FULFILLMENT_ORDER'))
    return { fo: fo.id, service: fo.service, kind: 'withdraw' };
  return null;
}

export function planCancelRequest(order: FulfillmentOrdersSnapshot, options: CancelRequestOptions): Decision<CancelRequestStep> {
  const unable = unworkable(order);
  if (unable) return unable;
  const found = atChosenServices(order, options.services, 'no fulfillment service holds it');
  if ('skip' in found) return found.skip;
  const { chosen } = found;
  const steps = chosen.map(stepFor).filter((step): step is CancelRequestStep => step !== null);
  if (steps.length) return { kind: 'act', steps };
  // A request is pending or accepted, but Shopify does not offer to stop it (e.g. the fulfillment order is on hold).
  const stuck = chosen.filter((fo) => fo.requestStatus === 'SUBMITTED' || fo.requestStatus === 'ACCEPTED');
  if (stuck.length) {
    return {
      kind: 'skip',
      reason: 'not-eligible',
      message: `Shopify does not offer to cancel the request (${stuck.map((fo) => fo.status.toLowerCase()).join(', ')})`,
    };
  }
  // Nothing left to send: what the services made of earlier cancellation requests.
  const statuses = new Set(chosen.map((fo) => fo.requestStatus));
  if (statuses.has('CANCELLATION_REJECTED')) {
    return { kind: 'skip', reason: 'cancellation-rejected', message: 'the service rejected the cancellation request; it keeps the work' };
  }
  if (statuses.has('CANCELLATION_REQUESTED')) return { kind: 'already', message: 'cancellation requested; waiting for the service to answer' };
  if (statuses.has('CANCELLATION_ACCEPTED')) return { kind: 'already', message: 'the service accepted the cancellation' };
  return { kind: 'skip', reason: 'no-pending-request', message: 'no fulfillment request is pending or accepted' };
}

export const cancelRequestAction: BulkAction<
  CancelRequestOptions,
  FulfillmentOrdersSnapshot,
  CancelRequestStep,
  CancelRequestSurvey,
  CancelRequestFacts
> = {
  name: 'cancel-request',
  // Done two ways (withdrawn, or cancellation requested): the report says which, by count.
  doneVerb: 'done',
  lookup: () => fulfillmentOrdersLookup(),
  plan: planCancelRequest,
  survey(order, survey) {
    surveyServices(order, survey, (fo) => stepFor(fo) !== null);
    for (const fo of order.cancelledAt ? [] : order.fulfillmentOrders)
      if (stepFor(fo)?.kind === 'request-cancellation') survey.cancellationRequests = (survey.cancellationRequests ?? 0) + 1;
  },
  mutation: (options) => ({
    document: (step) => ({ text: step.kind === 'withdraw' ? WITHDRAW_FULFILLMENT_REQUEST : SUBMIT_CANCELLATION_REQUEST, expectedCost: 10 }),
    variables: (step) => (step.kind === 'withdraw' ? { id: step.fo } : { id: step.fo, message: options.message }),
    read: (data, step) =>
      readFulfillmentOrderAnswer(step.kind === 'withdraw' ? 'fulfillmentOrderCancel' : 'fulfillmentOrderSubmitCancellationRequest', data),
    note: (step) => NOTES[step.kind],
  }),
  readback: () =>
    fulfillmentOrderReadback<CancelRequestStep>((fo, step) => {
      if (!fo) return 'not-applied';
      // Withdrawn: closed and replaced (request status CLOSED), not closed because the service shipped it.
      if (step.kind === 'withdraw') return fo.status === 'CLOSED' && fo.requestStatus === 'CLOSED' ? 'applied' : 'not-applied';
      return fo.requestStatus.startsWith('CANCELLATION_') || fo.status === 'CANCELLED' ? 'applied' : 'not-applied';
    }),
  stepFacts: (step, facts) => count((facts[step.kind] ??= {}), step.service),
};
