import { gql } from '../gql.js';

/**
 * What cancel needs to decide, per order, and no more (lookup points come out of the same budget as
 * the cancels): money as scalars (free) rather than MoneyBag objects, and only each fulfillment
 * order's statuses — a request status other than UNSUBMITTED means a fulfillment service holds it.
 */
export const CANCEL_LOOKUP = gql`
  query CancelLookup($ids: [ID!]!, $withCustomer: Boolean!) {
    nodes(ids: $ids) {
      ... on Order {
        id
        name
        cancelledAt
        displayFinancialStatus
        returnStatus
        currencyCode
        netPayment
        customer @include(if: $withCustomer) {
          id
        }
        fulfillmentOrders(first: 10) {
          pageInfo {
            hasNextPage
          }
          nodes {
            status
            requestStatus
          }
        }
      }
    }
  }
`;

/**
 * The same facts as CANCEL_LOOKUP for every order a search selects, as a bulk export (free of the
 * rate limit). `"__SEARCH__"` is replaced by the search, as a GraphQL string, before it is sent.
 */
export const CANCEL_EXPORT = gql`
  query CancelExport {
    orders(query: "__SEARCH__") {
      edges {
        node {
          id
          name
          cancelledAt
          displayFinancialStatus
          returnStatus
          currencyCode
          netPayment
          customer {
            id
          }
          fulfillmentOrders {
            edges {
              node {
                status
                requestStatus
              }
            }
          }
        }
      }
    }
  }
`;

export const CANCEL_ORDER = gql`
  # @versions 2026-07
  mutation CancelOrder(
    $orderId: ID!
    $reason: OrderCancelReason!
    $restock: Boolean!
    $notifyCustomer: Boolean
    $refundMethod: OrderCancelRefundMethodInput
    $staffNote: String
  ) {
    orderCancel(
      orderId: $orderId
      reason: $reason
      restock: $restock
      notifyCustomer: $notifyCustomer
      refundMethod: $refundMethod
      staffNote: $staffNote
    ) {
      job {
        id
      }
      orderCancelUserErrors {
        code
        field
        message
      }
    }
  }
`;

/** On 2026-10 the payload also names the job result, which says whether the cancel succeeded. */
export const CANCEL_ORDER_WITH_RESULT = gql`
  # @versions 2026-10
  mutation CancelOrderWithResult(
    $orderId: ID!
    $reason: OrderCancelReason!
    $restock: Boolean!
    $notifyCustomer: Boolean
    $refundMethod: OrderCancelRefundMethodInput
    $staffNote: String
  ) {
    orderCancel(
      orderId: $orderId
      reason: $reason
      restock: $restock
      notifyCustomer: $notifyCustomer
      refundMethod: $refundMethod
      staffNote: $staffNote
    ) {
      job {
        id
      }
      jobResult {
        id
      }
      orderCancelUserErrors {
        code
        field
        message
      }
    }
  }
`;

/** Whether orders are cancelled: to verify an ambiguous send, and to confirm on 2026-07. */
export const ORDERS_CANCELLED_AT = gql`
  query OrdersCancelledAt($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Order {
        id
        cancelledAt
      }
    }
  }
`;

/** Every order cancelled since a moment, as a bulk export: confirms many cancels for a few points. */
export const CANCELLED_EXPORT = gql`
  query CancelledExport {
    orders(query: "__SEARCH__") {
      edges {
        node {
          id
          cancelledAt
        }
      }
    }
  }
`;

/** How cancel jobs ended (2026-10). */
export const CANCEL_JOB_RESULTS = gql`
  # @versions 2026-10
  query CancelJobResults($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on OrderCancelJobResult {
        id
        done
        status
        errors {
          code
          message
        }
        order {
          id
          cancelledAt
        }
      }
    }
  }
`;
