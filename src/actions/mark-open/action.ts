// mark-open: fulfillment orders In progress -> Unfulfilled with fulfillmentOrderOpen. It targets
// IN_PROGRESS fulfillment orders at merchant-managed locations (SCHEDULED ones too when asked),
// optionally only some delivery methods, and only where Shopify lists MARK_AS_OPEN.
import { OPEN_FULFILLMENT_ORDER } from '../../shopify/documents/fulfillment-orders.js';
import { count, type BulkAction, type Decision, type Tally } from '../action.js';
import {
  fulfillmentOrderReadback,
  fulfillmentOrdersLookup,
  readFulfillmentOrderAnswer,
  unworkable,
  type FulfillmentOrderFacts,
  type FulfillmentOrdersSnapshot,
  type FulfillmentOrderStep,
} from '../fulfillment-orders.js';

/** The --method values, and the DeliveryMethodType each means. */
export const DELIVERY_METHODS = {
  shipping: 'SHIPPING',
  local: 'LOCAL',
  'pick-up': 'PICK_UP',
  'pickup-point': 'PICKUP_POINT',
  retail: 'RETAIL',
  none: 'NONE',
} as const;
export type DeliveryMethod = keyof typeof DELIVERY_METHODS;

export interface MarkOpenOptions {
  /** Only these delivery methods; null: every method. */
  methods: DeliveryMethod[] | null;
  includeScheduled: boolean;
}

/** Fulfillment orders it would open, by delivery method: offered when asking which methods. */
export type MarkOpenSurvey = { methods?: Tally<DeliveryMethod> };
/** Fulfillment orders to open, by delivery method. */
export type MarkOpenFacts = { method?: Tally<DeliveryMethod> };

export interface MarkOpenStep extends FulfillmentOrderStep {
  /** The status it is opened from (IN_PROGRESS or SCHEDULED). */
  from: string;
  /** Its delivery method, for the plan's counts. */
  method?: DeliveryMethod;
}

const methodOf = (fo: FulfillmentOrderFacts): DeliveryMethod =>
  (Object.entries(DELIVERY_METHODS).find(([, type]) => type === fo.method)?.[0] as DeliveryMethod | undefined) ?? 'none';

const isTarget = (fo: FulfillmentOrderFacts, options: Pick<MarkOpenOptions, 'includeScheduled'>) =>
  fo.service === null && (fo.status === 'IN_PROGRESS' || (options.includeScheduled && fo.status === 'SCHEDULED'));

export function planMarkOpen(order: FulfillmentOrdersSnapshot, options: MarkOpenOptions): Decision<MarkOpenStep> {
  const unable = unworkable(order);
  if (unable) return unable;
  const own = order.fulfillmentOrders.filter((fo) => fo.service === null);
  if (own.length === 0) {
    const held = order.fulfillmentOrders.some((fo) => fo.requestStatus === 'SUBMITTED' || fo.requestStatus === 'ACCEPTED');
    const hint = held ? '; to stop the service, use `bulkfill cancel-request`' : '';
    return {
      kind: 'skip',
      reason: 'at-fulfillment-service',
      message: `only fulfillment orders at your own locations are marked open; this one is at a fulfillment service${hint}`,
    };
  }
  const chosen = own.filter((fo) => options.methods === null || options.methods.includes(methodOf(fo)));
  if (chosen.length === 0) {
    return {
      kind: 'skip',
      reason: 'method-not-chosen',
      message: `its delivery method (${[...new Set(own.map(methodOf))].join(', ')}) was not chosen`,
    };
  }
  const targets = chosen.filter((fo) => isTarget(fo, options));
  const steps = targets.filter((fo) => fo.supportedActions.has('MARK_AS_OPEN')).map((fo) => ({ fo: fo.id, from: fo.status, method: methodOf(fo) }));
  if (steps.length) return { kind: 'act', steps };
  if (targets.length) return { kind: 'skip', reason: 'not-eligible', message: 'Shopify does not offer to mark it open' };
  if (chosen.some((fo) => fo.status === 'SCHEDULED')) {
    return { kind: 'skip', reason: 'scheduled', message: 'it is scheduled; add --include-scheduled to open it now' };
  }
  if (chosen.some((fo) => fo.status === 'ON_HOLD')) return { kind: 'skip', reason: 'on-hold', message: 'it is on hold; release the hold first' };
  if (chosen.some((fo) => fo.status === 'OPEN')) return { kind: 'already', message: 'already open (unfulfilled)' };
  return {
    kind: 'skip',
    reason: 'not-in-progress',
    message: `nothing in progress (${[...new Set(chosen.map((fo) => fo.status.toLowerCase()))].join(', ')})`,
  };
}

export const markOpenAction: BulkAction<MarkOpenOptions, FulfillmentOrdersSnapshot, MarkOpenStep, MarkOpenSurvey, MarkOpenFacts> = {
  name: 'mark-open',
  doneVerb: 'marked open',
  lookup: () => fulfillmentOrdersLookup(),
  plan: planMarkOpen,
  survey(order, survey, known) {
    if (order.cancelledAt) return;
    for (const fo of order.fulfillmentOrders)
      if (isTarget(fo, { includeScheduled: known.includeScheduled ?? false })) count((survey.methods ??= {}), methodOf(fo));
  },
  mutation: () => ({
    document: () => ({ text: OPEN_FULFILLMENT_ORDER, expectedCost: 10 }),
    variables: (step) => ({ id: step.fo }),
    read: (data) => readFulfillmentOrderAnswer('fulfillmentOrderOpen', data),
  }),
  readback: () => fulfillmentOrderReadback((fo) => (fo?.status === 'OPEN' ? 'applied' : 'not-applied')),
  stepFacts: (step, facts) => count((facts.method ??= {}), step.method ?? 'none'),
};
