// Access scopes of sandbox tokens, and Shopify's ACCESS_DENIED error (docs/shopify-behaviour.md#access-scopes).
// A write scope implies its read scope, as on Shopify.
import { GraphQLError } from 'graphql';

export const MERCHANT_SCOPES = [
  'read_orders',
  'write_orders',
  'read_all_orders',
  'read_merchant_managed_fulfillment_orders',
  'write_merchant_managed_fulfillment_orders',
  'read_third_party_fulfillment_orders',
  'write_third_party_fulfillment_orders',
] as const;

/** What a fulfillment service app holds: answering requests for its own fulfillment orders. */
export const SERVICE_SCOPES = ['read_assigned_fulfillment_orders', 'write_assigned_fulfillment_orders'] as const;

export const KNOWN_SCOPES: readonly string[] = [...MERCHANT_SCOPES, ...SERVICE_SCOPES];

export class Scopes {
  private readonly granted: Set<string>;

  constructor(scopes: Iterable<string>) {
    this.granted = new Set(scopes);
    for (const scope of this.granted) {
      if (scope.startsWith('write_')) this.granted.add(`read_${scope.slice('write_'.length)}`);
    }
  }

  has(scope: string): boolean {
    return this.granted.has(scope);
  }

  hasAny(scopes: readonly string[]): boolean {
    return scopes.some((scope) => this.granted.has(scope));
  }

  list(): string[] {
    return [...this.granted].sort();
  }

  /** Throws Shopify's ACCESS_DENIED error for `field` unless one of `scopes` is granted. */
  require(field: string, scopes: readonly string[]): void {
    if (this.hasAny(scopes)) return;
    const requiredAccess = `${scopes.map((s) => `\`${s}\``).join(' or ')} access scope${scopes.length > 1 ? 's' : ''}.`;
    throw new GraphQLError(`Access denied for ${field} field. Required access: ${requiredAccess}`, {
      extensions: {
        code: 'ACCESS_DENIED',
        documentation: 'https://shopify.dev/api/usage/access-scopes',
        requiredAccess,
      },
    });
  }

  /** Fulfillment orders are filtered by scope rather than denied: an app sees only those it may read. */
  canSeeFulfillmentOrder(atService: boolean): boolean {
    return atService
      ? this.hasAny(['read_third_party_fulfillment_orders', 'read_assigned_fulfillment_orders'])
      : this.has('read_merchant_managed_fulfillment_orders');
  }
}
