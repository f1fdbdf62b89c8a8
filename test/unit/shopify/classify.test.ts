// The classifier on the shapes client.request() produces (docs/shopify-behaviour.md#client-responses), as plain objects.
import { describe, expect, it } from 'vitest';

import { classifyResponse, parseRetryAfter, type ClassifyInput, type ClientResult } from '../../../src/shopify/classify.js';
import { mayHaveBeenApplied, type CallOutcome } from '../../../src/shopify/call-outcome.js';

const NOW = Date.parse('2026-11-26T12:00:00Z');
const TOKEN = 'shpat_0123456789abcdef';
const THROTTLE = { maximumAvailable: 2000, currentlyAvailable: 1990, restoreRate: 100 };
const COST = { requestedQueryCost: 12, actualQueryCost: 5, throttleStatus: THROTTLE };

const classify = (result: ClientResult, extra: Partial<ClassifyInput> = {}) => classifyResponse({ result, now: NOW, secrets: [TOKEN], ...extra });

/** A 200 whose body carried top-level `errors` (the client sets the status and the generic message). */
const withErrors = (graphQLErrors: unknown[], rest: Pick<ClientResult, 'data' | 'extensions'> = {}): ClientResult => ({
  ...rest,
  errors: {
    networkStatusCode: 200,
    message: "GraphQL Client: An error occurred while fetching from the API. Review 'graphQLErrors' for details.",
    graphQLErrors,
  },
});

/** A non-2xx reply: the client gives only the status and statusText; the body and headers are read from the Response. */
const http = (status: number, statusText: string, bodyText: string | null, headers: Record<string, string> = {}) =>
  classify({ errors: { networkStatusCode: status, message: `GraphQL Client: ${statusText}` } }, { bodyText, headers });

/** A fetch that threw: the client keeps only "GraphQL Client: <message>". */
const thrown = (error: unknown, extra: Partial<ClassifyInput> = {}) =>
  classify({ errors: { message: `GraphQL Client: ${(error as Error).message}` } }, { fetchError: error, ...extra });

const fetchFailed = (cause: object) => Object.assign(new TypeError('fetch failed'), { cause });
const codeError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('2xx answers', () => {
  it('data with cost is ok; userErrors stay inside data', () => {
    const data = { orderCancel: { job: null, orderCancelUserErrors: [{ message: 'Order already cancelled' }] } };
    expect(classify({ data, extensions: { cost: COST } })).toEqual({
      kind: 'ok',
      data,
      cost: { requested: 12, actual: 5, throttleStatus: THROTTLE },
    });
  });

  it('data without extensions is ok with cost null', () => {
    expect(classify({ data: { shop: { name: 'x' } } })).toEqual({ kind: 'ok', data: { shop: { name: 'x' } }, cost: null });
  });

  it('THROTTLED (HTTP 200) carries the cost with actual null', () => {
    const extensions = {
      cost: { requestedQueryCost: 752, actualQueryCost: null, throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 666, restoreRate: 50 } },
    };
    const outcome = classify(withErrors([{ message: 'Throttled', extensions: { code: 'THROTTLED' } }], { extensions }));
    expect(outcome).toEqual({
      kind: 'throttled',
      cost: { requested: 752, actual: null, throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 666, restoreRate: 50 } },
    });
  });

  it('THROTTLED without cost info still says throttled', () => {
    expect(classify(withErrors([{ message: 'Throttled', extensions: { code: 'THROTTLED' } }]))).toEqual({
      kind: 'throttled',
      cost: { requested: 0, actual: null, throttleStatus: null },
    });
  });

  it('MAX_COST_EXCEEDED reads cost and maxCost from the extensions, else from the message', () => {
    const message = 'Query cost is 2003, which exceeds the single query max cost limit (1000).\n\nSee …';
    expect(classify(withErrors([{ message, extensions: { code: 'MAX_COST_EXCEEDED', cost: 2003, maxCost: 1000 } }]))).toEqual({
      kind: 'max-cost',
      cost: 2003,
      maxCost: 1000,
    });
    expect(classify(withErrors([{ message, extensions: { code: 'MAX_COST_EXCEEDED' } }]))).toEqual({ kind: 'max-cost', cost: 2003, maxCost: 1000 });
  });

  it('ACCESS_DENIED is auth, even beside partial data, and names the scope', () => {
    const error = {
      message: 'Access denied for orderCancel field. Required access: `write_orders` access scope.',
      path: ['orderCancel'],
      extensions: { code: 'ACCESS_DENIED', requiredAccess: '`write_orders` access scope.' },
    };
    const expected: CallOutcome = { kind: 'auth', status: null, message: error.message, requiredAccess: 'write_orders access scope' };
    expect(classify(withErrors([error], { data: { shop: { name: 'x' }, orderCancel: null } }))).toEqual(expected);
    const { requiredAccess: _, ...withoutExtension } = error.extensions;
    expect(classify(withErrors([{ ...error, extensions: withoutExtension }]))).toEqual(expected);
  });

  it('SHOP_INACTIVE is shop-unavailable', () => {
    expect(classify(withErrors([{ message: 'Shop is inactive', extensions: { code: 'SHOP_INACTIVE' } }]))).toEqual({
      kind: 'shop-unavailable',
      status: 200,
      message: 'Shop is inactive',
    });
  });

  it('validation errors without data are graphql-errors', () => {
    const error = {
      message: "Field 'nope' doesn't exist on type 'Shop'",
      locations: [{ line: 1, column: 9 }],
      path: ['query', 'shop', 'nope'],
      extensions: { code: 'undefinedField' },
    };
    expect(classify(withErrors([error]))).toEqual({
      kind: 'graphql-errors',
      errors: [{ message: error.message, code: 'undefinedField', path: ['query', 'shop', 'nope'] }],
      data: null,
      cost: null,
    });
  });

  it('a bad search query (every root field null) is graphql-errors, keeping data and cost', () => {
    const outcome = classify(
      withErrors([{ message: 'Invalid search query: unexpected )', path: ['orders'], extensions: { code: 'BAD_REQUEST' } }], {
        data: { orders: null },
        extensions: { cost: COST },
      }),
    );
    expect(outcome).toMatchObject({ kind: 'graphql-errors', data: { orders: null }, cost: { requested: 12 } });
  });

  it('field errors beside usable data are ok, with the errors kept', () => {
    const data = { a: { id: 'gid://shopify/Order/1' }, b: null };
    const outcome = classify(withErrors([{ message: 'boom', path: ['b'] }], { data, extensions: { cost: COST } }));
    expect(outcome).toEqual({
      kind: 'ok',
      data,
      cost: { requested: 12, actual: 5, throttleStatus: THROTTLE },
      errors: [{ message: 'boom', code: null, path: ['b'] }],
    });
  });

  it('INTERNAL_SERVER_ERROR is graphql-errors even beside data', () => {
    const outcome = classify(
      withErrors(
        [{ message: 'Internal error. Looks like something went wrong on our end.', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'r1' } }],
        { data: { shop: { name: 'x' } } },
      ),
    );
    expect(outcome.kind).toBe('graphql-errors');
  });

  it.each([
    [
      'text/html',
      { networkStatusCode: 200, message: 'GraphQL Client: Response returned unexpected Content-Type: text/html' },
      'Response returned unexpected Content-Type: text/html',
    ],
    ['truncated JSON', { networkStatusCode: 200, message: 'Unexpected end of JSON input' }, 'Unexpected end of JSON input'],
    [
      'neither data nor errors',
      {
        networkStatusCode: 200,
        message: 'GraphQL Client: An unknown error has occurred. The API did not return a data object or any errors in its response.',
      },
      'An unknown error has occurred. The API did not return a data object or any errors in its response.',
    ],
  ])('%s is malformed', (_, errors, message) => {
    expect(classify({ errors })).toEqual({ kind: 'malformed', status: 200, message });
  });

  it('data that is not an object is malformed', () => {
    expect(classify({ data: 'nope' })).toMatchObject({ kind: 'malformed', status: 200 });
  });
});

describe('non-2xx answers', () => {
  it('401 is auth with Shopify’s message', () => {
    expect(http(401, 'Unauthorized', '{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}')).toEqual({
      kind: 'auth',
      status: 401,
      message: '[API] Invalid API key or access token (unrecognized login or wrong password)',
      requiredAccess: null,
    });
  });

  it('403 is auth and picks the scope out of the message', () => {
    expect(http(403, 'Forbidden', '{"errors":"This action requires merchant approval for read_orders scope."}')).toMatchObject({
      kind: 'auth',
      status: 403,
      requiredAccess: 'read_orders',
    });
  });

  it.each([
    [402, 'Payment Required', '{"errors":"Unavailable Shop"}', 'Unavailable Shop'],
    [423, 'Locked', '{"errors":"This shop is unavailable"}', 'This shop is unavailable'],
  ])('%i is shop-unavailable', (status, text, body, message) => {
    expect(http(status, text, body)).toEqual({ kind: 'shop-unavailable', status, message });
  });

  it.each([500, 502, 503, 504])('%i is server-error', (status) => {
    expect(http(status, 'Service Unavailable', '{"errors":"Service Unavailable"}')).toEqual({ kind: 'server-error', status });
  });

  it.each([
    ['2.0', 2000],
    ['1', 1000],
    ['0.5', 500],
    [' 3 ', 3000],
    ['Thu, 26 Nov 2026 12:00:05 GMT', 5000],
    ['Thu, 26 Nov 2026 11:59:00 GMT', 0],
  ])('429 with Retry-After %j waits %i ms', (value, ms) => {
    expect(http(429, 'Too Many Requests', '{"errors":"Exceeded"}', { 'retry-after': value })).toEqual({
      kind: 'rate-limited',
      status: 429,
      retryAfterMs: ms,
    });
  });

  it.each([[undefined], [''], ['soon'], ['-1'], ['1e3']])('429 with Retry-After %j has no wait', (value) => {
    const headers: Record<string, string> = value === undefined ? {} : { 'retry-after': value };
    expect(http(429, 'Too Many Requests', null, headers)).toEqual({ kind: 'rate-limited', status: 429, retryAfterMs: null });
  });

  it('parseRetryAfter reads seconds, not milliseconds (unlike the client’s parseInt)', () => {
    expect(parseRetryAfter('2.0', NOW)).toBe(2000);
    expect(parseRetryAfter(null, NOW)).toBeNull();
  });

  it.each([
    [404, 'Not Found', '{"errors":"Not Found"}', 'Not Found'],
    [400, 'Bad Request', '{"errors":{"query":"Required parameter missing or invalid"}}', 'query: Required parameter missing or invalid'],
    [404, 'Not Found', '<!DOCTYPE html><html>…</html>', 'Not Found'],
    [406, 'Not Acceptable', '', 'Not Acceptable'],
    [400, '', null, 'HTTP 400'],
  ])('%i is http-error with a readable message', (status, text, body, message) => {
    expect(http(status, text, body)).toEqual({ kind: 'http-error', status, message });
  });

  it('a redirect is an http-error naming where it pointed', () => {
    const outcome = http(301, 'Moved Permanently', '', { location: 'https://elsewhere.example/' });
    expect(outcome).toMatchObject({ kind: 'http-error', status: 301 });
    expect((outcome as { message: string }).message).toMatch(/redirected to https:\/\/elsewhere\.example\/.*not followed/);
  });
});

describe('no answer', () => {
  it('the caller’s abort is aborted', () => {
    const reason = new DOMException('This operation was aborted', 'AbortError');
    expect(thrown(reason, { abortedBy: 'caller' })).toEqual({ kind: 'aborted' });
  });

  it('the timeout is network with timedOut', () => {
    const reason = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(thrown(reason, { abortedBy: 'timeout', timeoutMs: 300 })).toEqual({
      kind: 'network',
      message: 'no answer after 300 ms (timed out)',
      timedOut: true,
      refused: false,
    });
  });

  it('connection refused is network refused', () => {
    expect(thrown(fetchFailed(codeError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:8787')))).toEqual({
      kind: 'network',
      message: 'connect ECONNREFUSED 127.0.0.1:8787',
      timedOut: false,
      refused: true,
    });
  });

  it('refused on every address (AggregateError) is refused', () => {
    const aggregate = Object.assign(new AggregateError([codeError('ECONNREFUSED', 'connect ECONNREFUSED ::1:8787')], ''), { code: 'ECONNREFUSED' });
    expect(thrown(fetchFailed(aggregate))).toMatchObject({ kind: 'network', refused: true });
  });

  it.each([['ENOTFOUND'], ['EAI_AGAIN'], ['UND_ERR_CONNECT_TIMEOUT'], ['CERT_HAS_EXPIRED'], ['ERR_TLS_CERT_ALTNAME_INVALID']])(
    '%s (never connected) is refused',
    (code) => {
      expect(thrown(fetchFailed(codeError(code, `failed: ${code}`)))).toMatchObject({ kind: 'network', refused: true, timedOut: false });
    },
  );

  it('a reset is network, not refused: the request may have been applied', () => {
    const outcome = thrown(fetchFailed(codeError('UND_ERR_SOCKET', 'other side closed')));
    expect(outcome).toEqual({ kind: 'network', message: 'other side closed', timedOut: false, refused: false });
    expect(mayHaveBeenApplied(outcome)).toBe(true);
  });

  it('a body cut short is network', () => {
    const terminated = Object.assign(new TypeError('terminated'), { cause: codeError('UND_ERR_SOCKET', 'other side closed') });
    expect(thrown(terminated)).toEqual({ kind: 'network', message: 'the answer was cut off: other side closed', timedOut: false, refused: false });
  });

  it('without the thrown error it falls back to the client’s message', () => {
    expect(classify({ errors: { message: 'GraphQL Client: fetch failed' } })).toEqual({
      kind: 'network',
      message: 'fetch failed',
      timedOut: false,
      refused: false,
    });
  });
});

describe('the token never appears in a message', () => {
  it.each<[string, () => CallOutcome]>([
    ['401 body', () => http(401, 'Unauthorized', JSON.stringify({ errors: `bad token ${TOKEN}` }))],
    ['404 body', () => http(404, 'Not Found', JSON.stringify({ errors: `no ${TOKEN}` }))],
    ['network', () => thrown(fetchFailed(codeError('X', `failed with ${TOKEN}`)))],
    ['graphql errors', () => classify(withErrors([{ message: `echo ${TOKEN}` }]))],
    ['partial errors', () => classify(withErrors([{ message: `echo ${TOKEN}`, path: ['b'] }], { data: { a: 1 } }))],
  ])('%s', (_, run) => {
    const outcome = run();
    expect(JSON.stringify(outcome)).not.toContain(TOKEN);
    expect(JSON.stringify(outcome)).toContain('[redacted]');
  });
});

describe('mayHaveBeenApplied', () => {
  it.each<[CallOutcome, boolean]>([
    [{ kind: 'server-error', status: 503 }, true],
    [{ kind: 'malformed', status: 200, message: 'x' }, true],
    [{ kind: 'network', message: 'reset', timedOut: false, refused: false }, true],
    [{ kind: 'network', message: 'timeout', timedOut: true, refused: false }, true],
    [{ kind: 'network', message: 'refused', timedOut: false, refused: true }, false],
    [{ kind: 'throttled', cost: { requested: 1, actual: null, throttleStatus: null } }, false],
    [{ kind: 'rate-limited', status: 429, retryAfterMs: 1000 }, false],
    [{ kind: 'aborted' }, false],
    [{ kind: 'ok', data: {}, cost: null }, false],
    [{ kind: 'graphql-errors', errors: [], data: null, cost: null }, false],
  ])('%j → %s', (outcome, expected) => {
    expect(mayHaveBeenApplied(outcome)).toBe(expected);
  });
});
