// How an order looks to the orders search filter and to sortKey (docs/shopify-behaviour.md#orders-search-filters).
import type { OrderSearchFields } from '../search/order-filter.js';
import { displayFinancialStatus, fulfillmentStatusFilterValues, activeFulfillmentOrders, orderStatus } from '../store/derive.js';
import type { OrderRecord } from '../store/model.js';
import type { SortPosition } from './connection.js';

export type OrderSortKey =
  | 'CREATED_AT'
  | 'CURRENT_TOTAL_PRICE'
  | 'CUSTOMER_NAME'
  | 'DESTINATION'
  | 'FINANCIAL_STATUS'
  | 'FULFILLMENT_STATUS'
  | 'ID'
  | 'ORDER_NUMBER'
  | 'PO_NUMBER'
  | 'PROCESSED_AT'
  | 'RELEVANCE'
  | 'TOTAL_ITEMS_QUANTITY'
  | 'TOTAL_PRICE'
  | 'UPDATED_AT';

// Search filter values for delivery methods differ from the enum (`pick-up` for PICK_UP).
const DELIVERY_FILTER_VALUES: Record<string, string> = {
  SHIPPING: 'shipping',
  LOCAL: 'local',
  PICK_UP: 'pick-up',
  PICKUP_POINT: 'pickup-point',
  RETAIL: 'retail',
  NONE: 'none',
};

export function orderSearchFields(order: OrderRecord): OrderSearchFields {
  const active = activeFulfillmentOrders(order);
  const deliveryMethods = new Set(
    (active.length ? active : order.fulfillmentOrders).map((fo) => DELIVERY_FILTER_VALUES[fo.deliveryMethod] ?? 'none'),
  );
  return {
    id: order.id,
    name: order.name,
    email: order.email,
    status: orderStatus(order),
    financialStatus: displayFinancialStatus(order.payment, order.totalPrice).toLowerCase(),
    fulfillmentStatuses: fulfillmentStatusFilterValues(order),
    deliveryMethods: [...deliveryMethods],
    tags: order.tags,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    processedAt: order.processedAt,
    test: order.test,
    returnStatus: order.returnStatus.toLowerCase(),
  };
}

/** Where an order stands for `sortKey`; keys the sandbox does not model sort by id. */
export function orderSortPosition(order: OrderRecord, sortKey: OrderSortKey): SortPosition {
  switch (sortKey) {
    case 'CREATED_AT':
      return [order.createdAt, order.id];
    case 'UPDATED_AT':
      return [order.updatedAt, order.id];
    case 'PROCESSED_AT':
      return [order.processedAt, order.id];
    case 'ORDER_NUMBER':
      return [Number(order.name.replace(/\D/g, '')) || 0, order.id];
    case 'TOTAL_PRICE':
    case 'CURRENT_TOTAL_PRICE':
      return [Number(order.totalPrice), order.id];
    default:
      return [order.id, order.id];
  }
}
