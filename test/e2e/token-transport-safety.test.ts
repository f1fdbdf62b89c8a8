// Where the access token may travel, with the built bin as a real process:
//   - never over plain http except to loopback, and never to a store that is not *.myshopify.com or a
//     loopback URL: refused before any network request, with a message saying why;
//   - never along a redirect: a 3xx from the store is reported, not followed.
// A preload (NODE_OPTIONS=--require) logs every outgoing connection and DNS lookup the CLI makes, so
// "before any network request" is observed, not inferred.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, afterEach, describe, expect, it } from 'vitest';

import { createTransport } from '../../src/shopify/transport.js';
import { resolveStore } from '../../src/shopify/store-endpoint.js';
import { runBin } from '../helpers/bin.js';
import { recordToken } from '../helpers/leak-scan.js';
import { sandbox } from '../helpers/sandbox.js';

const TOKEN = `shpat_${randomBytes(16).toString('hex')}`;
recordToken(TOKEN, 'token-transport-safety.test.ts');

const probeDir = mkdtempSync(join(tmpdir(), 'netcount-'));
const PRELOAD = join(probeDir, 'count-network.cjs');
writeFileSync(
  PRELOAD,
  `// Logs each outgoing connection and DNS lookup of this process to $NETCOUNT_LOG.
const fs = require('node:fs');
const net = require('node:net');
const dns = require('node:dns');
const log = (line) => fs.appendFileSync(process.env.NETCOUNT_LOG, line + '\\n');
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const first = args[0];
  const where = Array.isArray(first) ? first[0] : first;
  log('connect ' + (typeof where === 'object' && where !== null ? (where.host ?? '') + ':' + (where.port ?? where.path ?? '') : String(where)));
  return connect.apply(this, args);
};
for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6']) {
  const original = dns[name];
  dns[name] = function (host, ...rest) {
    log(name + ' ' + host);
    return original.call(this, host, ...rest);
  };
}
`,
);

afterAll(() => rmSync(probeDir, { recursive: true, force: true }));

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

let runs = 0;
/** `bulkfill <args>` with the token in the environment; also returns the network activity it logged. */
async function run(args: string[], token = TOKEN) {
  const log = join(probeDir, `net-${++runs}.log`);
  const stateDir = mkdtempSync(join(tmpdir(), 'bulkfill-tokensafety-'));
  const started = Date.now();
  const result = await runBin(args, {
    SHOPIFY_ACCESS_TOKEN: token,
    BULKFILL_STATE_DIR: stateDir,
    CI: 'true',
    NODE_OPTIONS: `--require ${PRELOAD}`,
    NETCOUNT_LOG: log,
  });
  const network = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
  return { ...result, network, ms: Date.now() - started, stateDir };
}

const CANCEL_FLAGS = ['--ids', '1', '--yes', '--reason', 'other', '--refund', 'later', '--no-restock'];

describe('a store that would expose the token is refused before any network request', () => {
  it.each([
    ['http://example.com', /uses plain http:\/\/: the access token would travel unencrypted/],
    ['http://192.168.1.10', /uses plain http:\/\/: the access token would travel unencrypted/],
    ['http://10.0.0.5:8787', /uses plain http:\/\/: the access token would travel unencrypted/],
    ['http://shop.myshopify.com', /uses plain http:\/\/.*Use https:\/\/shop\.myshopify\.com\./],
    ['shop.myshopfy.com', /is not a myshopify\.com domain: did you mean shop\.myshopify\.com\?/],
    ['https://shop.myshopify.com.evil.example', /is not a myshopify\.com domain/],
    ['https://example.com', /is not a myshopify\.com domain; the access token is only sent to Shopify/],
  ])('--store %s: exit 2, says why, no connection, no DNS lookup', async (store, why) => {
    const result = await run(['cancel', '--store', store, ...CANCEL_FLAGS]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(why);
    expect(result.stdout).toBe('');
    expect(result.network).toEqual([]);
    expect(result.ms).toBeLessThan(10_000);
    expect(`${result.stdout}${result.stderr}`).not.toContain(TOKEN);
  });

  it('the acceptance command `SHOPIFY_ACCESS_TOKEN=x bulkfill cancel --store http://example.com --ids 1 --yes` exits 2 without any network request', async () => {
    const result = await run(['cancel', '--store', 'http://example.com', '--ids', '1', '--yes'], 'x');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: /);
    expect(result.network).toEqual([]);
    expect(result.ms).toBeLessThan(10_000);
  });

  it('control: the counter does see the connections of an allowed loopback store', async () => {
    const sb = await sandbox({ orders: 3 });
    const result = await run(['cancel', '--store', sb.url, ...CANCEL_FLAGS, '--dry-run'], sb.token);
    expect(result.network.some((line) => line.startsWith(`connect 127.0.0.1:${sb.port}`))).toBe(true);
  });
});

describe('redirects are never followed with the token', () => {
  /** A store answering every request with `status` to an elsewhere that records what reaches it. */
  async function redirectingStore(status: number) {
    const elsewhere: { method?: string; url?: string; headers: IncomingHttpHeaders }[] = [];
    const target = await listen((req, res) => {
      elsewhere.push({ method: req.method, url: req.url, headers: req.headers });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"data":{}}');
    });
    const store = { requests: 0 };
    const location = `${target.url}/admin/api/2026-10/graphql.json`;
    const origin = await listen((req, res) => {
      store.requests++;
      req.resume();
      res.writeHead(status, { Location: location, 'Content-Type': 'text/html' }).end(`<a href="${location}">moved</a>`);
    });
    return { url: origin.url, location, elsewhere, store };
  }

  it.each([301, 302, 307, 308])('HTTP %i: the transport returns an http-error naming the Location, nothing reaches it', async (status) => {
    const { url, location, elsewhere, store } = await redirectingStore(status);
    const transport = createTransport({
      endpoint: resolveStore(url),
      accessToken: TOKEN,
      apiVersion: '2026-10',
      maxConnections: 2,
      userAgent: 'test',
    });
    try {
      const outcome = await transport.request('{ shop { name } }', {}, { timeoutMs: 5_000 });
      expect(outcome).toEqual({ kind: 'http-error', status, message: `the store redirected to ${location}; redirects are not followed` });
    } finally {
      await transport.close();
    }
    expect(store.requests).toBe(1);
    expect(elsewhere).toEqual([]);
  });

  it.each([301, 302, 307, 308])('HTTP %i: bulkfill cancel reports the redirect and never sends the token along it', async (status) => {
    const { url, location, elsewhere, store } = await redirectingStore(status);
    const result = await run(['cancel', '--store', url, ...CANCEL_FLAGS]);
    expect(store.requests).toBeGreaterThan(0);
    expect(elsewhere).toEqual([]);
    expect(elsewhere.some((request) => 'x-shopify-access-token' in request.headers)).toBe(false);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`redirected to ${location}; redirects are not followed`);
    expect(`${result.stdout}${result.stderr}`).not.toContain(TOKEN);
  });
});
