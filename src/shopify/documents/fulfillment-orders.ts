import { gql } from '../gql.js';

/**
 * What the three fulfillment-order actions decide on, per order: each fulfillment order's state,
 * what Shopify says it supports, its delivery method, and the location (and service) it is at.
 */
export const FULFILLMENT_ORDERS_LOOKUP = gql`
  query FulfillmentOrdersLookup($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Order {
        id
        name
        cancelledAt
        fulfillmentOrders(first: 10) {
          pageInfo {
            hasNextPage
          }
          nodes {
            id
            status
            requestStatus
            supportedActions {
              action
            }
            deliveryMethod {
              methodType
            }
            assignedLocation {
              location {
                isFulfillmentService
                fulfillmentService {
                  handle
                }
              }
            }
          }
        }
      }
    }
  }
`;

/** The same facts for every order a search selects, as a bulk export. */
export const FULFILLMENT_ORDERS_EXPORT = gql`
  query FulfillmentOrdersExport {
    orders(query: "__SEARCH__") {
      edges {
        node {
          id
          name
          cancelledAt
          fulfillmentOrders {
            edges {
              node {
                id
                status
                requestStatus
                supportedActions {
                  action
                }
                deliveryMethod {
                  methodType
                }
                assignedLocation {
                  location {
                    isFulfillmentService
                    fulfillmentService {
                      handle
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
`;

/**
 * A fulfillment order's latest fulfillment request: read for the few about to be requested again after
 * a rejection (at the plan), and to read such a request back — a request sent shows as a newer latest
 * request, even once the service rejected it.
 */
export const FULFILLMENT_REQUEST_STATES = gql`
  query FulfillmentRequestStates($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on FulfillmentOrder {
        id
        status
        requestStatus
        merchantRequests(kind: FULFILLMENT_REQUEST, last: 1) {
          nodes {
            id
          }
        }
      }
    }
  }
`;

/** Reading back whether a fulfillment-order step took effect. */
export const FULFILLMENT_ORDER_STATES = gql`
  query FulfillmentOrderStates($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on FulfillmentOrder {
        id
        status
        requestStatus
      }
    }
  }
`;

export const OPEN_FULFILLMENT_ORDER = gql`
  mutation OpenFulfillmentOrder($id: ID!) {
    fulfillmentOrderOpen(id: $id) {
      fulfillmentOrder {
        id
        status
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const SUBMIT_FULFILLMENT_REQUEST = gql`
  mutation SubmitFulfillmentRequest($id: ID!, $message: String, $notifyCustomer: Boolean) {
    fulfillmentOrderSubmitFulfillmentRequest(id: $id, message: $message, notifyCustomer: $notifyCustomer) {
      submittedFulfillmentOrder {
        id
        requestStatus
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const SUBMIT_CANCELLATION_REQUEST = gql`
  mutation SubmitCancellationRequest($id: ID!, $message: String) {
    fulfillmentOrderSubmitCancellationRequest(id: $id, message: $message) {
      fulfillmentOrder {
        id
        requestStatus
      }
      userErrors {
        field
        message
      }
    }
  }
`;

/** Withdraws a request the service has not accepted yet (it is not sent to the service). */
export const WITHDRAW_FULFILLMENT_REQUEST = gql`
  mutation WithdrawFulfillmentRequest($id: ID!) {
    fulfillmentOrderCancel(id: $id) {
      fulfillmentOrder {
        id
        status
      }
      userErrors {
        field
        message
      }
    }
  }
`;
