// cancel: orderCancel for each selected order, with the product decisions of docs/shopify-behaviour.md#cancel-decisions — nothing-
// captured orders are cancelled without a refund, refunded ones are never refunded again, partially
// refunded ones are skipped when a refund is asked (unless allowed), and an order a fulfillment
// service holds is skipped with the hint to withdraw the request first.
import {
  CANCEL_EXPORT,
  CANCELLED_EXPORT,
  CANCEL_JOB_RESULTS,
  CANCEL_LOOKUP,
  CANCEL_ORDER,
  CANCEL_ORDER_WITH_RESULT,
  ORDERS_CANCELLED_AT,
} from '../../shopify/documents/cancel.js';
import type { ApiVersion } from '../../shopify/api-versions.js';
import type { BulkAction, Confirmation, ConfirmationCheck, Decision, OrderSnapshot, StepAnswer, Tally } from '../action.js';
import { isRecord } from '../../util/is-record.js';

export const CANCEL_REASONS = ['customer', 'declined', 'fraud', 'inventory', 'staff', 'other'] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];
export const REFUND_MODES = ['now', 'store-credit', 'later'] as const;
export type RefundMode = (typeof REFUND_MODES)[number];

export interface CancelOptions {
  reason: CancelReason;
  refund: RefundMode;
  restock: boolean;
  notify: boolean;
  staffNote: string | null;
  allowPartiallyRefunded: boolean;
  apiVersion: ApiVersion;
}

export interface CancelSnapshot extends OrderSnapshot {
  cancelledAt: string | null;
  financialStatus: string | null;
  returnStatus: string;
  currencyCode: string;
  netPayment: number;
  hasCustomer: boolean | null;
  fulfillmentOrders: { status: string; requestStatus: string }[];
  /**
   * Facts the decision needs that Shopify's answer left out or gave as a value bulkfill does not
   * know (a newer enum value): such an order is never acted on by guesswork. The money facts are
   * checked in the plan, since they matter only when a refund is asked.
   */
  unreadable: string[];
}

/** Orders with money to refund, and those amounts by currency: what the refund question says. */
export type CancelSurvey = { captured?: number; capturedAmounts?: Tally };
/**
 * What the plan refunds, by currency (to the original payment methods, or as store credit), and how
 * many orders are cancelled with nothing to refund.
 */
export type CancelFacts = { refund?: Tally; 'store-credit'?: Tally; 'nothing-to-refund'?: number };

/** One orderCancel. `refund` is decided per order: the run's choice only where money was captured. */
export interface CancelStep {
  order: string;
  refund: 'original' | 'store-credit' | null;
  /** Informational: what the plan expects to refund. */
  amount: number;
  currency: string;
}

const NOTHING_CAPTURED = new Set(['PENDING', 'AUTHORIZED', 'VOIDED', 'EXPIRED']);
// The values of Shopify's enums (2026-07 and 2026-10) that the decisions below know how to read.
const FINANCIAL_STATUSES = new Set([...NOTHING_CAPTURED, 'PAID', 'PARTIALLY_PAID', 'PARTIALLY_REFUNDED', 'REFUNDED']);
const RETURN_STATUSES = new Set(['NO_RETURN', 'RETURN_REQUESTED', 'IN_PROGRESS', 'INSPECTION_COMPLETE', 'RETURNED', 'RETURN_FAILED']);
const FO_STATUSES = new Set(['OPEN', 'IN_PROGRESS', 'SCHEDULED', 'ON_HOLD', 'INCOMPLETE', 'CLOSED', 'CANCELLED']);
const REQUEST_STATUSES = new Set([
  'UNSUBMITTED',
  'SUBMITTED',
  'ACCEPTED',
  'REJECTED',
  'CANCELLATION_REQUESTED',
  'CANCELLATION_ACCEPTED',
  'CANCELLATION_REJECTED',
  'CLOSED',
]);
// A request status other than these means a service accepted the work and may be picking it.
const HELD_BY_SERVICE = new Set(['ACCEPTED', 'CANCELLATION_REQUESTED', 'CANCELLATION_REJECTED']);
const RETURN_IN_PROGRESS = new Set(['RETURN_REQUESTED', 'IN_PROGRESS']);

export function planCancel(order: CancelSnapshot, options: CancelOptions): Decision<CancelStep> {
  if (order.cancelledAt) return { kind: 'already', message: `cancelled at ${order.cancelledAt}` };
  const unreadable = [...order.unreadable, ...unreadableMoney(order, options)];
  if (unreadable.length) {
    return {
      kind: 'skip',
      reason: 'unknown-state',
      message: `Shopify's answer had ${unreadable.join(', ')}; not cancelled, so nothing is decided (or refunded) by guesswork`,
    };
  }
  if (RETURN_IN_PROGRESS.has(order.returnStatus)) {
    return { kind: 'skip', reason: 'return-in-progress', message: 'a return is in progress; Shopify cannot cancel it' };
  }
  if (order.fulfillmentOrders.some((fo) => fo.status === 'IN_PROGRESS' && HELD_BY_SERVICE.has(fo.requestStatus))) {
    return {
      kind: 'skip',
      reason: 'fulfillment-in-progress',
      message: 'a fulfillment service is working on it; run `bulkfill cancel-request` first',
    };
  }
  const step: CancelStep = { order: order.id, refund: null, amount: 0, currency: order.currencyCode };
  if (options.refund === 'later' || !hasMoneyToRefund(order)) return { kind: 'act', steps: [step] };
  const status = order.financialStatus;
  if (status === 'PARTIALLY_REFUNDED' && !options.allowPartiallyRefunded) {
    return {
      kind: 'skip',
      reason: 'partially-refunded',
      message: 'already partly refunded; a bulk refund could pay twice (use --allow-partially-refunded, or --refund later)',
    };
  }
  if (options.refund === 'store-credit' && order.hasCustomer === false) {
    return { kind: 'skip', reason: 'no-customer', message: 'store credit needs a customer, and this order has none' };
  }
  step.refund = options.refund === 'now' ? 'original' : 'store-credit';
  step.amount = order.netPayment;
  return { kind: 'act', steps: [step] };
}

/**
 * When a refund is asked, the refund decision needs the financial status and net payment: a status
 * bulkfill does not know (say a newer kind of partial refund) could make it refund twice.
 */
function unreadableMoney(order: CancelSnapshot, options: CancelOptions): string[] {
  if (options.refund === 'later') return [];
  if (!Number.isFinite(order.netPayment)) return ['no readable netPayment'];
  if (order.netPayment > 0 && !FINANCIAL_STATUSES.has(order.financialStatus ?? '')) {
    return [order.financialStatus === null ? 'no displayFinancialStatus' : `an unknown displayFinancialStatus ${order.financialStatus}`];
  }
  return [];
}

/** Money was captured and not all of it refunded: a refund choice means something for this order. */
function hasMoneyToRefund(order: CancelSnapshot): boolean {
  const status = order.financialStatus ?? 'PENDING';
  return !NOTHING_CAPTURED.has(status) && status !== 'REFUNDED' && order.netPayment > 0;
}

function parseSnapshot(node: unknown): CancelSnapshot | null {
  if (!isRecord(node) || typeof node.id !== 'string' || !node.id.startsWith('gid://shopify/Order/')) return null;
  const hasFos = isRecord(node.fulfillmentOrders) && Array.isArray(node.fulfillmentOrders.nodes);
  const fos: unknown[] = hasFos ? (node.fulfillmentOrders as { nodes: unknown[] }).nodes : [];
  const unreadable: string[] = [];
  if (!('cancelledAt' in node)) unreadable.push('no cancelledAt');
  if (!RETURN_STATUSES.has(String(node.returnStatus))) unreadable.push(`an unknown returnStatus ${String(node.returnStatus)}`);
  if (!hasFos) unreadable.push('no fulfillmentOrders');
  for (const fo of fos) {
    if (!isRecord(fo)) unreadable.push('a fulfillment order that is null');
    else if (!FO_STATUSES.has(String(fo.status)) || !REQUEST_STATUSES.has(String(fo.requestStatus))) {
      unreadable.push(`a fulfillment order with an unknown status ${String(fo.status)}/${String(fo.requestStatus)}`);
    }
  }
  return {
    id: node.id,
    name: typeof node.name === 'string' ? node.name : node.id,
    cancelledAt: typeof node.cancelledAt === 'string' ? node.cancelledAt : null,
    financialStatus: typeof node.displayFinancialStatus === 'string' ? node.displayFinancialStatus : null,
    returnStatus: typeof node.returnStatus === 'string' ? node.returnStatus : 'NO_RETURN',
    currencyCode: typeof node.currencyCode === 'string' ? node.currencyCode : '',
    // NaN when missing or not a number: unreadableMoney() says so when it matters.
    netPayment: typeof node.netPayment === 'string' || typeof node.netPayment === 'number' ? Number(node.netPayment) : NaN,
    hasCustomer: 'customer' in node ? isRecord(node.customer) : null,
    fulfillmentOrders: fos.filter(isRecord).map((fo) => ({ status: String(fo.status), requestStatus: String(fo.requestStatus) })),
    unreadable: [...new Set(unreadable)],
  };
}

function readCancelAnswer(data: unknown): StepAnswer {
  const payload = isRecord(data) && isRecord(data.orderCancel) ? data.orderCancel : null;
  if (!payload) return { kind: 'unreadable', message: 'Shopify returned no orderCancel payload' };
  const errors = Array.isArray(payload.orderCancelUserErrors) ? payload.orderCancelUserErrors.filter(isRecord) : [];
  const first = errors[0];
  if (first) {
    const code = typeof first.code === 'string' ? first.code : null;
    return { kind: 'rejected', reason: code ? code.toLowerCase().replaceAll('_', '-') : 'rejected', message: String(first.message ?? ''), code };
  }
  const job = isRecord(payload.job) ? payload.job.id : null;
  const jobResult = isRecord(payload.jobResult) ? payload.jobResult.id : null;
  return { kind: 'applied', accepted: { job, jobResult } };
}

const cancelledAtNode = (node: unknown) => (isRecord(node) && typeof node.cancelledAt === 'string' ? node.cancelledAt : null);

// Settled cheaply by cancelledAt (1 point an order); on 2026-10 the job result explains the orders
// that stay uncancelled (a failed job says why).
function confirmation(options: CancelOptions): Confirmation<CancelStep> {
  const check: ConfirmationCheck<CancelStep> = {
    document: { text: ORDERS_CANCELLED_AT, costPerNode: 1 },
    target: (step) => step.order,
    read: (node) => (cancelledAtNode(node) ? { kind: 'done' } : { kind: 'pending' }),
  };
  const explain: ConfirmationCheck<CancelStep> = {
    document: { text: CANCEL_JOB_RESULTS, costPerNode: 3 },
    target: (step, accepted) => (isRecord(accepted) && typeof accepted.jobResult === 'string' ? accepted.jobResult : step.order),
    read(node) {
      if (!isRecord(node) || node.done !== true) return { kind: 'pending' };
      if (node.status === 'SUCCEEDED') return isRecord(node.order) && cancelledAtNode(node.order) ? { kind: 'done' } : { kind: 'pending' };
      // Only a job that says it failed has failed; a status bulkfill does not know settles nothing.
      if (node.status !== 'FAILED') return { kind: 'pending' };
      const error = Array.isArray(node.errors) ? node.errors.find(isRecord) : undefined;
      const code = typeof error?.code === 'string' ? error.code.toLowerCase().replaceAll('_', '-') : 'cancel-failed';
      return { kind: 'failed', reason: code === 'invalid' ? 'cancel-refused' : code, message: String(error?.message ?? 'the cancel job failed') };
    },
  };
  const bulk = { template: CANCELLED_EXPORT, search: (since: string) => `status:cancelled updated_at:>='${since}'` };
  return { check, bulk, ...(options.apiVersion === '2026-07' ? {} : { explain }), firstPollMs: 400, deadlineMs: 120_000 };
}

export const cancelAction: BulkAction<CancelOptions, CancelSnapshot, CancelStep, CancelSurvey, CancelFacts> = {
  name: 'cancel',
  doneVerb: 'cancelled',
  lookup: (options) => {
    // Store credit needs a customer; before the refund is chosen, either may be picked.
    const withCustomer = options.refund === 'store-credit' || options.refund === undefined;
    return {
      // Requested cost per order: the order (1), its customer (1, when read) and its fulfillment orders (2 + 10 × 1).
      document: { text: CANCEL_LOOKUP, costPerOrder: withCustomer ? 14 : 13 },
      variables: () => ({ withCustomer }),
      parse: parseSnapshot,
      export: { template: CANCEL_EXPORT, children: 'fulfillmentOrders' },
    };
  },
  plan: planCancel,
  survey(order, survey) {
    if (order.cancelledAt || !hasMoneyToRefund(order)) return;
    survey.captured = (survey.captured ?? 0) + 1;
    const amounts = (survey.capturedAmounts ??= {});
    amounts[order.currencyCode] = round2((amounts[order.currencyCode] ?? 0) + order.netPayment);
  },
  mutation: (options) => ({
    document: () => ({ text: options.apiVersion === '2026-07' ? CANCEL_ORDER : CANCEL_ORDER_WITH_RESULT, expectedCost: 10 }),
    variables: (step) => ({
      orderId: step.order,
      reason: options.reason.toUpperCase(),
      restock: options.restock,
      notifyCustomer: options.notify,
      refundMethod:
        step.refund === 'original' ? { originalPaymentMethodsRefund: true } : step.refund === 'store-credit' ? { storeCreditRefund: {} } : null,
      staffNote: options.staffNote,
    }),
    read: readCancelAnswer,
  }),
  readback: () => ({
    document: { text: ORDERS_CANCELLED_AT, costPerNode: 1 },
    target: (step) => step.order,
    // The cancel runs in a job: "not cancelled yet" may still become cancelled.
    verify: (node) => (cancelledAtNode(node) ? 'applied' : 'pending'),
  }),
  confirmation,
  stepFacts(step, facts) {
    if (!step.refund) {
      facts['nothing-to-refund'] = (facts['nothing-to-refund'] ?? 0) + 1;
      return;
    }
    const amounts = (facts[step.refund === 'store-credit' ? 'store-credit' : 'refund'] ??= {});
    amounts[step.currency] = round2((amounts[step.currency] ?? 0) + step.amount);
  },
};

const round2 = (n: number) => Math.round(n * 100) / 100;
