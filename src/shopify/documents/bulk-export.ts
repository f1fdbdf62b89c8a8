import { gql } from '../gql.js';

/**
 * Starts a bulk query export: Shopify runs the query over every matching object and writes JSONL,
 * without the 25,000-object paging limit and without charging the export to the rate-limit bucket.
 */
export const RUN_BULK_EXPORT = gql`
  mutation RunBulkExport($query: String!) {
    bulkOperationRunQuery(query: $query) {
      bulkOperation {
        id
        status
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;

export const BULK_EXPORT_STATUS = gql`
  query BulkExportStatus($id: ID!) {
    bulkOperation(id: $id) {
      id
      status
      errorCode
      objectCount
      url
      partialDataUrl
    }
  }
`;
