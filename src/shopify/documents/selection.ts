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
