import { gql } from '../gql.js';

/** The shop behind the token and the scopes granted to it: checks the connection before a run. */
export const SHOP_INFO = gql`
  query ShopInfo {
    shop {
      name
      myshopifyDomain
      currencyCode
    }
    currentAppInstallation {
      accessScopes {
        handle
      }
    }
  }
`;
/** The points SHOP_INFO costs (reserved by the run's pacing; test/integration/document-costs.test.ts holds it to Shopify's rules). */
export const SHOP_INFO_COST = 3;
