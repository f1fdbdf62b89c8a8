// request-fulfillment: fulfillmentOrderSubmitFulfillmentRequest for the fulfillment orders at the
// chosen fulfillment services, whole (no line items: Shopify would split a partial request).
// A lost answer is settled by the fulfillment order's request status — from UNSUBMITTED any request
// status is ours — and otherwise by its latest request: one newer than the plan's is ours, even if the
// service rejected it at once. A request on a cancelled fulfillment order goes to a new one Shopify
// makes, which this one cannot show: that step, if not proven, ends `unknown`, never sent twice.
import { SUBMIT_FULFILLMENT_REQUEST } from '../../shopify/documents/fulfillment-orders.js';
import { count, type BulkAction, type Decision, type Tally } from '../action.js';
import {
  atChosenServices,
  describeServices,
  fulfillmentOrderReadback,
  fulfillmentOrdersLookup,
  latestRequests,
  readFulfillmentOrderAnswer,
  surveyServices,
  unworkable,
  type FulfillmentOrderFacts,
  type FulfillmentOrdersSnapshot,
  type FulfillmentOrderStep,
  type ServicesSurvey,
} from '../fulfillment-orders.js';

export interface RequestFulfillmentOptions {
  /** Fulfillment service handles. */
  services: string[];
  message: string | null;
  notify: boolean;
}

export interface RequestFulfillmentStep extends FulfillmentOrderStep {
  service: string;
  /** The state it was planned from: what a read-back can prove depends on it. */
  requestStatus: string;
  status: string;
  /** Its latest fulfillment request at the plan (null: none; absent: not read, so a re-request cannot be proven). */
  lastRequestId?: string | null;
}

/** Fulfillment orders to request, by service handle. */
export type RequestFulfillmentFacts = { service?: Tally };

// A request is pending or accepted: asking again is not possible and not needed.
const REQUESTED = new Set(['SUBMITTED', 'ACCEPTED', 'CANCELLATION_REQUESTED', 'CANCELLATION_REJECTED']);

// Only OPEN fulfillment orders: a request on a cancelled (or incomplete) one goes to a new fulfillment
// order Shopify makes, where a lost answer could not be read back — it could be sent twice.
const canRequest = (fo: FulfillmentOrderFacts) => fo.service !== null && fo.status === 'OPEN' && fo.supportedActions.has('REQUEST_FULFILLMENT');

export function planRequestFulfillment(order: FulfillmentOrdersSnapshot, options: RequestFulfillmentOptions): Decision<RequestFulfillmentStep> {
  const unable = unworkable(order);
  if (unable) return unable;
  const found = atChosenServices(order, options.services, 'it is fulfilled from your own locations, not by a fulfillment service');
  if ('skip' in found) return found.skip;
  const { chosen } = found;
  const steps = chosen.filter(canRequest).map((fo) => ({
    fo: fo.id,
    service: fo.service!,
    requestStatus: fo.requestStatus,
    status: fo.status,
    ...(fo.lastRequestId !== undefined ? { lastRequestId: fo.lastRequestId } : {}),
  }));
  if (steps.length) return { kind: 'act', steps };
  if (chosen.some((fo) => fo.status === 'CANCELLED' && fo.supportedActions.has('REQUEST_FULFILLMENT'))) {
    return {
      kind: 'skip',
      reason: 'cancelled-fulfillment-order',
      message:
        'its request was cancelled; request it again from the admin (Shopify makes a new fulfillment order for it, which bulkfill cannot check)',
    };
  }
  // Closed fulfillment orders (fulfilled, or replaced when a request was withdrawn) are history, not work.
  const live = chosen.filter((fo) => fo.status !== 'CLOSED');
  if (live.length && live.every((fo) => REQUESTED.has(fo.requestStatus))) {
    return { kind: 'already', message: `already requested from ${describeServices([...new Set(live.map((fo) => fo.service!))])}` };
  }
  return {
    kind: 'skip',
    reason: 'not-eligible',
    message: `Shopify does not offer to request fulfillment (${chosen.map((fo) => fo.status.toLowerCase()).join(', ')})`,
  };
}

export const requestFulfillmentAction: BulkAction<
  RequestFulfillmentOptions,
  FulfillmentOrdersSnapshot,
  RequestFulfillmentStep,
  ServicesSurvey,
  RequestFulfillmentFacts
> = {
  name: 'request-fulfillment',
  doneVerb: 'requested',
  // A re-request after a rejection is proven by a newer request than the plan saw: read that one's latest.
  lookup: () => fulfillmentOrdersLookup(latestRequests((fo) => canRequest(fo) && fo.requestStatus !== 'UNSUBMITTED')),
  plan: planRequestFulfillment,
  survey: (order, survey) => surveyServices(order, survey, canRequest),
  mutation: (options) => ({
    document: () => ({ text: SUBMIT_FULFILLMENT_REQUEST, expectedCost: 10 }),
    variables: (step) => ({ id: step.fo, message: options.message, notifyCustomer: options.notify }),
    read: (data) => readFulfillmentOrderAnswer('fulfillmentOrderSubmitFulfillmentRequest', data),
  }),
  readback: () =>
    fulfillmentOrderReadback<RequestFulfillmentStep>((fo, step) => {
      if (!fo) return 'not-applied';
      if (step.requestStatus === 'UNSUBMITTED') {
        // Only a request moves an unsubmitted fulfillment order on, even if the service rejected it at once.
        return fo.requestStatus === 'UNSUBMITTED' ? 'not-applied' : 'applied';
      }
      if (REQUESTED.has(fo.requestStatus)) return 'applied';
      // Planned from OPEN only (see canRequest); and a re-request is proven only against the plan's latest request.
      if (step.status !== 'OPEN' || step.lastRequestId === undefined || fo.lastRequestId === undefined) return 'unknowable';
      return fo.lastRequestId !== step.lastRequestId ? 'applied' : 'not-applied';
    }, true),
  stepFacts: (step, facts) => count((facts.service ??= {}), step.service),
};
