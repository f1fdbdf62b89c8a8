// The Shopify Admin API versions bulkfill is written and contract-tested against.
export const SUPPORTED_API_VERSIONS = ['2026-07', '2026-10'] as const;

export type ApiVersion = (typeof SUPPORTED_API_VERSIONS)[number];

export const DEFAULT_API_VERSION: ApiVersion = '2026-10';

export function isApiVersion(value: string): value is ApiVersion {
  return (SUPPORTED_API_VERSIONS as readonly string[]).includes(value);
}
