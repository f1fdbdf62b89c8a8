// What one Admin API call came to, decided from plain facts: what `client.request()` returned, the
// status line, headers and body of a non-2xx reply, and what fetch threw. Pure, so every row of
// docs/shopify-behaviour.md#client-responses is a unit test. The order of the checks is the decision:
//   no response at all      → aborted (the caller's signal) | network (timeout, refused, reset…)
//   non-2xx                 → auth 401/403 | shop-unavailable 402/423 | rate-limited 429 | server-error 5xx | http-error
//   2xx without data/errors → malformed (not JSON, truncated JSON, neither key)
//   2xx with errors         → throttled | max-cost | shop-unavailable | auth (ACCESS_DENIED) | ok (partial) | graphql-errors
//   2xx with data           → ok
import type { CallOutcome, CostInfo, GraphQLErrorInfo, ThrottleStatus } from './call-outcome.js';
import { isRecord } from '../util/is-record.js';

/** The part of `client.request()`'s answer the classifier reads (the Response object is left out). */
export interface ClientResult {
  data?: unknown;
  extensions?: unknown;
  errors?: {
    networkStatusCode?: number;
    message?: string;
    graphQLErrors?: unknown;
  };
}

export interface ClassifyInput {
  result: ClientResult;
  /** Headers of a non-2xx reply, names in lower case (`retry-after`, `location`). */
  headers?: Readonly<Record<string, string>>;
  /** Body text of a non-2xx reply, when it could be read. */
  bodyText?: string | null;
  /** What fetch threw when no response came back (the client keeps only its message). */
  fetchError?: unknown;
  /** Which signal had fired when fetch threw: the caller's, or the per-request timeout. */
  abortedBy?: 'caller' | 'timeout' | null;
  timeoutMs?: number;
  /** Milliseconds since the epoch, for a Retry-After given as an HTTP date. */
  now: number;
  /** Strings that must never appear in a returned message (the access token). */
  secrets?: readonly string[];
}

export function classifyResponse(input: ClassifyInput): CallOutcome {
  return redactOutcome(classify(input), input.secrets ?? []);
}

function classify(input: ClassifyInput): CallOutcome {
  const { result } = input;
  const status = result.errors?.networkStatusCode;
  if (result.errors && status === undefined) return noResponse(input);
  if (status !== undefined && (status < 200 || status > 299)) return httpFailure(status, input);

  const graphQLErrors = result.errors?.graphQLErrors;
  const hasErrors = Array.isArray(graphQLErrors) ? graphQLErrors.length > 0 : graphQLErrors !== undefined;
  const cost = parseCost(result.extensions);
  if (!hasErrors) {
    if (result.errors || !isRecord(result.data)) {
      return { kind: 'malformed', status: status ?? 200, message: stripClientPrefix(result.errors?.message) || 'the answer has no data' };
    }
    return { kind: 'ok', data: result.data, cost };
  }
  return graphQLFailure(parseErrors(graphQLErrors), result.data, cost);
}

function noResponse(input: ClassifyInput): CallOutcome {
  if (input.abortedBy === 'caller') return { kind: 'aborted' };
  if (input.abortedBy === 'timeout') {
    const after = input.timeoutMs === undefined ? '' : ` after ${input.timeoutMs} ms`;
    return { kind: 'network', message: `no answer${after} (timed out)`, timedOut: true, refused: false };
  }
  const failure = describeNetworkError(input.fetchError);
  return {
    kind: 'network',
    message: failure.message || stripClientPrefix(input.result.errors?.message) || 'the request failed',
    timedOut: failure.timedOut,
    refused: failure.refused,
  };
}

function httpFailure(status: number, input: ClassifyInput): CallOutcome {
  const body = parseJson(input.bodyText);
  const errors = isRecord(body) ? body.errors : undefined;
  const parsed = Array.isArray(errors) ? parseErrors(errors) : [];
  const message =
    errorsMessage(errors) || (input.bodyText && !looksLikeMarkup(input.bodyText) ? firstLine(input.bodyText) : '') || httpReason(status, input);

  const denied = parsed.find((error) => error.info.code === 'ACCESS_DENIED');
  if (status === 401 || status === 403 || denied) {
    const requiredAccess = denied ? requiredAccessOf(denied) : status === 403 ? scopesIn(message) : null;
    return { kind: 'auth', status, message, requiredAccess };
  }
  if (status === 402 || status === 423) return { kind: 'shop-unavailable', status, message };
  if (status === 429) return { kind: 'rate-limited', status: 429, retryAfterMs: parseRetryAfter(input.headers?.['retry-after'], input.now) };
  if (status >= 500 && status <= 599) return { kind: 'server-error', status };
  if (status >= 300 && status <= 399) {
    const location = input.headers?.location;
    return { kind: 'http-error', status, message: `the store redirected${location ? ` to ${location}` : ''}; redirects are not followed` };
  }
  return { kind: 'http-error', status, message };
}

function graphQLFailure(parsed: ParsedError[], data: unknown, cost: CostInfo | null): CallOutcome {
  const withCode = (code: string) => parsed.find((error) => error.info.code === code);
  const errors = parsed.map((error) => error.info);
  if (withCode('THROTTLED')) return { kind: 'throttled', cost: cost ?? { requested: 0, actual: null, throttleStatus: null } };
  const maxCost = withCode('MAX_COST_EXCEEDED');
  if (maxCost) return { kind: 'max-cost', ...maxCostOf(maxCost) };
  const inactive = withCode('SHOP_INACTIVE');
  if (inactive) return { kind: 'shop-unavailable', status: 200, message: inactive.info.message };
  const denied = withCode('ACCESS_DENIED');
  if (denied) return { kind: 'auth', status: null, message: denied.info.message, requiredAccess: requiredAccessOf(denied) };
  // Field errors beside usable data (one alias of a batched lookup failed): the rest is still good.
  // When every root field is null, or Shopify failed internally, there is nothing to use.
  if (hasUsableData(data) && !withCode('INTERNAL_SERVER_ERROR')) return { kind: 'ok', data, cost, errors };
  return { kind: 'graphql-errors', errors, data: data ?? null, cost };
}

// ——— Retry-After ———

/** Shopify's Retry-After is in seconds, possibly fractional ("2.0"); an HTTP date is honoured too. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  const text = value?.trim();
  if (!text) return null;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date) || !/[a-z]/i.test(text)) return null;
  return Math.max(0, date - now);
}

// ——— cost ———

export function parseCost(extensions: unknown): CostInfo | null {
  const cost = isRecord(extensions) ? extensions.cost : undefined;
  if (!isRecord(cost) || !isNumber(cost.requestedQueryCost)) return null;
  return {
    requested: cost.requestedQueryCost,
    actual: isNumber(cost.actualQueryCost) ? cost.actualQueryCost : null,
    throttleStatus: parseThrottleStatus(cost.throttleStatus),
  };
}

function parseThrottleStatus(value: unknown): ThrottleStatus | null {
  if (!isRecord(value)) return null;
  const { maximumAvailable, currentlyAvailable, restoreRate } = value;
  if (!isNumber(maximumAvailable) || !isNumber(currentlyAvailable) || !isNumber(restoreRate)) return null;
  return { maximumAvailable, currentlyAvailable, restoreRate };
}

function maxCostOf({ info, extensions }: ParsedError): { cost: number; maxCost: number } {
  const match = /cost is (\d+)\D+?\((\d+)\)/.exec(info.message);
  const cost = isNumber(extensions.cost) ? extensions.cost : Number(match?.[1] ?? NaN);
  const maxCost = isNumber(extensions.maxCost) ? extensions.maxCost : Number(match?.[2] ?? 1000);
  return { cost, maxCost };
}

// ——— GraphQL errors ———

/** A GraphQL error as returned, with its raw extensions kept for the checks above. */
interface ParsedError {
  info: GraphQLErrorInfo;
  extensions: Record<string, unknown>;
}

function parseErrors(errors: unknown): ParsedError[] {
  return (Array.isArray(errors) ? errors : [errors]).map((error): ParsedError => {
    if (!isRecord(error)) return { info: { message: String(error), code: null, path: null }, extensions: {} };
    const extensions = isRecord(error.extensions) ? error.extensions : {};
    const path = Array.isArray(error.path)
      ? error.path.filter((part): part is string | number => typeof part === 'string' || typeof part === 'number')
      : null;
    return {
      info: {
        message: typeof error.message === 'string' ? error.message : JSON.stringify(error),
        code: typeof extensions.code === 'string' ? extensions.code : null,
        path,
      },
      extensions,
    };
  });
}

/** "`write_orders` access scope." → "write_orders access scope", from the extension or the message. */
function requiredAccessOf({ info, extensions }: ParsedError): string | null {
  const text = typeof extensions.requiredAccess === 'string' ? extensions.requiredAccess : /Required access:\s*(.+)$/s.exec(info.message)?.[1];
  if (!text) return scopesIn(info.message);
  return text.replace(/`/g, '').trim().replace(/\.$/, '') || null;
}

/** Scope handles named in a free-text message (a 403's "requires merchant approval for read_orders"). */
function scopesIn(message: string): string | null {
  const scopes = [...new Set(message.match(/\b(?:read|write|unauthenticated_read|unauthenticated_write)_[a-z_]+\b/g) ?? [])];
  return scopes.length ? scopes.join(', ') : null;
}

function hasUsableData(data: unknown): boolean {
  return isRecord(data) && Object.values(data).some((value) => value !== null && value !== undefined);
}

// ——— HTTP bodies and network errors ———

/** Shopify's non-2xx bodies: `{"errors": "text"}`, `{"errors": {"query": "text"}}` or GraphQL errors. */
function errorsMessage(errors: unknown): string {
  if (typeof errors === 'string') return errors;
  if (Array.isArray(errors))
    return parseErrors(errors)
      .map((error) => error.info.message)
      .join('; ');
  if (isRecord(errors)) {
    return Object.entries(errors)
      .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join('; ');
  }
  return '';
}

function httpReason(status: number, input: ClassifyInput): string {
  const fromClient = stripClientPrefix(input.result.errors?.message);
  return fromClient || `HTTP ${status}`;
}

const CONNECT_FAILURES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
const TLS_FAILURE =
  /^(?:ERR_TLS_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT)/;

/**
 * A fetch failure in words, and whether the connection was never made (refused, DNS, unreachable,
 * TLS): then the request certainly did not reach Shopify.
 */
export function describeNetworkError(error: unknown): { message: string; refused: boolean; timedOut: boolean } {
  const chain = errorChain(error);
  const codes = chain.map((e) => (typeof e.code === 'string' ? e.code : '')).filter(Boolean);
  const refused = codes.some((code) => CONNECT_FAILURES.has(code) || TLS_FAILURE.test(code));
  const timedOut = chain.some((e) => e.name === 'TimeoutError' || e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT');
  // The innermost cause says what happened ("connect ECONNREFUSED 127.0.0.1:8787", "other side closed").
  const messages = chain.map((e) => (typeof e.message === 'string' ? e.message : '')).filter(Boolean);
  const innermost = messages.at(-1) ?? '';
  // undici rejects a body read that the connection cut short with "terminated".
  const cutOff = messages[0] === 'terminated' && messages.length > 1;
  return { message: cutOff ? `the answer was cut off: ${innermost}` : innermost, refused, timedOut };
}

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
}

function errorChain(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  let current: unknown = error;
  while (isRecord(current) && chain.length < 8 && !chain.includes(current)) {
    chain.push(current);
    const nested = Array.isArray(current.errors) ? current.errors[0] : undefined; // AggregateError (several addresses)
    current = current.cause ?? nested;
  }
  return chain;
}

// ——— helpers ———

function redactOutcome(outcome: CallOutcome, secrets: readonly string[]): CallOutcome {
  const live = secrets.filter((secret) => secret.length > 0);
  if (!live.length) return outcome;
  const redact = (text: string) => live.reduce((acc, secret) => acc.split(secret).join('[redacted]'), text);
  const redactErrors = (errors: GraphQLErrorInfo[]) => errors.map((error) => ({ ...error, message: redact(error.message) }));
  switch (outcome.kind) {
    case 'network':
    case 'malformed':
    case 'auth':
    case 'shop-unavailable':
    case 'http-error':
      return { ...outcome, message: redact(outcome.message) };
    case 'graphql-errors':
      return { ...outcome, errors: redactErrors(outcome.errors) };
    case 'ok':
      return outcome.errors ? { ...outcome, errors: redactErrors(outcome.errors) } : outcome;
    default:
      return outcome;
  }
}

function stripClientPrefix(message: string | undefined): string {
  return (message ?? '').replace(/^GraphQL Client:\s*/, '').trim();
}

function parseJson(text: string | null | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function looksLikeMarkup(text: string): boolean {
  return /^\s*</.test(text);
}

function firstLine(text: string): string {
  return (text.split('\n', 1)[0] ?? '').trim().slice(0, 300);
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
