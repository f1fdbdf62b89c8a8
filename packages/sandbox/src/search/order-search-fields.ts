// What the orders search reads from an order: plain values, already in the lowercase filter
// vocabulary of Shopify's `orders(query:)` argument, so matching needs no knowledge of the store model.

export interface OrderSearchFields {
  /** Numeric id (legacyResourceId). */
  id: number;
  /** e.g. "#1001". */
  name: string;
  email: string | null;
  status: 'open' | 'closed' | 'cancelled';
  /** paid, pending, authorized, partially_paid, partially_refunded, refunded, voided, expired. */
  financialStatus: string;
  /** Every fulfillment_status filter value the order matches, e.g. ['unfulfilled', 'unshipped']. */
  fulfillmentStatuses: string[];
  /** delivery_method filter values: shipping, pick-up, retail, local, pickup-point, none. */
  deliveryMethods: string[];
  tags: string[];
  /** ISO-8601 timestamps. */
  createdAt: string;
  updatedAt: string;
  processedAt: string;
  test: boolean;
  /** Lowercase enum, e.g. no_return, in_progress. */
  returnStatus: string;
}
