import { gql } from '../gql.js';

/** One page of the orders a search query selects: ids only (1 point each), the action reads the rest. */
export const ORDERS_BY_QUERY = gql`
  query OrdersByQuery($query: String!, $first: Int!, $after: String) {
    orders(first: $first, after: $after, query: $query, sortKey: ID) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
      }
    }
  }
`;
/** The orders one page of ORDERS_BY_QUERY asks for (`first`): Shopify's most per page. */
export const ORDERS_BY_QUERY_PAGE_SIZE = 250;
/**
 * The points one such page costs: one per order asked for, plus the connection and the query (reserved
 * by the run's pacing; test/integration/document-costs.test.ts holds it to Shopify's rules).
 */
export const ORDERS_BY_QUERY_PAGE_COST = ORDERS_BY_QUERY_PAGE_SIZE + 2;
