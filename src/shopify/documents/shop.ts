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
