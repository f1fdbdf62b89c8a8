import { describe, expect, it } from 'vitest';
import { parseStoreData } from '../../src/store/fixture.js';
import { advanceClock, counters, createToken, gql, sandbox, storeState } from '../../../../test/helpers/sandbox.js';

const RUN = `mutation Run($query: String!) {
  bulkOperationRunQuery(query: $query) {
    bulkOperation { id status type objectCount rootObjectCount fileSize url errorCode }
    userErrors { code field message }
  }
}`;
const POLL = `query Poll($id: ID!) {
  bulkOperation(id: $id) { id status type errorCode createdAt completedAt objectCount rootObjectCount fileSize url partialDataUrl query }
}`;
const OPEN_ORDERS_EXPORT = `{ orders(query: "status:open") { edges { node { id name displayFinancialStatus
  fulfillmentOrders { edges { node { status requestStatus } } } } } } }`;

type Target = { url: string; token: string };
type Options = { version?: string; token?: string };

async function run(sb: Target, query: string, options: Options = {}) {
  const res = await gql(sb, RUN, { query }, options);
  expect(res.body.errors).toBeUndefined();
  return { payload: res.body.data.bulkOperationRunQuery, cost: res.body.extensions.cost };
}

async function poll(sb: Target, id: string, options: Options = {}) {
  return (await gql(sb, POLL, { id }, options)).body.data.bulkOperation;
}

/** Polls as a client would, advancing sandbox time between looks, until the operation is done. */
async function untilDone(sb: Target, id: string, options: Options = {}) {
  for (let i = 0; i < 50; i++) {
    const operation = await poll(sb, id, options);
    if (operation.status !== 'CREATED' && operation.status !== 'RUNNING') return operation;
    await advanceClock(sb, 500);
  }
  throw new Error(`bulk operation ${id} never finished`);
}

async function download(url: string) {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/jsonl');
  const text = await response.text();
  return {
    text,
    lines: text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

async function openOrderIds(sb: Target): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const res: any = await gql(
      sb,
      'query ($after: String) { orders(first: 250, after: $after, query: "status:open") { nodes { id } pageInfo { hasNextPage endCursor } } }',
      { after },
    );
    const page = res.body.data.orders;
    ids.push(...page.nodes.map((n: { id: string }) => n.id));
    if (!page.pageInfo.hasNextPage) return ids;
    after = page.pageInfo.endCursor;
  }
}

describe('bulkOperationRunQuery', () => {
  it('exports open orders and their fulfillment orders as JSONL, children after their parent', async () => {
    const sb = await sandbox({ orders: 300 });
    const expectedOrders = await openOrderIds(sb);
    expect(expectedOrders.length).toBeGreaterThan(0);
    const foCount = (orderId: string) => sb.store.order(Number(orderId.split('/').pop()))!.fulfillmentOrders.length;
    const expectedFos = expectedOrders.reduce((sum, id) => sum + foCount(id), 0);

    const { payload } = await run(sb, OPEN_ORDERS_EXPORT);
    expect(payload.userErrors).toEqual([]);
    expect(payload.bulkOperation).toMatchObject({ status: 'CREATED', type: 'QUERY', objectCount: '0', url: null, errorCode: null });
    expect(payload.bulkOperation.id).toMatch(/^gid:\/\/shopify\/BulkOperation\/\d+$/);
    expect((await poll(sb, payload.bulkOperation.id)).status).toBe('RUNNING');

    const done = await untilDone(sb, payload.bulkOperation.id);
    expect(done).toMatchObject({ status: 'COMPLETED', errorCode: null, partialDataUrl: null, query: OPEN_ORDERS_EXPORT });
    expect(done.url).toBe(`${sb.url}/__sandbox/bulk/${payload.bulkOperation.id.split('/').pop()}.jsonl`);
    expect(Date.parse(done.completedAt) - Date.parse(done.createdAt)).toBeGreaterThanOrEqual(1000 + expectedOrders.length + expectedFos);

    const { text, lines } = await download(done.url);
    expect(lines).toHaveLength(expectedOrders.length + expectedFos);
    expect(done.objectCount).toBe(String(lines.length));
    expect(done.rootObjectCount).toBe(String(expectedOrders.length));
    expect(done.fileSize).toBe(String(Buffer.byteLength(text)));

    // Each order line, then its fulfillment orders, each naming it; no edges/node wrappers.
    const roots = lines.filter((line) => !('__parentId' in line));
    expect(roots.map((line) => line.id).sort()).toEqual([...expectedOrders].sort());
    let parent: Record<string, unknown> | null = null;
    for (const line of lines) {
      expect(line).not.toHaveProperty('edges');
      expect(line).not.toHaveProperty('node');
      expect(line).not.toHaveProperty('fulfillmentOrders');
      if ('__parentId' in line) {
        expect(Object.keys(line)).toEqual(['status', 'requestStatus', '__parentId']);
        expect(line.__parentId).toBe(parent!.id);
      } else {
        expect(Object.keys(line)).toEqual(['id', 'name', 'displayFinancialStatus']);
        parent = line;
      }
    }
    for (const id of expectedOrders) expect(lines.filter((line) => line.__parentId === id)).toHaveLength(foCount(id));
  });

  it('exports every matching object, unpaged (first/after/pageInfo ignored, no 250 page or 25,000 cap)', async () => {
    const sb = await sandbox({ orders: 300 });
    const { payload } = await run(sb, '{ orders(first: 5, after: null) { pageInfo { hasNextPage } nodes { id } } }');
    const done = await untilDone(sb, payload.bulkOperation.id);
    const { lines } = await download(done.url);
    expect(lines).toHaveLength(300);
    expect(new Set(lines.map((line) => line.id)).size).toBe(300);
    expect(done).toMatchObject({ objectCount: '300', rootObjectCount: '300' });
  });

  it('exports fulfillment orders with their line items through `nodes`', async () => {
    const sb = await sandbox({ orders: 20 });
    const { payload } = await run(sb, '{ fulfillmentOrders(includeClosed: true) { nodes { id status lineItems { nodes { sku totalQuantity } } } } }');
    const done = await untilDone(sb, payload.bulkOperation.id);
    const { lines } = await download(done.url);
    const fos = sb.store.data.orders.flatMap((o) => o.fulfillmentOrders);
    const items = fos.reduce((sum, fo) => sum + fo.lineItems.length, 0);
    expect(lines).toHaveLength(fos.length + items);
    expect(done.rootObjectCount).toBe(String(fos.length));
    const itemLines = lines.filter((line) => '__parentId' in line);
    expect(itemLines).toHaveLength(items);
    expect(Object.keys(itemLines[0]!)).toEqual(['sku', 'totalQuantity', '__parentId']);
    expect(String(itemLines[0]!.__parentId)).toMatch(/^gid:\/\/shopify\/FulfillmentOrder\//);
  });

  it('completes with no file when nothing matches', async () => {
    const sb = await sandbox({ orders: 10 });
    const { payload } = await run(sb, '{ orders(query: "name:#nothing-like-this") { edges { node { id } } } }');
    const done = await untilDone(sb, payload.bulkOperation.id);
    expect(done).toMatchObject({ status: 'COMPLETED', objectCount: '0', rootObjectCount: '0', fileSize: null, url: null });
  });

  it('finishes after 1000 ms + 1 ms per object of sandbox time, serving no file before', async () => {
    const sb = await sandbox({ orders: 10 });
    const { payload } = await run(sb, '{ orders { nodes { id } } }');
    const id = payload.bulkOperation.id;
    const file = `${sb.url}/__sandbox/bulk/${id.split('/').pop()}.jsonl`;
    expect((await fetch(file)).status).toBe(404);
    expect((await poll(sb, id)).status).toBe('RUNNING');
    await advanceClock(sb, 1010);
    const done = await poll(sb, id);
    expect(done.status).toBe('COMPLETED');
    expect(Date.parse(done.completedAt) - Date.parse(done.createdAt)).toBe(1010);
    expect((await fetch(file)).status).toBe(200);
  });

  it('charges the mutation 10 points and the export nothing', async () => {
    const sb = await sandbox({ orders: 300, bucketSize: 2000, restoreRate: 0.001 });
    const { cost } = await run(sb, OPEN_ORDERS_EXPORT);
    expect(cost).toMatchObject({ requestedQueryCost: 10, actualQueryCost: 10 });
    expect(cost.throttleStatus.currentlyAvailable).toBeCloseTo(1990, 0);
    await advanceClock(sb, 60_000);
    const res = await gql(sb, 'query { shop { name } }');
    expect(res.body.extensions.cost.throttleStatus.currentlyAvailable).toBeCloseTo(1989, 0);
  });

  it('works in 2026-07 too, and node(id:) resolves the operation', async () => {
    const sb = await sandbox({ orders: 10 });
    const { payload } = await run(sb, '{ orders { edges { node { id } } } }', { version: '2026-07' });
    expect(payload.userErrors).toEqual([]);
    const done = await untilDone(sb, payload.bulkOperation.id, { version: '2026-07' });
    expect(done).toMatchObject({ status: 'COMPLETED', objectCount: '10' });
    const node = await gql(sb, 'query ($id: ID!) { node(id: $id) { id ... on BulkOperation { status } } }', { id: done.id }, { version: '2026-07' });
    expect(node.body.data.node).toEqual({ id: done.id, status: 'COMPLETED' });
    const current = await gql(sb, '{ currentBulkOperation { id } }', {}, { version: '2026-07' });
    expect(current.body.data.currentBulkOperation).toEqual({ id: done.id });
  });

  describe('refuses queries Shopify refuses, with INVALID on `query` and no operation', () => {
    const cases: [string, string, RegExp][] = [
      ['a syntax error', '{ orders { edges { node { id } } }', /Syntax Error/],
      ['an unknown field', '{ orders { edges { node { id nope } } } }', /Cannot query field "nope" on type "Order"/],
      ['no connection', '{ shop { name } }', /at least one connection/],
      ['a top-level node', '{ node(id: "gid://shopify/Order/1") { id } }', /top level `node`/],
      ['a top-level nodes', '{ nodes(ids: ["gid://shopify/Order/1"]) { id } }', /top level `nodes`/],
      [
        'connections nested three deep',
        '{ orders { edges { node { id fulfillmentOrders { edges { node { id lineItems { edges { node { sku } } } } } } } } } }',
        /nesting depth greater than 2/,
      ],
      ['a mutation', 'mutation { fulfillmentOrderOpen(id: "gid://shopify/FulfillmentOrder/1") { userErrors { message } } }', /single query/],
      ['variables', 'query ($q: String) { orders(query: $q) { nodes { id } } }', /variables/],
    ];
    for (const [what, query, message] of cases) {
      it(what, async () => {
        const sb = await sandbox({ orders: 1 });
        const { payload } = await run(sb, query);
        expect(payload.bulkOperation).toBeNull();
        expect(payload.userErrors).toHaveLength(1);
        expect(payload.userErrors[0]).toMatchObject({ code: 'INVALID', field: ['query'] });
        expect(payload.userErrors[0].message).toMatch(message);
      });
    }
  });

  it('allows 5 running query operations per token; the 6th gets LIMIT_REACHED', async () => {
    const sb = await sandbox({ orders: 5 });
    const query = '{ orders { nodes { id } } }';
    for (let i = 0; i < 5; i++) expect((await run(sb, query)).payload.userErrors).toEqual([]);
    const sixth = (await run(sb, query)).payload;
    expect(sixth.bulkOperation).toBeNull();
    expect(sixth.userErrors).toEqual([{ code: 'LIMIT_REACHED', field: null, message: expect.stringMatching(/5 bulk query operations/) }]);

    const other = await createToken(sb, ['read_orders']);
    expect((await run(sb, query, { token: other.token })).payload.userErrors).toEqual([]);

    await advanceClock(sb, 2000);
    expect((await run(sb, query)).payload.userErrors).toEqual([]);
    expect((await counters(sb)).bulkOperations).toEqual({ created: 7, completed: 6, failed: 0 });
  });

  it('fails with ACCESS_DENIED when the token lacks the scope of the wrapped query', async () => {
    const sb = await sandbox({ orders: 5 });
    const limited = await createToken(sb, ['read_merchant_managed_fulfillment_orders']);
    const { payload } = await run(sb, OPEN_ORDERS_EXPORT, { token: limited.token });
    expect(payload.userErrors).toEqual([]);
    const done = await untilDone(sb, payload.bulkOperation.id, { token: limited.token });
    expect(done).toMatchObject({ status: 'FAILED', errorCode: 'ACCESS_DENIED', objectCount: '0', url: null, fileSize: null });
    expect((await counters(sb)).bulkOperations.failed).toBe(1);
  });

  it('keeps operations in the saved state, which loads again', async () => {
    const sb = await sandbox({ orders: 5 });
    const { payload } = await run(sb, '{ orders { nodes { id } } }');
    const running = await storeState(sb);
    expect(running.bulkOperations).toHaveLength(1);
    expect(running.pending.some((event) => event.kind === 'bulk-operation-finish')).toBe(true);
    expect(parseStoreData(structuredClone(running), 'saved.json')).toStrictEqual(running);
    await untilDone(sb, payload.bulkOperation.id);
    const finished = await storeState(sb);
    expect(finished.bulkOperations![0]).toMatchObject({ status: 'COMPLETED' });
    expect(parseStoreData(structuredClone(finished), 'saved.json')).toStrictEqual(finished);
  });
});
