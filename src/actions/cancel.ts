// cancel: orderCancel for each selected order, with the product decisions of product.md — nothing-
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
} from '../shopify/documents/cancel.js';
import type { ApiVersion } from '../shopify/api-versions.js';
import type { BulkAction, Confirmation, ConfirmationCheck, Decision, OrderSnapshot, StepAnswer } from './action.js';

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
}

/** One orderCancel. `refund` is decided per order: the run's choice only where money was captured. */
export interface CancelStep {
  order: string;
  refund: 'original' | 'store-credit' | null;
  /** Informational: what the plan expects to refund. */
  amount: number;
  currency: string;
}

const NOTHING_CAPTURED = new Set(['PENDING', 'AUTHORIZED', 'VOIDED', 'EXPIRED']);
// A request status other than these means a service accepted the work and may be picking it.
const HELD_BY_SERVICE = new Set(['ACCEPTED', 'CANCELLATION_REQUESTED', 'CANCELLATION_REJECTED']);
const RETURN_IN_PROGRESS = new Set(['RETURN_REQUESTED', 'IN_PROGRESS']);

export function planCancel(order: CancelSnapshot, options: CancelOptions): Decision<CancelStep> {
  if (order.cancelledAt) return { kind: 'already', message: `cancelled at ${order.cancelledAt}` };
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
  const status = order.financialStatus ?? 'PENDING';
  const step: CancelStep = { order: order.id, refund: null, amount: 0, currency: order.currencyCode };
  const wantsRefund = options.refund !== 'later';
  if (!wantsRefund || NOTHING_CAPTURED.has(status) || status === 'REFUNDED' || order.netPayment <= 0) {
    return { kind: 'act', steps: [step] };
  }
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

function parseSnapshot(node: unknown): CancelSnapshot | null {
  if (!isRecord(node) || typeof node.id !== 'string' || !node.id.startsWith('gid://shopify/Order/')) return null;
  const fos = isRecord(node.fulfillmentOrders) && Array.isArray(node.fulfillmentOrders.nodes) ? node.fulfillmentOrders.nodes : [];
  return {
    id: node.id,
    name: typeof node.name === 'string' ? node.name : node.id,
    cancelledAt: typeof node.cancelledAt === 'string' ? node.cancelledAt : null,
    financialStatus: typeof node.displayFinancialStatus === 'string' ? node.displayFinancialStatus : null,
    returnStatus: typeof node.returnStatus === 'string' ? node.returnStatus : 'NO_RETURN',
    currencyCode: typeof node.currencyCode === 'string' ? node.currencyCode : '',
    netPayment: Number(node.netPayment) || 0,
    hasCustomer: 'customer' in node ? isRecord(node.customer) : null,
    fulfillmentOrders: fos.filter(isRecord).map((fo) => ({ status: String(fo.status), requestStatus: String(fo.requestStatus) })),
  };
}

function readCancelAnswer(data: unknown): StepAnswer {
  const payload = isRecord(data) && isRecord(data.orderCancel) ? data.orderCancel : null;
  if (!payload) return { kind: 'rejected', reason: 'no-answer', message: 'Shopify returned no orderCancel payload', code: null };
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
    document: { text: ORDERS_CANCELLED_AT, expectedCost: 10, costPerNode: 1 },
    target: (step) => step.order,
    read: (node) => (cancelledAtNode(node) ? { kind: 'done' } : { kind: 'pending' }),
  };
  const explain: ConfirmationCheck<CancelStep> = {
    document: { text: CANCEL_JOB_RESULTS, expectedCost: 30, costPerNode: 3 },
    target: (step, accepted) => (isRecord(accepted) && typeof accepted.jobResult === 'string' ? accepted.jobResult : step.order),
    read(node) {
      if (!isRecord(node) || node.done !== true) return { kind: 'pending' };
      if (node.status === 'SUCCEEDED') return isRecord(node.order) && cancelledAtNode(node.order) ? { kind: 'done' } : { kind: 'pending' };
      const error = Array.isArray(node.errors) ? node.errors.find(isRecord) : undefined;
      const code = typeof error?.code === 'string' ? error.code.toLowerCase().replaceAll('_', '-') : 'cancel-failed';
      return { kind: 'failed', reason: code === 'invalid' ? 'cancel-refused' : code, message: String(error?.message ?? 'the cancel job failed') };
    },
  };
  const bulk = { template: CANCELLED_EXPORT, search: (since: string) => `status:cancelled updated_at:>='${since}'` };
  return { check, bulk, ...(options.apiVersion === '2026-07' ? {} : { explain }), firstPollMs: 400, deadlineMs: 120_000 };
}

export const cancelAction: BulkAction<CancelOptions, CancelSnapshot, CancelStep> = {
  name: 'cancel',
  doneVerb: 'cancelled',
  lookup: (options) => ({
    document: { text: CANCEL_LOOKUP, expectedCost: 13 * 75, costPerOrder: 13 },
    variables: () => ({ withCustomer: options.refund === 'store-credit' }),
    parse: parseSnapshot,
    export: { template: CANCEL_EXPORT, children: 'fulfillmentOrders' },
  }),
  plan: planCancel,
  mutation: (options) => ({
    document: { text: options.apiVersion === '2026-07' ? CANCEL_ORDER : CANCEL_ORDER_WITH_RESULT, expectedCost: 10 },
    variables: (step) => ({
      orderId: step.order,
      reason: options.reason.toUpperCase(),
      restock: options.restock,
      notifyCustomer: options.notify,
      refundMethod:
        step.refund === 'original'
          ? { originalPaymentMethodsRefund: true }
          : step.refund === 'store-credit'
            ? { storeCreditRefund: {} }
            : null,
      staffNote: options.staffNote,
    }),
    read: readCancelAnswer,
  }),
  readback: () => ({
    document: { text: ORDERS_CANCELLED_AT, expectedCost: 10, costPerNode: 1 },
    target: (step) => step.order,
    // The cancel runs in a job: "not cancelled yet" may still become cancelled.
    verify: (node) => (cancelledAtNode(node) ? 'applied' : 'pending'),
  }),
  confirmation,
  planFacts(_snapshot, decision, facts) {
    if (decision.kind !== 'act') return;
    for (const step of decision.steps) {
      if (step.refund) facts.set(`refund:${step.currency}`, round2((facts.get(`refund:${step.currency}`) ?? 0) + step.amount));
      else facts.set('nothing-to-refund', (facts.get('nothing-to-refund') ?? 0) + 1);
    }
  },
};

const round2 = (n: number) => Math.round(n * 100) / 100;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
