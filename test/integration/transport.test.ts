// The transport against a real sandbox over loopback: every outcome kind from a real HTTP exchange.
import diagnosticsChannel from 'node:diagnostics_channel';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { resolveStore } from '../../src/shopify/store-endpoint.js';
import { mayHaveBeenApplied, type CallOutcome } from '../../src/shopify/call-outcome.js';
import { createTransport, type AdminTransport, type TransportOptions } from '../../src/shopify/transport.js';
import { counters, createToken, orderGid, sandbox, setFaults } from '../helpers/sandbox.js';

const SHOP = '{ shop { name } }';
const TEN_ORDERS = '{ orders(first: 10) { nodes { id } } }';
const TOO_COSTLY = '{ orders(first: 250) { nodes { id fulfillmentOrders(first: 10) { nodes { id } } } } }';
const CANCEL = `mutation Cancel($id: ID!) {
  orderCancel(orderId: $id, reason: OTHER, restock: false) { job { id } orderCancelUserErrors { code } }
}`;
const TIMEOUT_MS = 5_000;

const opened: AdminTransport[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((transport) => transport.close()));
  vi.restoreAllMocks();
});

function connect(target: { url: string; token: string }, overrides: Partial<TransportOptions> = {}): AdminTransport {
  const transport = createTransport({
    endpoint: resolveStore(target.url),
    accessToken: target.token,
    apiVersion: '2026-10',
    maxConnections: 4,
    userAgent: 'bulkfill-test/0.0.0',
    ...overrides,
  });
  opened.push(transport);
  return transport;
}

const send = (transport: AdminTransport, document: string, variables: Record<string, unknown> = {}, timeoutMs = TIMEOUT_MS) =>
  transport.request(document, variables, { timeoutMs });

/** One order, cancellable, so a mutation's effect can be counted. */
async function withFaults(faults: string) {
  const sb = await sandbox({ orders: 5, faults, cancelJobDelayMs: 3_600_000 });
  const id = orderGid(sb.store.data.orders[0]!.id);
  return { sb, id, transport: connect(sb) };
}

describe('answers', () => {
  it('ok carries data and the cost with the throttle status', async () => {
    const sb = await sandbox();
    const outcome = await send(connect(sb), SHOP);
    expect(outcome).toMatchObject({
      kind: 'ok',
      data: { shop: { name: expect.any(String) } },
      cost: { requested: 1, actual: 1, throttleStatus: { maximumAvailable: 2000, restoreRate: 100 } },
    });
    expect(outcome).not.toHaveProperty('errors');
  });

  it('a bucket too small for the query answers THROTTLED: throttled, not applied', async () => {
    const sb = await sandbox({ bucketSize: 5 });
    const outcome = await send(connect(sb), TEN_ORDERS);
    expect(outcome).toEqual({
      kind: 'throttled',
      cost: { requested: 12, actual: null, throttleStatus: { maximumAvailable: 5, currentlyAvailable: expect.any(Number), restoreRate: 100 } },
    });
    expect(mayHaveBeenApplied(outcome)).toBe(false);
  });

  it('a query above 1000 points is max-cost', async () => {
    const sb = await sandbox();
    const outcome = await send(connect(sb), TOO_COSTLY);
    expect(outcome).toMatchObject({ kind: 'max-cost', maxCost: 1000 });
    expect((outcome as { cost: number }).cost).toBeGreaterThan(1000);
  });

  it('a wrong token is auth 401, and the token is not in the message', async () => {
    const sb = await sandbox();
    const outcome = await send(connect(sb, { accessToken: 'shpat_wrong_token' }), SHOP);
    expect(outcome).toEqual({
      kind: 'auth',
      status: 401,
      message: '[API] Invalid API key or access token (unrecognized login or wrong password)',
      requiredAccess: null,
    });
  });

  it('a token without the scope gets ACCESS_DENIED: auth naming the scope, nothing applied', async () => {
    const sb = await sandbox({ orders: 5 });
    const { token } = await createToken(sb, ['read_orders']);
    const id = orderGid(sb.store.data.orders[0]!.id);
    const outcome = await send(connect(sb, { accessToken: token }), CANCEL, { id });
    expect(outcome).toMatchObject({ kind: 'auth', status: null, requiredAccess: 'write_orders access scope' });
    expect((outcome as { message: string }).message).toMatch(/orderCancel.*write_orders/);
    expect((await counters(sb)).calls.orderCancel).toBeUndefined();
  });

  it('an API version the store does not serve is http-error 404, and nothing reaches the console', async () => {
    const sb = await sandbox();
    const consoleCalls = (['log', 'warn', 'error', 'info', 'debug'] as const).map((method) => vi.spyOn(console, method).mockImplementation(() => {}));
    const transport = connect(sb, { apiVersion: '2025-01' });
    expect(await send(transport, SHOP)).toEqual({ kind: 'http-error', status: 404, message: 'Not Found' });
    for (const spy of consoleCalls) expect(spy).not.toHaveBeenCalled();
    // The client's own version check (from the local clock) becomes a notice instead of console.warn.
    expect(transport.notices).toContainEqual({ kind: 'unsupported-version', message: expect.stringContaining('2025-01') });
  });

  it('a validation error is graphql-errors', async () => {
    const sb = await sandbox();
    const outcome = await send(connect(sb), '{ shop { nope } }');
    expect(outcome).toMatchObject({ kind: 'graphql-errors', data: null, errors: [{ message: expect.stringContaining('nope') }] });
  });

  it('a bad search query is graphql-errors saying so', async () => {
    const sb = await sandbox();
    const outcome = await send(connect(sb), '{ orders(first: 5, query: "created_at:>") { nodes { id } } }');
    expect(outcome).toMatchObject({ kind: 'graphql-errors', errors: [{ message: expect.stringMatching(/search query/i) }] });
  });
});

describe('injected faults', () => {
  it.each([
    ['503=1', 503],
    ['500=1', 500],
  ])('%s is server-error, which may have been applied', async (faults, status) => {
    const { transport, id } = await withFaults(faults);
    const outcome = await send(transport, CANCEL, { id });
    expect(outcome).toEqual({ kind: 'server-error', status });
    expect(mayHaveBeenApplied(outcome)).toBe(true);
  });

  it('429 is rate-limited with Retry-After read as seconds ("2.0" → 2000 ms), once', async () => {
    const { sb, transport, id } = await withFaults('429=1,retry-after=2');
    const started = performance.now();
    expect(await send(transport, CANCEL, { id })).toEqual({ kind: 'rate-limited', status: 429, retryAfterMs: 2000 });
    // retries: 0 — the client did not retry (or sleep) on its own.
    expect(performance.now() - started).toBeLessThan(1000);
    expect((await counters(sb)).requests.graphql).toBe(1);
  });

  it('reset-before is network, not refused (the client cannot know it was not applied)', async () => {
    const { sb, transport, id } = await withFaults('reset-before=1');
    const outcome = await send(transport, CANCEL, { id });
    expect(outcome).toMatchObject({ kind: 'network', timedOut: false, refused: false });
    expect((outcome as { message: string }).message).toMatch(/closed|reset/i);
    expect((await counters(sb)).requests.graphql).toBe(1);
  });

  it('reset-after is network and may have been applied — and was', async () => {
    const { sb, transport, id } = await withFaults('reset-after=1');
    const outcome = await send(transport, CANCEL, { id });
    expect(outcome).toMatchObject({ kind: 'network', timedOut: false, refused: false });
    expect(mayHaveBeenApplied(outcome)).toBe(true);
    expect((await counters(sb)).calls.orderCancel).toEqual({ [id]: 1 });
  });

  it('malformed (truncated JSON) is malformed and may have been applied — and was', async () => {
    const { sb, transport, id } = await withFaults('malformed=1');
    const outcome = await send(transport, CANCEL, { id });
    expect(outcome).toMatchObject({ kind: 'malformed', status: 200 });
    expect(mayHaveBeenApplied(outcome)).toBe(true);
    expect((await counters(sb)).calls.orderCancel).toEqual({ [id]: 1 });
  });

  it('slow beyond timeoutMs is network timedOut, in about timeoutMs', async () => {
    const { transport } = await withFaults('slow=1,slow-ms=2000');
    const started = performance.now();
    const outcome = await send(transport, SHOP, {}, 300);
    expect(outcome).toEqual({ kind: 'network', message: 'no answer after 300 ms (timed out)', timedOut: true, refused: false });
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('the caller’s abort is aborted, not a timeout', async () => {
    const { transport } = await withFaults('slow=1,slow-ms=2000');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    expect(await transport.request(SHOP, {}, { signal: controller.signal, timeoutMs: TIMEOUT_MS })).toEqual({ kind: 'aborted' });
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('an already aborted signal sends nothing', async () => {
    const { sb, transport } = await withFaults('');
    expect(await transport.request(SHOP, {}, { signal: AbortSignal.abort(), timeoutMs: TIMEOUT_MS })).toEqual({ kind: 'aborted' });
    expect((await counters(sb)).requests.total).toBe(0);
  });

  it('recovers on the next request once faults stop', async () => {
    const { sb, transport } = await withFaults('reset-before=1');
    expect((await send(transport, SHOP)).kind).toBe('network');
    await setFaults(sb, '');
    expect((await send(transport, SHOP)).kind).toBe('ok');
  });
});

describe('connections', () => {
  it('a closed sandbox is network refused: certainly not applied', async () => {
    const sb = await sandbox();
    const transport = connect(sb);
    await sb.close();
    const outcome = await send(transport, SHOP);
    expect(outcome).toMatchObject({ kind: 'network', refused: true, timedOut: false });
    expect((outcome as { message: string }).message).toContain('ECONNREFUSED');
    expect(mayHaveBeenApplied(outcome)).toBe(false);
  });

  it.each([1, 4])('200 sequential requests with maxConnections %i reuse keep-alive connections, never more than that', async (maxConnections) => {
    const sb = await sandbox();
    const transport = connect(sb, { maxConnections });
    const sockets = await countConnections(sb.port, async () => {
      for (let i = 0; i < 200; i++) expect((await send(transport, SHOP)).kind).toBe('ok');
    });
    expect(sockets).toBeGreaterThanOrEqual(1);
    expect(sockets).toBeLessThanOrEqual(maxConnections);
  });

  it('100 concurrent requests with maxConnections 4 all succeed over at most 4 connections', async () => {
    const sb = await sandbox();
    const transport = connect(sb, { maxConnections: 4 });
    const sockets = await countConnections(sb.port, async () => {
      const outcomes = await Promise.all(Array.from({ length: 100 }, () => send(transport, SHOP)));
      expect(outcomes.filter((outcome) => outcome.kind === 'ok')).toHaveLength(100);
    });
    expect(sockets).toBeGreaterThanOrEqual(1);
    expect(sockets).toBeLessThanOrEqual(4);
  });

  it('close() lets requests in flight finish', async () => {
    const sb = await sandbox();
    const transport = connect(sb);
    const inFlight = send(transport, SHOP);
    await transport.close();
    expect((await inFlight).kind).toBe('ok');
    await expect(send(transport, SHOP)).rejects.toThrow(/after close/);
  });
});

describe('what goes on the wire', () => {
  it('sends the token and user agent to the loopback origin over http, and follows no redirect', async () => {
    const seen: IncomingMessage[] = [];
    const server = await listen((req, res) => {
      seen.push(req);
      res.writeHead(301, { Location: 'https://attacker.example/admin/api/2026-10/graphql.json' }).end();
    });
    const port = (server.address() as AddressInfo).port;
    const outcome = await send(connect({ url: `http://127.0.0.1:${port}`, token: 'shpat_secret' }), SHOP);
    server.close();
    expect(outcome).toMatchObject({ kind: 'http-error', status: 301 });
    expect((outcome as { message: string }).message).toContain('https://attacker.example/');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe('/admin/api/2026-10/graphql.json');
    expect(seen[0]!.headers['x-shopify-access-token']).toBe('shpat_secret');
    expect(seen[0]!.headers['user-agent']).toMatch(/^bulkfill-test\/0\.0\.0 \| Admin API Client/);
  });

  it('keeps a deprecation notice once, however often Shopify sends it', async () => {
    const server = await listen((_req, res) => {
      res
        .writeHead(200, { 'Content-Type': 'application/json', 'X-Shopify-API-Deprecated-Reason': 'https://shopify.dev/changelog/x' })
        .end(JSON.stringify({ data: { shop: { name: 'x' } } }));
    });
    const transport = connect({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: 'shpat_x' });
    for (let i = 0; i < 3; i++) expect((await send(transport, SHOP)).kind).toBe('ok');
    server.close();
    expect(transport.notices).toEqual([{ kind: 'deprecation', message: 'https://shopify.dev/changelog/x' }]);
  });

  it('a body cut off mid-way is network', async () => {
    const server = await listen((req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
      res.write('{"data":{"shop":');
      setTimeout(() => req.socket.destroy(), 20);
    });
    const transport = connect({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: 'shpat_x' });
    const outcome: CallOutcome = await send(transport, SHOP);
    server.close();
    expect(outcome).toMatchObject({ kind: 'network', refused: false, timedOut: false, message: expect.stringContaining('cut off') });
  });
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<Server> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** New TCP connections undici opens to `port` while `run` runs. */
async function countConnections(port: number, run: () => Promise<void>): Promise<number> {
  let count = 0;
  const onConnected = (message: unknown) => {
    const params = (message as { connectParams?: { port?: string | number } }).connectParams;
    if (Number(params?.port) === port) count++;
  };
  diagnosticsChannel.subscribe('undici:client:connected', onConnected);
  try {
    await run();
  } finally {
    diagnosticsChannel.unsubscribe('undici:client:connected', onConnected);
  }
  return count;
}
