// The root fields the sandbox serves: queries and mutations, each checking its access scope first
// (docs/shopify-behaviour.md#access-scopes), then reading or changing the store.
import { GraphQLError } from 'graphql';
import { numericIdOf, parseGid } from '../gid.js';
import { compileOrderQuery } from '../search/order-filter.js';
import {
  answerRequest,
  cancelFulfillmentOrder,
  openFulfillmentOrder,
  reportProgress,
  submitCancellationRequest,
  submitFulfillmentRequest,
} from '../store/fulfillment-order-transitions.js';
import type { CancelReason } from '../store/model.js';
import { createBulkOperation, MAX_RUNNING_BULK_QUERIES, runningBulkQueries, startBulkOperation } from '../store/bulk-operations.js';
import { requestOrderCancel } from '../store/order-cancel.js';
import type { FulfillmentOrderRef, Outcome, UserErrorRecord } from '../store/store.js';
import { checkBulkQuery, runBulkExport } from './bulk-query.js';
import { comparePositions, paginate, type PageArgs } from './connection.js';
import { orderSearchFields, orderSortPosition, type OrderSortKey } from './order-search.js';
import { SERVICE_SCOPES } from './scopes.js';
import {
  bulkOperationView,
  fulfillmentOrderView,
  jobResultView,
  jobView,
  locationView,
  matchesFulfillmentOrderQuery,
  orderView,
  plainUserErrors,
  type RequestContext,
} from './views.js';

const READ_ORDERS = ['read_orders'];
const WRITE_ORDERS = ['write_orders'];
const READ_FULFILLMENT_ORDERS = [
  'read_merchant_managed_fulfillment_orders',
  'read_third_party_fulfillment_orders',
  'read_assigned_fulfillment_orders',
];
const WRITE_ANY_FULFILLMENT_ORDERS = ['write_merchant_managed_fulfillment_orders', 'write_third_party_fulfillment_orders'];
const WRITE_MERCHANT_FULFILLMENT_ORDERS = ['write_merchant_managed_fulfillment_orders'];
const WRITE_THIRD_PARTY_FULFILLMENT_ORDERS = ['write_third_party_fulfillment_orders'];
const WRITE_ASSIGNED_FULFILLMENT_ORDERS = [SERVICE_SCOPES[1]];
const MAX_NODES = 250;
const SIXTY_DAYS_MS = 60 * 24 * 3600 * 1000;

type Args = Record<string, unknown>;

function visibleOrder(ctx: RequestContext, id: number | null) {
  const order = id === null ? undefined : ctx.store.order(id);
  if (!order) return undefined;
  // Without read_all_orders an app sees only the last 60 days of orders.
  if (!ctx.scopes.has('read_all_orders') && Date.parse(order.createdAt) < ctx.store.now() - SIXTY_DAYS_MS) return undefined;
  return order;
}

function visibleFulfillmentOrder(ctx: RequestContext, id: number | null) {
  const ref = id === null ? undefined : ctx.store.fulfillmentOrder(id);
  return ref && ctx.scopes.canSeeFulfillmentOrder(ctx.store.isAtService(ref.fo)) ? ref : undefined;
}

function nodeById(ctx: RequestContext, value: string) {
  const parsed = parseGid(value);
  if (!parsed) throw new GraphQLError(`Invalid global id '${value}'`, { extensions: { code: 'argumentLiteralsIncompatible' } });
  const numeric = numericIdOf(value, parsed.type);
  switch (parsed.type) {
    case 'Order': {
      ctx.scopes.require('node', READ_ORDERS);
      const order = visibleOrder(ctx, numeric);
      return order ? orderView(order) : null;
    }
    case 'FulfillmentOrder': {
      ctx.scopes.require('node', READ_FULFILLMENT_ORDERS);
      const ref = visibleFulfillmentOrder(ctx, numeric);
      return ref ? fulfillmentOrderView(ref) : null;
    }
    case 'Location': {
      const location = numeric === null ? undefined : ctx.store.location(numeric);
      return location ? locationView(location) : null;
    }
    case 'BulkOperation': {
      const operation = numeric === null ? undefined : ctx.store.bulkOperation(numeric);
      return operation ? bulkOperationView(operation, ctx.store) : null;
    }
    case 'OrderCancelJobResult': {
      if (ctx.version < '2026-10') return null;
      ctx.scopes.require('node', READ_ORDERS);
      const job = ctx.store.job(parsed.id);
      return job ? jobResultView(job, ctx.store) : null;
    }
    default:
      return null;
  }
}

export const queryRoot = {
  shop: (_args: Args, ctx: RequestContext) => {
    const shop = ctx.store.data.shop;
    return {
      __typename: 'Shop',
      id: 'gid://shopify/Shop/1',
      name: shop.name,
      myshopifyDomain: shop.myshopifyDomain,
      email: shop.email,
      currencyCode: shop.currencyCode,
      ianaTimezone: shop.ianaTimezone,
      plan: { partnerDevelopment: true, publicDisplayName: 'Development', shopifyPlus: false },
    };
  },

  currentAppInstallation: (_args: Args, ctx: RequestContext) => ({
    __typename: 'AppInstallation',
    id: 'gid://shopify/AppInstallation/1',
    accessScopes: ctx.scopes.list().map((handle) => ({ handle, description: handle.replaceAll('_', ' ') })),
  }),

  orders: (args: PageArgs & { query?: string | null; sortKey?: OrderSortKey }, ctx: RequestContext) => {
    ctx.scopes.require('orders', READ_ORDERS);
    const now = ctx.store.now();
    const filter = compileOrderQuery(args.query, new Date(now));
    if (filter.warnings.length) ctx.searchWarnings.push({ path: ['orders'], query: args.query ?? '', warnings: filter.warnings });
    const sortKey = args.sortKey ?? 'PROCESSED_AT';
    const matching = ctx.store.data.orders.filter((order) => visibleOrder(ctx, order.id) && filter.matches(orderSearchFields(order)));
    const withPositions = matching.map((order) => ({ order, position: orderSortPosition(order, sortKey) }));
    withPositions.sort((a, b) => comparePositions(a.position, b.position));
    return paginate(
      withPositions,
      args,
      (item) => item.position,
      (item) => orderView(item.order),
      { all: ctx.unpaged },
    );
  },

  order: (args: { id: string }, ctx: RequestContext) => {
    ctx.scopes.require('order', READ_ORDERS);
    const order = visibleOrder(ctx, numericIdOf(args.id, 'Order'));
    return order ? orderView(order) : null;
  },

  node: (args: { id: string }, ctx: RequestContext) => nodeById(ctx, args.id),

  nodes: (args: { ids: string[] }, ctx: RequestContext) => {
    if (args.ids.length > MAX_NODES) {
      throw new GraphQLError(`The input array size of ${args.ids.length} is greater than the maximum allowed of ${MAX_NODES}.`, {
        extensions: { code: 'MAX_INPUT_SIZE_EXCEEDED' },
      });
    }
    return args.ids.map((id) => nodeById(ctx, id));
  },

  job: (args: { id: string }, ctx: RequestContext) => {
    const parsed = parseGid(args.id);
    const job = parsed && (parsed.type === 'Job' || parsed.type === 'OrderCancelJobResult') ? ctx.store.job(parsed.id) : undefined;
    return job ? jobView(job, queryRoot) : null;
  },

  fulfillmentOrder: (args: { id: string }, ctx: RequestContext) => {
    ctx.scopes.require('fulfillmentOrder', READ_FULFILLMENT_ORDERS);
    const ref = visibleFulfillmentOrder(ctx, numericIdOf(args.id, 'FulfillmentOrder'));
    return ref ? fulfillmentOrderView(ref) : null;
  },

  fulfillmentOrders: (args: PageArgs & { includeClosed?: boolean; query?: string | null }, ctx: RequestContext) => {
    ctx.scopes.require('fulfillmentOrders', READ_FULFILLMENT_ORDERS);
    const refs: FulfillmentOrderRef[] = [];
    for (const order of ctx.store.data.orders) {
      if (!visibleOrder(ctx, order.id)) continue;
      for (const fo of order.fulfillmentOrders) {
        const closed = fo.status === 'CLOSED' || fo.status === 'CANCELLED';
        if ((closed && !args.includeClosed) || !ctx.scopes.canSeeFulfillmentOrder(ctx.store.isAtService(fo))) continue;
        if (matchesFulfillmentOrderQuery(fo, args.query)) refs.push({ order, fo });
      }
    }
    refs.sort((a, b) => a.fo.id - b.fo.id);
    return paginate(refs, args, (ref) => [ref.fo.id, ref.fo.id], fulfillmentOrderView, { all: ctx.unpaged });
  },

  bulkOperation: (args: { id: string }, ctx: RequestContext) => {
    const id = numericIdOf(args.id, 'BulkOperation');
    const operation = id === null ? undefined : ctx.store.bulkOperation(id);
    return operation ? bulkOperationView(operation, ctx.store) : null;
  },

  /** Deprecated on Shopify, still served: the token's latest operation of the type. */
  currentBulkOperation: (args: { type?: string | null }, ctx: RequestContext) => {
    const type = args.type ?? 'QUERY';
    const operation = ctx.store.bulkOperations().findLast((op) => op.owner === ctx.owner && op.type === type);
    return operation ? bulkOperationView(operation, ctx.store) : null;
  },

  location: (args: { id?: string | null }, ctx: RequestContext) => {
    const id = args.id ? numericIdOf(args.id, 'Location') : (ctx.store.data.locations[0]?.id ?? null);
    const location = id === null ? undefined : ctx.store.location(id);
    return location ? locationView(location) : null;
  },
};

/** A FO mutation's payload: the FO (or null) and userErrors, with codes where the payload type has them. */
function fulfillmentOrderPayload(outcome: Outcome<FulfillmentOrderRef>, withCodes = false) {
  if (outcome.ok) return { fulfillmentOrder: fulfillmentOrderView(outcome.value), userErrors: [] };
  return { fulfillmentOrder: null, userErrors: withCodes ? codedErrors(outcome.errors) : plainUserErrors(outcome.errors) };
}

const codedErrors = (errors: UserErrorRecord[]) => errors.map((e) => ({ field: e.field, message: e.message, code: e.code ?? null }));

const idArg = (args: Args, type: string) => (typeof args.id === 'string' ? numericIdOf(args.id, type) : null);
const stringArg = (value: unknown) => (typeof value === 'string' ? value : null);

export const mutationRoot = {
  orderCancel: (args: Args, ctx: RequestContext) => {
    ctx.scopes.require('orderCancel', WRITE_ORDERS);
    const refundMethod = (args.refundMethod ?? null) as {
      originalPaymentMethodsRefund?: boolean | null;
      storeCreditRefund?: { expiresAt?: string | null } | null;
    } | null;
    // The deprecated `refund: true` means a refund to the original payment methods.
    const refund = refundMethod?.storeCreditRefund
      ? 'store-credit'
      : refundMethod?.originalPaymentMethodsRefund || (!refundMethod && args.refund === true)
        ? 'original'
        : null;
    const orderId = String(args.orderId);
    const outcome = requestOrderCancel(
      ctx.store,
      {
        orderId: numericIdOf(orderId, 'Order'),
        reason: args.reason as CancelReason,
        restock: Boolean(args.restock),
        notifyCustomer: Boolean(args.notifyCustomer),
        refund,
        storeCreditExpiresAt: refundMethod?.storeCreditRefund?.expiresAt ?? null,
        staffNote: stringArg(args.staffNote),
      },
      orderId,
    );
    if (!outcome.ok) {
      return { job: null, jobResult: null, orderCancelUserErrors: codedErrors(outcome.errors), userErrors: plainUserErrors(outcome.errors) };
    }
    return {
      job: jobView(outcome.value, queryRoot),
      jobResult: jobResultView(outcome.value, ctx.store),
      orderCancelUserErrors: [],
      userErrors: [],
    };
  },

  bulkOperationRunQuery: (args: Args, ctx: RequestContext) => {
    const query = String(args.query);
    const checked = checkBulkQuery(ctx.schema, query);
    if (!checked.ok) return { bulkOperation: null, userErrors: [{ code: 'INVALID', field: ['query'], message: checked.message }] };
    if (runningBulkQueries(ctx.store, ctx.owner) >= MAX_RUNNING_BULK_QUERIES) {
      const message = `A maximum of ${MAX_RUNNING_BULK_QUERIES} bulk query operations can run at the same time. Wait for one to finish, or cancel one.`;
      return { bulkOperation: null, userErrors: [{ code: 'LIMIT_REACHED', field: null, message }] };
    }
    // The export is taken now, from the store as it is at creation; it shows once the operation completes.
    const result = runBulkExport(checked.document, queryRoot, ctx);
    const operation = createBulkOperation(ctx.store, { query, owner: ctx.owner, result });
    const payload = { bulkOperation: bulkOperationView(operation, ctx.store), userErrors: [] };
    startBulkOperation(operation); // the answer says CREATED; every later look says RUNNING
    return payload;
  },

  fulfillmentOrderOpen: (args: Args, ctx: RequestContext) => {
    ctx.scopes.require('fulfillmentOrderOpen', WRITE_ANY_FULFILLMENT_ORDERS);
    return fulfillmentOrderPayload(openFulfillmentOrder(ctx.store, idArg(args, 'FulfillmentOrder'), String(args.id)));
  },

  fulfillmentOrderReportProgress: (args: Args, ctx: RequestContext) => {
    ctx.scopes.require('fulfillmentOrderReportProgress', WRITE_MERCHANT_FULFILLMENT_ORDERS);
    const report = args.progressReport as { reasonNotes?: string | null } | null | undefined;
    const outcome = reportProgress(ctx.store, idArg(args, 'FulfillmentOrder'), String(args.id), report?.reasonNotes ?? null);
    return fulfillmentOrderPayload(outcome, true);
  },

  fulfillmentOrderSubmitFulfillmentRequest: (args: Args, ctx: RequestContext) => {
    ctx.scopes.require('fulfillmentOrderSubmitFulfillmentRequest', WRITE_THIRD_PARTY_FULFILLMENT_ORDERS);
    const lineItems = args.fulfillmentOrderLineItems as { id: string; quantity: number }[] | null | undefined;
    const outcome = submitFulfillmentRequest(ctx.store, idArg(args, 'FulfillmentOrder'), String(args.id), {
      lineItems: lineItems ? lineItems.map((item) => ({ id: numericIdOf(item.id, 'FulfillmentOrderLineItem'), quantity: item.quantity })) : null,
      message: stringArg(args.message),
      notifyCustomer: typeof args.notifyCustomer === 'boolean' ? args.notifyCustomer : null,
    });
    if (!outcome.ok) {
      return {
        originalFulfillmentOrder: null,
        submittedFulfillmentOrder: null,
        unsubmittedFulfillmentOrder: null,
        userErrors: plainUserErrors(outcome.errors),
      };
    }
    const { original, submitted, unsubmitted } = outcome.value;
    return {
      originalFulfillmentOrder: fulfillmentOrderView(original),
      submittedFulfillmentOrder: fulfillmentOrderView(submitted),
      unsubmittedFulfillmentOrder: unsubmitted ? fulfillmentOrderView(unsubmitted) : null,
      userErrors: [],
    };
  },

  fulfillmentOrderSubmitCancellationRequest: (args: Args, ctx: RequestContext) => {
    ctx.scopes.require('fulfillmentOrderSubmitCancellationRequest', WRITE_THIRD_PARTY_FULFILLMENT_ORDERS);
    return fulfillmentOrderPayload(submitCancellationRequest(ctx.store, idArg(args, 'FulfillmentOrder'), String(args.id), stringArg(args.message)));
  },

  fulfillmentOrderCancel: (args: Args, ctx: RequestContext) => {
    ctx.scopes.require('fulfillmentOrderCancel', WRITE_ANY_FULFILLMENT_ORDERS);
    const outcome = cancelFulfillmentOrder(ctx.store, idArg(args, 'FulfillmentOrder'), String(args.id));
    if (!outcome.ok) return { fulfillmentOrder: null, replacementFulfillmentOrder: null, userErrors: codedErrors(outcome.errors) };
    return {
      fulfillmentOrder: fulfillmentOrderView(outcome.value.original),
      replacementFulfillmentOrder: fulfillmentOrderView(outcome.value.replacement),
      userErrors: [],
    };
  },

  fulfillmentOrderAcceptFulfillmentRequest: (args: Args, ctx: RequestContext) =>
    serviceAnswer(ctx, args, 'fulfillmentOrderAcceptFulfillmentRequest', 'acceptFulfillment'),
  fulfillmentOrderRejectFulfillmentRequest: (args: Args, ctx: RequestContext) =>
    serviceAnswer(ctx, args, 'fulfillmentOrderRejectFulfillmentRequest', 'rejectFulfillment'),
  fulfillmentOrderAcceptCancellationRequest: (args: Args, ctx: RequestContext) =>
    serviceAnswer(ctx, args, 'fulfillmentOrderAcceptCancellationRequest', 'acceptCancellation'),
  fulfillmentOrderRejectCancellationRequest: (args: Args, ctx: RequestContext) =>
    serviceAnswer(ctx, args, 'fulfillmentOrderRejectCancellationRequest', 'rejectCancellation'),
};

function serviceAnswer(ctx: RequestContext, args: Args, field: string, answer: Parameters<typeof answerRequest>[1]) {
  ctx.scopes.require(field, WRITE_ASSIGNED_FULFILLMENT_ORDERS);
  const outcome = answerRequest(ctx.store, answer, idArg(args, 'FulfillmentOrder'), String(args.id), {
    message: stringArg(args.message),
    reason: stringArg(args.reason),
  });
  return fulfillmentOrderPayload(outcome);
}
