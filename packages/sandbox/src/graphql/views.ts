// Store records seen through the Admin schema: plain objects whose properties are the GraphQL fields.
// graphql-js's default resolver reads a property, or calls it with (args, context) when it is a
// function, so fields that take arguments or cost work to compute are functions.
import type { GraphQLSchema } from 'graphql';
import { gid } from '../gid.js';
import { displayFinancialStatus, displayFulfillmentStatus, refundableAmount, supportedActions } from '../store/derive.js';
import type {
  BulkOperationRecord,
  FulfillmentOrderRecord,
  FulfillmentServiceRecord,
  JobRecord,
  LocationRecord,
  OrderRecord,
} from '../store/model.js';
import type { FulfillmentOrderRef, SandboxStore, UserErrorRecord } from '../store/store.js';
import { paginate, type PageArgs } from './connection.js';
import type { Scopes } from './scopes.js';

export interface RequestContext {
  store: SandboxStore;
  scopes: Scopes;
  version: string;
  /** The version's sandbox schema (bulk queries are validated and run against it). */
  schema: GraphQLSchema;
  /** Who is asking: a digest of the token, never the token itself (bulk operations are per token). */
  owner: string;
  /** Set while a bulk query export runs: connections return every item, unpaged. */
  unpaged?: boolean;
  /** Search warnings to report in `extensions.search`, as Shopify does for unknown filter fields. */
  searchWarnings: { path: string[]; query: string; warnings: string[] }[];
}

const money = (amount: number | string, currencyCode: string) => {
  const value = { amount: Number(amount).toFixed(2), currencyCode };
  return { shopMoney: value, presentmentMoney: value };
};

export function orderView(order: OrderRecord) {
  const p = order.payment;
  const captured = p.state === 'captured' ? Number(p.captured) : 0;
  const refunded = Number(p.refunded);
  return {
    __typename: 'Order',
    id: gid('Order', order.id),
    legacyResourceId: String(order.id),
    name: order.name,
    email: order.email,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    processedAt: order.processedAt,
    cancelledAt: order.cancelledAt,
    cancelReason: order.cancelReason,
    closed: order.closedAt !== null,
    closedAt: order.closedAt,
    test: order.test,
    tags: order.tags,
    note: order.note,
    currencyCode: order.currencyCode,
    displayFinancialStatus: () => displayFinancialStatus(p, order.totalPrice),
    displayFulfillmentStatus: () => displayFulfillmentStatus(order),
    returnStatus: order.returnStatus,
    capturable: p.state === 'authorized',
    refundable: refundableAmount(p) > 0,
    unpaid: captured === 0,
    fullyPaid: captured >= Number(order.totalPrice),
    totalPriceSet: money(order.totalPrice, order.currencyCode),
    currentTotalPriceSet: money(order.cancelledAt ? 0 : order.totalPrice, order.currencyCode),
    totalReceivedSet: money(captured, order.currencyCode),
    totalRefundedSet: money(refunded, order.currencyCode),
    netPaymentSet: money(captured - refunded, order.currencyCode),
    netPayment: (captured - refunded).toFixed(2),
    totalPrice: Number(order.totalPrice).toFixed(2),
    totalCapturableSet: money(p.state === 'authorized' ? p.authorized : 0, order.currencyCode),
    customer: (_args: unknown, ctx: RequestContext) => {
      const customer = order.customerId === null ? undefined : ctx.store.data.customers.find((c) => c.id === order.customerId);
      return customer
        ? { __typename: 'Customer', id: gid('Customer', customer.id), legacyResourceId: String(customer.id), displayName: customer.displayName }
        : null;
    },
    fulfillmentOrders: (args: PageArgs & { displayable?: boolean; query?: string | null }, ctx: RequestContext) => {
      const visible = order.fulfillmentOrders.filter(
        (fo) =>
          ctx.scopes.canSeeFulfillmentOrder(ctx.store.isAtService(fo)) &&
          !(args.displayable && fo.closedReason === 'replaced') &&
          matchesFulfillmentOrderQuery(fo, args.query),
      );
      return paginate(
        visible,
        args,
        (fo) => [fo.id, fo.id],
        (fo) => fulfillmentOrderView({ order, fo }),
        { all: ctx.unpaged },
      );
    },
  };
}

/** The `query` argument of fulfillment order connections: `status:` and `id:` terms, ANDed. */
export function matchesFulfillmentOrderQuery(fo: FulfillmentOrderRecord, query: string | null | undefined): boolean {
  if (!query?.trim()) return true;
  return query
    .trim()
    .split(/\s+/)
    .every((term) => {
      const [field, value = ''] = term.split(':', 2);
      if (field === 'status') return fo.status.toLowerCase() === value.toLowerCase();
      if (field === 'id') return String(fo.id) === value;
      return true;
    });
}

export function fulfillmentOrderView({ order, fo }: FulfillmentOrderRef) {
  return {
    __typename: 'FulfillmentOrder',
    id: gid('FulfillmentOrder', fo.id),
    orderId: gid('Order', order.id),
    orderName: order.name,
    order: () => orderView(order),
    status: fo.status,
    requestStatus: fo.requestStatus,
    supportedActions: (_args: unknown, ctx: RequestContext) =>
      supportedActions(fo, ctx.store.isAtService(fo)).map((action) => ({ action, externalUrl: null })),
    deliveryMethod: {
      __typename: 'DeliveryMethod',
      id: gid('DeliveryMethod', fo.id),
      methodType: fo.deliveryMethod,
      presentedName: fo.deliveryMethod === 'SHIPPING' ? 'Standard' : fo.deliveryMethod.replace('_', ' ').toLowerCase(),
    },
    assignedLocation: (_args: unknown, ctx: RequestContext) => {
      const location = ctx.store.location(fo.locationId);
      return { name: location?.name ?? 'Unknown location', location: location ? locationView(location) : null };
    },
    createdAt: fo.createdAt,
    updatedAt: fo.updatedAt,
    fulfillAt: fo.fulfillAt,
    fulfillBy: null,
    fulfillmentHolds: fo.holds.map((hold) => ({
      __typename: 'FulfillmentHold',
      id: gid('FulfillmentHold', hold.id),
      reason: hold.reason,
      reasonNotes: hold.reasonNotes,
      displayReason: hold.reason.replaceAll('_', ' ').toLowerCase(),
      heldByRequestingApp: false,
    })),
    lineItems: (args: PageArgs, ctx: RequestContext) =>
      paginate(
        fo.lineItems,
        args,
        (item) => [item.id, item.id],
        (item) => ({
          __typename: 'FulfillmentOrderLineItem',
          id: gid('FulfillmentOrderLineItem', item.id),
          sku: item.sku,
          productTitle: item.title,
          totalQuantity: item.quantity,
          remainingQuantity: item.remaining,
        }),
        { all: ctx.unpaged },
      ),
    merchantRequests: (args: PageArgs & { kind?: string | null }, ctx: RequestContext) =>
      paginate(
        fo.merchantRequests.filter((r) => !args.kind || r.kind === args.kind),
        args,
        (r) => [r.id, r.id],
        (r) => ({
          __typename: 'FulfillmentOrderMerchantRequest',
          id: gid('FulfillmentOrderMerchantRequest', r.id),
          kind: r.kind,
          message: r.message,
          requestOptions: r.requestOptions,
          responseData: r.responseData,
          sentAt: r.sentAt,
          fulfillmentOrder: () => fulfillmentOrderView({ order, fo }),
        }),
        { all: ctx.unpaged },
      ),
  };
}

export function locationView(location: LocationRecord) {
  return {
    __typename: 'Location',
    id: gid('Location', location.id),
    legacyResourceId: String(location.id),
    name: location.name,
    isActive: location.isActive,
    isFulfillmentService: location.serviceHandle !== undefined,
    fulfillmentService: (_args: unknown, ctx: RequestContext) => {
      const service = ctx.store.serviceAt(location.id);
      return service ? serviceView(service, location) : null;
    },
  };
}

function serviceView(service: FulfillmentServiceRecord, location: LocationRecord) {
  return {
    id: gid('FulfillmentService', service.id),
    handle: service.handle,
    serviceName: service.serviceName,
    type: 'THIRD_PARTY',
    location: () => locationView(location),
  };
}

export function jobView(job: JobRecord, queryRoot: object) {
  return { id: gid('Job', job.id), done: job.done, query: job.done ? queryRoot : null };
}

export function jobResultView(job: JobRecord, store: SandboxStore) {
  const order = store.order(job.orderId);
  return {
    __typename: 'OrderCancelJobResult',
    id: gid('OrderCancelJobResult', job.id),
    done: job.done,
    status: job.status,
    errors: job.errors,
    order: order ? orderView(order) : null,
  };
}

export function bulkOperationView(operation: BulkOperationRecord, store: SandboxStore) {
  const done = operation.status === 'COMPLETED';
  const result = done && operation.result.ok ? operation.result : null;
  const hasFile = result !== null && result.objectCount > 0;
  return {
    __typename: 'BulkOperation',
    id: gid('BulkOperation', operation.id),
    status: operation.status,
    type: operation.type,
    errorCode: operation.errorCode,
    createdAt: operation.createdAt,
    completedAt: operation.completedAt,
    objectCount: String(result?.objectCount ?? 0),
    rootObjectCount: String(result?.rootObjectCount ?? 0),
    fileSize: hasFile ? String(Buffer.byteLength(result.jsonl)) : null,
    url: hasFile ? bulkOperationUrl(store, operation.id) : null,
    partialDataUrl: null,
    query: operation.query,
  };
}

export const bulkOperationUrl = (store: SandboxStore, id: number) => `${store.baseUrl}/__sandbox/bulk/${id}.jsonl`;

/** `userErrors` of payload types without a code field. */
export function plainUserErrors(errors: UserErrorRecord[]) {
  return errors.map(({ field, message }) => ({ field, message }));
}
