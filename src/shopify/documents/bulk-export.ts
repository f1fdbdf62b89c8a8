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
/** The points RUN_BULK_EXPORT costs (reserved by the run's pacing; test/integration/document-costs.test.ts holds it to Shopify's rules). */
export const RUN_BULK_EXPORT_COST = 10;

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
/** The points BULK_EXPORT_STATUS costs. */
export const BULK_EXPORT_STATUS_COST = 1;
