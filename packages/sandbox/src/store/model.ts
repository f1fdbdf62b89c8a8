// The sandbox store as plain, JSON-serialisable data. This one shape is the fixture format
// (`--fixture`), the persisted state (`--state`) and what `/__sandbox/state` returns, so a store
// written by hand, generated from a seed or saved from a running sandbox are interchangeable.
// Ids are the numeric part of Shopify GIDs; timestamps are ISO-8601 strings in sandbox (virtual) time.

export const FULFILLMENT_ORDER_STATUSES = ['OPEN', 'IN_PROGRESS', 'SCHEDULED', 'ON_HOLD', 'INCOMPLETE', 'CLOSED', 'CANCELLED'] as const;
export type FulfillmentOrderStatus = (typeof FULFILLMENT_ORDER_STATUSES)[number];

export const REQUEST_STATUSES = [
  'UNSUBMITTED',
  'SUBMITTED',
  'ACCEPTED',
  'REJECTED',
  'CANCELLATION_REQUESTED',
  'CANCELLATION_ACCEPTED',
  'CANCELLATION_REJECTED',
  'CLOSED',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const DELIVERY_METHODS = ['SHIPPING', 'LOCAL', 'PICK_UP', 'PICKUP_POINT', 'RETAIL', 'NONE'] as const;
export type DeliveryMethodType = (typeof DELIVERY_METHODS)[number];

/** How the money stands; `displayFinancialStatus` is derived from it (see derive.ts). */
export const PAYMENT_STATES = ['pending', 'authorized', 'captured', 'voided', 'expired'] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];

export const RETURN_STATUSES = ['NO_RETURN', 'RETURN_REQUESTED', 'IN_PROGRESS', 'INSPECTION_COMPLETE', 'RETURNED', 'RETURN_FAILED'] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

export const CANCEL_REASONS = ['CUSTOMER', 'DECLINED', 'FRAUD', 'INVENTORY', 'OTHER', 'STAFF'] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

export interface Payment {
  state: PaymentState;
  /** Amounts as decimal strings in the order's currency. */
  authorized: string;
  captured: string;
  refunded: string;
  /** Part of `refunded` that went to store credit. */
  refundedToStoreCredit: string;
}

export interface LineItemRecord {
  id: number;
  sku: string;
  title: string;
  quantity: number;
  /** Quantity still to fulfil; 0 once fulfilled. */
  remaining: number;
}

export interface MerchantRequestRecord {
  id: number;
  kind: 'FULFILLMENT_REQUEST' | 'CANCELLATION_REQUEST';
  message: string | null;
  requestOptions: Record<string, unknown>;
  responseData: Record<string, unknown> | null;
  sentAt: string;
}

export interface HoldRecord {
  id: number;
  reason: 'AWAITING_PAYMENT' | 'HIGH_RISK_OF_FRAUD' | 'INCORRECT_ADDRESS' | 'INVENTORY_OUT_OF_STOCK' | 'OTHER';
  reasonNotes: string | null;
}

export interface FulfillmentOrderRecord {
  id: number;
  status: FulfillmentOrderStatus;
  requestStatus: RequestStatus;
  locationId: number;
  deliveryMethod: DeliveryMethodType;
  /** Set when progress was reported on a merchant-managed FO (what mark-open undoes). */
  progressReported: boolean;
  /** Why a CLOSED FO is closed: fulfilled, replaced (fulfillmentOrderCancel) or its order cancelled. */
  closedReason?: 'fulfilled' | 'replaced' | 'order-cancelled';
  fulfillAt: string | null;
  holds: HoldRecord[];
  lineItems: LineItemRecord[];
  merchantRequests: MerchantRequestRecord[];
  createdAt: string;
  updatedAt: string;
}

export interface OrderRecord {
  id: number;
  name: string;
  email: string | null;
  customerId: number | null;
  createdAt: string;
  updatedAt: string;
  processedAt: string;
  tags: string[];
  note: string | null;
  test: boolean;
  currencyCode: string;
  /** Order total as a decimal string. */
  totalPrice: string;
  payment: Payment;
  returnStatus: ReturnStatus;
  cancelledAt: string | null;
  cancelReason: CancelReason | null;
  closedAt: string | null;
  staffNote: string | null;
  /** Units put back into stock by cancellations. */
  restockedQuantity: number;
  fulfillmentOrders: FulfillmentOrderRecord[];
}

export interface CustomerRecord {
  id: number;
  displayName: string;
}

export interface LocationRecord {
  id: number;
  name: string;
  isActive: boolean;
  /** Handle of the fulfillment service this location belongs to; absent for merchant-managed locations. */
  serviceHandle?: string;
}

/** How a simulated fulfillment service answers requests. Rates are probabilities; the rest sits unanswered. */
export interface ServiceBehaviour {
  acceptRate: number;
  rejectRate: number;
  cancelAcceptRate: number;
  cancelRejectRate: number;
  /** Sandbox milliseconds before the service answers a request. */
  responseDelayMs: number;
}

export interface FulfillmentServiceRecord {
  id: number;
  handle: string;
  serviceName: string;
  locationId: number;
  behaviour: ServiceBehaviour;
}

export interface ShopRecord {
  name: string;
  myshopifyDomain: string;
  email: string;
  currencyCode: string;
  ianaTimezone: string;
}

/** Work the store will do on its own at `dueAt`: finish a cancel job or a bulk operation, or a service answering. */
export type PendingEvent =
  | {
      kind: 'cancel-job';
      dueAt: string;
      jobId: string;
      orderId: number;
      reason: CancelReason;
      restock: boolean;
      notifyCustomer: boolean;
      refund: 'original' | 'store-credit' | null;
      staffNote: string | null;
    }
  | { kind: 'service-fulfillment-answer'; dueAt: string; fulfillmentOrderId: number }
  | { kind: 'service-cancellation-answer'; dueAt: string; fulfillmentOrderId: number }
  | { kind: 'bulk-operation-finish'; dueAt: string; bulkOperationId: number };

export interface JobRecord {
  id: string;
  orderId: number;
  done: boolean;
  status: 'STARTED' | 'SUCCEEDED' | 'FAILED';
  errors: { code: string; field: string[] | null; message: string }[];
}

export const BULK_OPERATION_STATUSES = ['CANCELED', 'CANCELING', 'COMPLETED', 'CREATED', 'EXPIRED', 'FAILED', 'RUNNING'] as const;
export type BulkOperationStatus = (typeof BULK_OPERATION_STATUSES)[number];
export const BULK_OPERATION_ERROR_CODES = ['ACCESS_DENIED', 'INTERNAL_SERVER_ERROR', 'TIMEOUT'] as const;
export type BulkOperationErrorCode = (typeof BULK_OPERATION_ERROR_CODES)[number];

/**
 * A bulk query operation (docs/shopify-behaviour.md#bulk-query-exports). The export is taken when the operation is created
 * and kept here (`result`); it shows in the counts, `url` and `errorCode` once the operation finishes.
 */
export interface BulkOperationRecord {
  /** Numeric part of `gid://shopify/BulkOperation/<id>`. */
  id: number;
  type: 'QUERY';
  status: BulkOperationStatus;
  /** The inner query, as given. */
  query: string;
  /** Which token started it (a digest, not the token): at most 5 running per token. */
  owner: string;
  createdAt: string;
  completedAt: string | null;
  errorCode: BulkOperationErrorCode | null;
  /** What the operation produced: the JSONL export, or the error it will fail with. */
  result: { ok: true; objectCount: number; rootObjectCount: number; jsonl: string } | { ok: false; errorCode: BulkOperationErrorCode };
}

export interface StoreData {
  version: 1;
  shop: ShopRecord;
  locations: LocationRecord[];
  services: FulfillmentServiceRecord[];
  customers: CustomerRecord[];
  orders: OrderRecord[];
  jobs: JobRecord[];
  /** Bulk query operations, oldest first; absent until the first one (and in older saved states). */
  bulkOperations?: BulkOperationRecord[];
  pending: PendingEvent[];
  /** Next numeric id to hand out for new records (fulfillment orders, requests, line items, holds). */
  nextId: number;
  /** Sandbox milliseconds an orderCancel job takes to finish. */
  cancelJobDelayMs: number;
}
