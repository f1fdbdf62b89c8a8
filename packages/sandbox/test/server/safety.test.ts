// Issue 5, item 7: the sandbox binds to loopback only, refuses oversized bodies, slow clients and
// over-long or over-deep queries with Shopify-like answers, and survives hostile input.
import net from 'node:net';
import { getIntrospectionQuery } from 'graphql';
import { describe, expect, it } from 'vitest';
import { main } from '../../../../src/cli.js';
import { startSandbox, SandboxConfigError } from '../../src/index.js';
import { MAX_QUERY_DEPTH, MAX_QUERY_LENGTH } from '../../src/graphql/limits.js';
import { MAX_BODY_BYTES } from '../../src/server.js';
import { createTestContext } from '../../../../test/helpers/context.js';
import { gql, sandbox } from '../../../../test/helpers/sandbox.js';

const ENDPOINT = '/admin/api/2026-10/graphql.json';

/** Sends raw bytes on a fresh connection and collects everything until the server closes it (or `waitMs`). */
function rawExchange(port: number, writes: (socket: net.Socket) => void, waitMs = 3_000) {
  return new Promise<{ text: string; closedAfterMs: number }>((resolve) => {
    const started = performance.now();
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    const done = () => {
      clearTimeout(timer);
      resolve({ text, closedAfterMs: performance.now() - started });
    };
    const timer = setTimeout(() => {
      socket.destroy();
      done();
    }, waitMs);
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', done);
    socket.on('connect', () => writes(socket));
  });
}

const statusOf = (text: string) => Number(/^HTTP\/1\.1 (\d{3}) /.exec(text)?.[1]);
const bodyOf = (text: string) => text.slice(text.indexOf('\r\n\r\n') + 4);

describe('sandbox safety: loopback only', () => {
  it.each(['0.0.0.0', '::', '[::]', '192.168.1.20', '10.0.0.1', '::ffff:10.0.0.1', 'example.com', ''])(
    'refuses --host %j before binding anything',
    async (host) => {
      await expect(startSandbox({ port: 0, orders: 1, seed: 1, plan: 'standard', timeScale: 1, host })).rejects.toThrow(SandboxConfigError);
    },
  );

  it.each([
    ['127.0.0.1', /^http:\/\/127\.0\.0\.1:\d+$/],
    ['::1', /^http:\/\/\[::1\]:\d+$/],
    ['[::1]', /^http:\/\/\[::1\]:\d+$/],
    ['localhost', /^http:\/\/(127\.0\.0\.1|\[::1\]):\d+$/],
  ])('serves on %s', async (host, url) => {
    const sb = await sandbox({ host, orders: 1 });
    expect(sb.url).toMatch(url);
    expect((await gql(sb, '{ shop { name } }')).body.data.shop.name).toBe('bulkfill sandbox');
  });

  it('bulkfill sandbox --host 0.0.0.0 exits 2 with a clear message', async () => {
    const ctx = createTestContext();
    expect(await main(['sandbox', '--port', '0', '--host', '0.0.0.0'], ctx)).toBe(2);
    expect(ctx.stderrText()).toMatch(/--host must be a loopback address \(127\.0\.0\.1, ::1 or localhost\), not "0\.0\.0\.0"/);
    expect(ctx.stdoutText()).toBe('');
  });

  it('bulkfill sandbox --host ::1 serves there', async () => {
    const ctx = createTestContext();
    const exit = main(['sandbox', '--port', '0', '--host', '::1', '--orders', '1', '--json'], ctx);
    await expect.poll(() => ctx.stdoutText(), { timeout: 5_000 }).not.toBe('');
    const ready = JSON.parse(ctx.stdoutText()) as { url: string; token: string };
    expect(ready.url).toMatch(/^http:\/\/\[::1\]:\d+$/);
    expect((await gql(ready, '{ shop { name } }')).status).toBe(200);
    ctx.interrupt();
    expect(await exit).toBe(0);
  });
});

describe('sandbox safety: request bodies and slow clients', () => {
  it('answers a body over 1 MiB with 413 in JSON and closes the connection, declared or streamed', async () => {
    const sb = await sandbox({ orders: 1 });
    const head = `POST ${ENDPOINT} HTTP/1.1\r\nHost: x\r\nX-Shopify-Access-Token: ${sb.token}\r\nContent-Type: application/json\r\n`;
    const big = `{"query":"${'x'.repeat(MAX_BODY_BYTES)}"}`;
    const declared = await rawExchange(sb.port, (s) => s.write(`${head}Content-Length: ${big.length}\r\n\r\n`));
    const streamed = await rawExchange(sb.port, (s) => {
      s.write(`${head}Transfer-Encoding: chunked\r\n\r\n`);
      s.write(`${big.length.toString(16)}\r\n${big}\r\n0\r\n\r\n`);
    });
    for (const { text } of [declared, streamed]) {
      expect(statusOf(text)).toBe(413);
      expect(text).toMatch(/\r\nConnection: close\r\n/i);
      expect(JSON.parse(bodyOf(text))).toEqual({ errors: 'Request body is too large' });
    }
    // Exactly at the limit is still read (and refused for what it says, not for its size).
    const atLimit = `{"query":"${'x'.repeat(MAX_BODY_BYTES - 12)}"}`;
    expect(atLimit.length).toBe(MAX_BODY_BYTES);
    const ok = await fetch(`${sb.url}${ENDPOINT}`, { method: 'POST', headers: { 'X-Shopify-Access-Token': sb.token }, body: atLimit });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as any).errors[0].extensions.code).toBe('MAX_QUERY_LENGTH_EXCEEDED');
  });

  it('cuts a slow loris (headers or body trickling) with 408 while answering everyone else', async () => {
    const sb = await sandbox({ orders: 1, requestTimeoutMs: 300 });
    const trickle = (socket: net.Socket, first: string, byte: string) => {
      socket.write(first);
      const timer = setInterval(() => (socket.writable ? socket.write(byte) : clearInterval(timer)), 40);
      socket.on('close', () => clearInterval(timer));
    };
    const slowBody = rawExchange(sb.port, (s) =>
      trickle(s, `POST ${ENDPOINT} HTTP/1.1\r\nHost: x\r\nX-Shopify-Access-Token: ${sb.token}\r\nContent-Length: 100000\r\n\r\n{`, ' '),
    );
    const slowHeaders = rawExchange(sb.port, (s) => trickle(s, `POST ${ENDPOINT} HTTP/1.1\r\nHost: x\r\n`, 'X-A: b\r\n'));
    const started = performance.now();
    for (let i = 0; i < 5; i++) expect((await gql(sb, '{ shop { name } }')).status).toBe(200);
    const othersServedAfterMs = performance.now() - started;
    for (const { text, closedAfterMs } of [await slowBody, await slowHeaders]) {
      expect(othersServedAfterMs).toBeLessThan(closedAfterMs); // served while the slow ones still hung on
      expect(statusOf(text)).toBe(408);
      expect(closedAfterMs).toBeGreaterThanOrEqual(250);
      expect(closedAfterMs).toBeLessThan(2_500);
    }
    expect((await fetch(`${sb.url}/__sandbox/health`)).status).toBe(200);
  });

  it('does not cut an answer the server itself holds back (the slow fault) after the request arrived', async () => {
    const sb = await sandbox({ orders: 1, requestTimeoutMs: 200, faults: 'slow=1,slow-ms=700' });
    const res = await gql(sb, '{ shop { name } }');
    expect(res.status).toBe(200);
    expect(res.body.data.shop.name).toBe('bulkfill sandbox');
  });
});

describe('sandbox safety: query limits (GraphQL errors, HTTP 200)', () => {
  // `a { a { … name } }`: `levels` fields named `a`, then `name`. Depth is measured before validation,
  // so the field names need not exist.
  const nest = (levels: number): string => (levels <= 0 ? 'name' : `a { ${nest(levels - 1)} }`);
  const nested = (depth: number) => `{ shop { ${nest(depth - 2)} } }`;

  it(`refuses a query over ${MAX_QUERY_LENGTH} characters`, async () => {
    const sb = await sandbox({ orders: 1 });
    const base = '{ shop { name } } #';
    const longest = base + 'x'.repeat(MAX_QUERY_LENGTH - base.length);
    expect((await gql(sb, longest)).body.data.shop.name).toBe('bulkfill sandbox');
    const res = await gql(sb, `${longest}x`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      errors: [
        {
          message: `Query has length of ${MAX_QUERY_LENGTH + 1}, which exceeds max length of ${MAX_QUERY_LENGTH}`,
          extensions: { code: 'MAX_QUERY_LENGTH_EXCEEDED', length: MAX_QUERY_LENGTH + 1, maxLength: MAX_QUERY_LENGTH },
        },
      ],
    });
  });

  it(`refuses fields nested deeper than ${MAX_QUERY_DEPTH}, counting through fragments`, async () => {
    const sb = await sandbox({ orders: 1 });
    const tooDeep = await gql(sb, nested(MAX_QUERY_DEPTH + 1));
    expect(tooDeep.status).toBe(200);
    expect(tooDeep.body).toEqual({
      errors: [
        {
          message: `Query has depth of ${MAX_QUERY_DEPTH + 1}, which exceeds max depth of ${MAX_QUERY_DEPTH}`,
          extensions: { code: 'MAX_DEPTH_EXCEEDED', depth: MAX_QUERY_DEPTH + 1, maxDepth: MAX_QUERY_DEPTH },
        },
      ],
    });
    // At the limit the document goes on to validation (and fails there: `a` is no field).
    const atLimit = await gql(sb, nested(MAX_QUERY_DEPTH));
    expect(atLimit.body.errors[0].message).toMatch(/Cannot query field "a"/);

    const viaFragments = `query { shop { ...A } } fragment A on Shop { a { ...B } } fragment B on X { ${nest(MAX_QUERY_DEPTH - 2)} }`;
    expect((await gql(sb, viaFragments)).body.errors[0].extensions.code).toBe('MAX_DEPTH_EXCEEDED');
    const cycle = 'query { shop { ...A } } fragment A on Shop { ...B } fragment B on Shop { ...A }';
    expect((await gql(sb, cycle)).body.errors[0].message).toMatch(/Cannot spread fragment "A" within itself/);
  });

  it('lets the standard introspection query through (depth 15)', async () => {
    const sb = await sandbox({ orders: 1 });
    const res = await gql(sb, getIntrospectionQuery());
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.__schema.queryType.name).toBe('QueryRoot');
  });

  it('refuses brackets nested too deep for the parser, without a stack overflow', async () => {
    const sb = await sandbox({ orders: 1 });
    for (const query of [`${'{a'.repeat(5_000)}${'}'.repeat(5_000)}`, `{ shop(x: ${'['.repeat(5_000)}) { name } }`]) {
      const res = await gql(sb, query);
      expect(res.status).toBe(200);
      expect(res.body.errors).toEqual([
        { message: 'Query has brackets nested deeper than 100', extensions: { code: 'MAX_DEPTH_EXCEEDED', maxNesting: 100 } },
      ]);
    }
    // Brackets inside strings and comments do not count.
    const res = await gql(sb, `{ shop { name } } # ${'{'.repeat(200)}\n`);
    expect(res.body.data.shop.name).toBe('bulkfill sandbox');
  });

  it('keeps MAX_COST_EXCEEDED and the 250-item input limit of nodes(ids:)', async () => {
    const sb = await sandbox({ orders: 1 });
    const costly = await gql(sb, '{ orders(first: 250) { nodes { id fulfillmentOrders(first: 10) { nodes { id } } } } }');
    expect(costly.body.errors[0].extensions.code).toBe('MAX_COST_EXCEEDED');
    const ids = Array.from({ length: 251 }, (_, i) => `gid://shopify/Order/${i + 1}`);
    const many = await gql(sb, 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids });
    expect(many.body.errors[0]).toMatchObject({
      message: 'The input array size of 251 is greater than the maximum allowed of 250.',
      extensions: { code: 'MAX_INPUT_SIZE_EXCEEDED' },
    });
  });
});
