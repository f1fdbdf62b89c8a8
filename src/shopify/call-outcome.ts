// What one Admin API call came to, as the transport hands it on: the outcome kinds (decided in
// classify.ts), the cost Shopify reported, and whether a call without a usable answer may have run.
// Its own module so the classifier, the transport and the run's scheduler share it without a cycle.

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface CostInfo {
  requested: number;
  /** null when Shopify did not run the query (THROTTLED). */
  actual: number | null;
  throttleStatus: ThrottleStatus | null;
}

export interface GraphQLErrorInfo {
  message: string;
  code: string | null;
  path: (string | number)[] | null;
}

export type CallOutcome =
  /** Data to use; field errors beside usable data are kept in `errors`. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the shape is the sent document's, read by its caller
  | { kind: 'ok'; data: any; cost: CostInfo | null; errors?: GraphQLErrorInfo[] }
  /** HTTP 200 THROTTLED: not executed. */
  | { kind: 'throttled'; cost: CostInfo }
  /** HTTP 429, Retry-After read as seconds (or an HTTP date): not executed. */
  | { kind: 'rate-limited'; status: 429; retryAfterMs: number | null }
  /** 5xx: may have been applied. */
  | { kind: 'server-error'; status: number }
  /** No (complete) answer: reset, timeout, refused, body cut off. `refused`: the connection was never made, so not applied. */
  | { kind: 'network'; message: string; timedOut: boolean; refused: boolean }
  /** A 2xx answer that is not JSON or has neither data nor errors: may have been applied. */
  | { kind: 'malformed'; status: number; message: string }
  /** The caller's signal fired (a timeout is `network` with `timedOut`). */
  | { kind: 'aborted' }
  /** 401, 403, or ACCESS_DENIED (then `status` is null and `requiredAccess` names the scope). */
  | { kind: 'auth'; status: number | null; message: string; requiredAccess: string | null }
  | { kind: 'max-cost'; cost: number; maxCost: number }
  /** 402 (frozen), 423 (locked), or SHOP_INACTIVE (status 200). */
  | { kind: 'shop-unavailable'; status: number; message: string }
  /** Any other GraphQL errors: validation, a bad search query, INTERNAL_SERVER_ERROR, no usable data. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as for 'ok'
  | { kind: 'graphql-errors'; errors: GraphQLErrorInfo[]; data: any; cost: CostInfo | null }
  /** Any other non-2xx reply, redirects included (they are never followed). */
  | { kind: 'http-error'; status: number; message: string };

/**
 * Whether Shopify may have run the call although no usable answer came back. `aborted` counts as not
 * applied here; a caller that aborts a mutation in flight must treat it as possibly sent (the run's
 * journal records every send before it happens).
 */
export function mayHaveBeenApplied(outcome: CallOutcome): boolean {
  switch (outcome.kind) {
    case 'server-error':
    case 'malformed':
      return true;
    case 'network':
      return !outcome.refused;
    case 'graphql-errors':
      // Shopify's INTERNAL_SERVER_ERROR can come after a mutation ran.
      return outcome.errors.some((error) => error.code === 'INTERNAL_SERVER_ERROR');
    default:
      return false;
  }
}
