// Issue 5, items 2 and 7: a few hundred hostile request bodies, deterministic (seeded), against one
// sandbox. Every answer must be well-formed HTTP with a JSON body and an expected status, and the
// sandbox must stay healthy and keep answering real queries. No new dependency: a seeded PRNG.
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { seededRandom, type Random } from '../../src/random.js';
import { gql, sandbox } from '../../../../test/helpers/sandbox.js';

const VALID = [
  '{ shop { name } }',
  '{ orders(first: 3) { nodes { id name displayFulfillmentStatus } } }',
  'query ($first: Int!, $q: String) { orders(first: $first, query: $q) { nodes { id } pageInfo { hasNextPage endCursor } } }',
  'query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Order { name } } }',
  'query ($id: ID!) { node(id: $id) { id } }',
  'mutation ($id: ID!) { fulfillmentOrderOpen(id: $id) { userErrors { field message } } }',
  '{ currentAppInstallation { accessScopes { handle } } }',
];

const ALLOWED_STATUSES = new Set([200, 400, 401, 404, 413]);

function fuzzCases(random: Random): { path: string; body: Buffer | string; token?: boolean }[] {
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const randomBytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  const randomText = (n: number) =>
    Array.from({ length: n }, () =>
      pick([
        '{',
        '}',
        '(',
        ')',
        '[',
        ']',
        ':',
        '$',
        '!',
        '@',
        '.',
        '"',
        '#',
        '\n',
        ' ',
        'a',
        'shop',
        '\u0000',
        '💥',
        '\ud800',
        'é',
        '...',
        'on',
        '1',
        '-',
        '\\',
      ]),
    ).join('');
  const deepJson = (levels: number, open: string, close: string, inner = '1') => open.repeat(levels) + inner + close.repeat(levels);
  const hostileValues: unknown[] = [
    null,
    true,
    0,
    -1,
    1e308,
    -0,
    2 ** 53 + 1,
    '',
    'x'.repeat(10_000),
    '\u0000',
    '💥',
    [],
    {},
    [1, 'a', null],
    { __proto__: { polluted: true } },
    JSON.parse('{"__proto__": {"polluted": true}}'),
    { constructor: { prototype: {} } },
    'gid://shopify/Order/1',
    'gid://shopify/Order/99999999999999999999',
    'gid://shopify/Nope/1',
    'gid://',
    '<script>',
  ];
  const variables = (): unknown => {
    switch (int(5)) {
      case 0:
        return pick(hostileValues);
      case 1:
        return { first: pick(hostileValues), q: pick(hostileValues), ids: pick(hostileValues), id: pick(hostileValues) };
      case 2:
        return {
          first: 1 + int(300),
          q: randomText(int(40)),
          ids: Array.from({ length: int(300) }, () => pick(hostileValues)),
          id: pick(hostileValues),
        };
      case 3:
        return JSON.parse(`{"first": 2, "ids": ${deepJson(2_000, '[', ']')}, "id": ${deepJson(2_000, '{"a":', '}')}}`);
      default:
        return { first: 2, ids: ['gid://shopify/Order/1'], id: 'gid://shopify/FulfillmentOrder/1' };
    }
  };

  const generators: (() => string | Buffer)[] = [
    () => randomBytes(int(2_000)),
    () => JSON.stringify({ query: pick(VALID), variables: variables() }).slice(0, int(120)), // truncated
    () => JSON.stringify({ query: pick(VALID), variables: variables(), operationName: pick(hostileValues) }),
    () => JSON.stringify({ query: randomText(int(400)) }),
    () => JSON.stringify({ query: pick(VALID) + randomText(int(50)), variables: variables() }),
    () => JSON.stringify({ query: `{ shop { name } } #${'x'.repeat(60_000 + int(400_000))}` }), // huge string
    () => JSON.stringify({ query: 'x'.repeat(int(900_000)) }),
    () => deepJson(10_000, '{"a":', '}'), // 10,000 levels of JSON objects
    () => deepJson(10_000, '[', ']'),
    () => `{"query": "{ shop { name } }", "variables": ${deepJson(10_000, '{"a":', '}')}}`,
    () => JSON.stringify([{ query: pick(VALID) }, { query: pick(VALID) }]), // a batch
    () => JSON.stringify(pick(hostileValues)),
    () => JSON.stringify({ query: pick(hostileValues), variables: variables() }),
    () => JSON.stringify({ query: pick(VALID), variables: pick(['a', 1, [1], true]) }),
    () => `{"__proto__": {"query": "{ shop { name } }"}, "constructor": {"prototype": {"x": 1}}}`,
    () => `{"query": "{ shop { name } }", "__proto__": null, "variables": {"__proto__": {"first": 1}}}`,
    () => `\ufeff${JSON.stringify({ query: pick(VALID) })}`, // BOM
    () => `{"query": "{ shop\u0000 { name } }"}`,
    () => `{"query": "{ shop { name \\ud800 } }"}`, // lone surrogate
    () => JSON.stringify({ query: `{ ${Array.from({ length: 2_000 }, (_, i) => `a${i}: shop { name }`).join(' ')} }` }), // aliases
    () => JSON.stringify({ query: `{ ${'__typename '.repeat(4_000)}}` }),
    () => JSON.stringify({ query: `${'{ a '.repeat(int(3_000))}${'}'.repeat(int(3_000))}` }),
    () =>
      JSON.stringify({
        query: `{ orders(first: ${pick(['99999999999999999999', '-1', '0', '1.5', '"3"', 'null'])}, query: ${JSON.stringify(randomText(int(60)))}) { nodes { id } } }`,
      }),
    () => JSON.stringify({ query: 'query { ...A } fragment A on QueryRoot { ...B } fragment B on QueryRoot { ...A }' }),
    () =>
      JSON.stringify({
        query: `mutation { bulkOperationRunQuery(query: ${JSON.stringify(pick([randomText(int(300)), `${'{a'.repeat(4_000)}${'}'.repeat(4_000)}`, '{ orders { edges { node { id } } } }']))}) { userErrors { message } } }`,
      }),
    () =>
      JSON.stringify({
        query: `mutation { orderCancel(orderId: ${JSON.stringify(pick(hostileValues.filter((v) => typeof v === 'string')))}, reason: OTHER, restock: ${pick(['true', 'false', '"x"'])}) { job { id } userErrors { message } } }`,
      }),
  ];

  const cases: { path: string; body: Buffer | string; token?: boolean }[] = [];
  for (let i = 0; i < 300; i++) cases.push({ path: '/admin/api/2026-10/graphql.json', body: pick(generators)(), token: random() > 0.05 });
  for (let i = 0; i < 40; i++) {
    const path = pick([
      '/__sandbox/tokens',
      '/__sandbox/clock',
      '/__sandbox/counters/reset',
      '/admin/api/2099-01/graphql.json',
      '/admin/api/../graphql.json',
      '/%E0%A4%A',
      '/__sandbox/bulk/999999999999999.jsonl',
    ]);
    const body =
      path === '/__sandbox/clock'
        ? JSON.stringify({ advanceMs: pick([1e308, -1, 'NaN', '1e400', { valueOf: 1, toString: 1 }, 8.64e15, 1e13, 60_000, [], null]) })
        : pick(generators)();
    cases.push({ path, body });
  }
  return cases;
}

describe('sandbox fuzz: hostile bodies', () => {
  const problems: unknown[] = [];
  const onProblem = (error: unknown) => problems.push(error);
  beforeEach(() => {
    problems.length = 0;
    process.on('uncaughtException', onProblem);
    process.on('unhandledRejection', onProblem);
  });
  afterEach(() => {
    process.off('uncaughtException', onProblem);
    process.off('unhandledRejection', onProblem);
    vi.restoreAllMocks();
  });

  it('answers every one with JSON and an expected status, and stays healthy', { timeout: 20_000 }, async () => {
    const consoleError = vi.spyOn(console, 'error');
    const consoleWarn = vi.spyOn(console, 'warn');
    const sb = await sandbox({ orders: 20, plan: 'unlimited' });
    const cases = fuzzCases(seededRandom(0xf022));
    const started = performance.now();
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const index = next++;
        const { path, body, token } = cases[index]!;
        const headers: Record<string, string> = { 'Content-Type': 'application/json' };
        if (token !== false) headers['X-Shopify-Access-Token'] = sb.token;
        const method = path.includes('/bulk/') ? 'GET' : 'POST';
        const res = await fetch(`${sb.url}${path}`, { method, headers, body: method === 'GET' ? undefined : body });
        const text = await res.text();
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        if (!ALLOWED_STATUSES.has(res.status) || json === undefined || !/^application\/json/.test(res.headers.get('content-type') ?? '')) {
          failures.push(`#${index} ${path} ${String(body).slice(0, 80)} → ${res.status} ${text.slice(0, 200)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(failures).toEqual([]);
    expect(performance.now() - started).toBeLessThan(10_000);

    expect(await (await fetch(`${sb.url}/__sandbox/health`)).json()).toMatchObject({ ok: true });
    const after = await gql(sb, '{ shop { name } orders(first: 2) { nodes { id } } }');
    expect(after.status).toBe(200);
    expect(after.body.data.shop.name).toBe('bulkfill sandbox');
    expect(problems).toEqual([]);
    expect(consoleError).not.toHaveBeenCalled();
    expect(consoleWarn).not.toHaveBeenCalled();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers broken HTTP itself with a well-formed HTTP error, and stays healthy', async () => {
    const sb = await sandbox({ orders: 5 });
    const random = seededRandom(0xb17e);
    const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
    const head = `POST /admin/api/2026-10/graphql.json HTTP/1.1\r\nHost: x\r\nX-Shopify-Access-Token: ${sb.token}\r\n`;
    const payloads: (string | Buffer)[] = [
      ...Array.from({ length: 20 }, () => Buffer.concat([bytes(1 + Math.floor(random() * 500)), Buffer.from('\r\n\r\n')])),
      ...Array.from({ length: 10 }, () => Buffer.concat([Buffer.from(head), bytes(50), Buffer.from('\r\n\r\n')])),
      `${head}X-Big: ${'x'.repeat(100_000)}\r\n\r\n`, // headers too large
      `${head}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, // both framings
      `${head}Content-Length: -1\r\n\r\n`,
      `${head}Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`, // bad chunk size
      'GET /__sandbox/health HTTP/9.9\r\n\r\n',
      'GET http://[::1 HTTP/1.1\r\nHost: x\r\n\r\n',
    ];
    for (const payload of payloads) {
      const answer = await new Promise<string>((resolve) => {
        const socket = net.connect(sb.port, '127.0.0.1', () => socket.end(payload));
        let text = '';
        const timer = setTimeout(() => socket.destroy(), 2_000);
        socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
        socket.on('error', () => {});
        socket.on('close', () => {
          clearTimeout(timer);
          resolve(text);
        });
      });
      expect(answer, String(payload).slice(0, 80)).toMatch(/^HTTP\/1\.1 (400|404|413|431|505) [^\r\n]*\r\n/);
    }
    expect((await gql(sb, '{ shop { name } }')).body.data.shop.name).toBe('bulkfill sandbox');
    expect(problems).toEqual([]);
  });
});
