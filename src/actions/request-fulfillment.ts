// request-fulfillment: fulfillmentOrderSubmitFulfillmentRequest for the fulfillment orders at the
// chosen fulfillment services, whole (no line items: Shopify would split a partial request).
// A lost answer is settled by the fulfillment order's request status: from UNSUBMITTED any request
// status is ours; from REJECTED (or a cancelled fulfillment order, which Shopify replaces) only a
// pending or accepted one is, and anything else cannot be told apart — that step ends `unknown`.
import { SUBMIT_FULFILLMENT_REQUEST } from '../shopify/documents/fulfillment-orders.js';
import type { BulkAction, Decision } from './action.js';
import {
  atChosenServices,
  count,
  describeServices,
  fulfillmentOrderReadback,
  fulfillmentOrdersLookup,
  readFulfillmentOrderAnswer,
  surveyServices,
  unworkable,
  type FulfillmentOrderFacts,
  type FulfillmentOrdersSnapshot,
  type FulfillmentOrderStep,
} from './fulfillment-orders.js';

export interface RequestFulfillmentOptions {
  /** Fulfillment service handles. */
  services: string[];
  message: string | null;
  notify: boolean;
}

export interface RequestFulfillmentStep extends FulfillmentOrderStep {
  service: string;
  /** The request status it was planned from: what a read-back can prove depends on it. */
  requestStatus: string;
}

// A request is pending or accepted: asking again is not possible and not needed.
const REQUESTED = new Set(['SUBMITTED', 'ACCEPTED', 'CANCELLATION_REQUESTED', 'CANCELLATION_REJECTED']);

const canRequest = (fo: FulfillmentOrderFacts) => fo.service !== null && fo.supportedActions.has('REQUEST_FULFILLMENT');

export function planRequestFulfillment(order: FulfillmentOrdersSnapshot, options: RequestFulfillmentOptions): Decision<RequestFulfillmentStep> {
  const unable = unworkable(order);
  if (unable) return unable;
  const found = atChosenServices(order, options.services, 'it is fulfilled from your own locations, not by a fulfillment service');
  if ('skip' in found) return found.skip;
  const { chosen } = found;
  const steps = chosen.filter(canRequest).map((fo) => ({ fo: fo.id, service: fo.service!, requestStatus: fo.requestStatus }));
  if (steps.length) return { kind: 'act', steps };
  // Closed fulfillment orders (fulfilled, or replaced when a request was withdrawn) are history, not work.
  const live = chosen.filter((fo) => fo.status !== 'CLOSED');
  if (live.length && live.every((fo) => REQUESTED.has(fo.requestStatus))) {
    return { kind: 'already', message: `already requested from ${describeServices([...new Set(live.map((fo) => fo.service!))])}` };
  }
  return { kind: 'skip', reason: 'not-eligible', message: `Shopify does not offer to request fulfillment (${chosen.map((fo) => fo.status.toLowerCase()).join(', ')})` };
}

export const requestFulfillmentAction: BulkAction<RequestFulfillmentOptions, FulfillmentOrdersSnapshot, RequestFulfillmentStep> = {
  name: 'request-fulfillment',
  doneVerb: 'requested',
  lookup: () => fulfillmentOrdersLookup,
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
      // Re-requested after a rejection and rejected again, or requested from a cancelled fulfillment
      // order (Shopify then makes a new one): what this one shows cannot tell; never send it twice.
      return 'unknowable';
    }),
  stepFacts: (step, facts) => count(facts, `service:${step.service}`),
};
