import { describe, expect, it } from 'vitest';
import { gql, sandbox, storeState } from '../../../../test/helpers/sandbox.js';
import { fixtureFile, order, paid, store } from '../../../../test/helpers/store-builder.js';

const PAGE = `query Page($first: Int, $last: Int, $after: String, $before: String, $q: String, $sort: OrderSortKeys, $reverse: Boolean) {
  orders(first: $first, last: $last, after: $after, before: $before, query: $q, sortKey: $sort, reverse: $reverse) {
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id name } }
  }
}`;

describe('orders: pagination', () => {
  it('pages through every order exactly once with cursors', async () => {
    const sb = await sandbox({ orders: 120 });
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const res: any = await gql(sb, PAGE, { first: 25, after, sort: 'ID' });
      const conn = res.body.data.orders;
      seen.push(...conn.edges.map((e: any) => e.node.id));
      after = conn.pageInfo.hasNextPage ? conn.pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(pages).toBe(5);
    expect(new Set(seen).size).toBe(120);
  });

  it('keeps cursors valid while the list changes under them', async () => {
    const orders = [order(), order(), order(), order()];
    const sb = await sandbox({ fixturePath: fixtureFile(store(orders)) });
    const first = await gql(sb, PAGE, { first: 2, q: 'status:open', sort: 'ID' });
    // Cancel the first page's orders so they leave the filter, then ask for the next page.
    for (const edge of first.body.data.orders.edges) {
      await gql(sb, 'mutation ($id: ID!) { orderCancel(orderId: $id, reason: OTHER, restock: false) { job { id } } }', { id: edge.node.id });
    }
    await fetch(`${sb.url}/__sandbox/clock`, { method: 'POST', body: JSON.stringify({ advanceMs: 1000 }) });
    const next = await gql(sb, PAGE, { first: 2, after: first.body.data.orders.pageInfo.endCursor, q: 'status:open', sort: 'ID' });
    expect(next.body.data.orders.edges.map((e: any) => e.node.id)).toEqual(orders.slice(2).map((o) => `gid://shopify/Order/${o.id}`));
  });

  it('supports last/before, reverse and sort keys', async () => {
    const sb = await sandbox({ orders: 30 });
    const all = (await gql(sb, PAGE, { first: 30, sort: 'ID' })).body.data.orders.edges.map((e: any) => e.node.id);
    const reversed = (await gql(sb, PAGE, { first: 30, sort: 'ID', reverse: true })).body.data.orders.edges.map((e: any) => e.node.id);
    expect(reversed).toEqual([...all].reverse());
    const tail = await gql(sb, PAGE, { last: 5, sort: 'ID' });
    expect(tail.body.data.orders.edges.map((e: any) => e.node.id)).toEqual(all.slice(-5));
    expect(tail.body.data.orders.pageInfo.hasPreviousPage).toBe(true);
    const before = await gql(sb, PAGE, { last: 3, before: tail.body.data.orders.pageInfo.startCursor, sort: 'ID' });
    expect(before.body.data.orders.edges.map((e: any) => e.node.id)).toEqual(all.slice(-8, -5));
    const byCreated = (await gql(sb, '{ orders(first: 30, sortKey: CREATED_AT) { nodes { createdAt } } }')).body.data.orders.nodes.map(
      (n: any) => n.createdAt,
    );
    expect(byCreated).toEqual([...byCreated].sort());
  });

  it('refuses page sizes above 250 and requests without first or last', async () => {
    const sb = await sandbox();
    expect((await gql(sb, '{ orders(first: 251) { nodes { id } } }')).body.errors[0].message).toMatch(/less than or equal to 250/);
    expect((await gql(sb, '{ orders { nodes { id } } }')).body.errors[0].message).toMatch(/first or last/);
  });

  it('nodes() takes at most 250 ids and returns null for unknown ones', async () => {
    const sb = await sandbox({ orders: 3 });
    const ids = (await storeState(sb)).orders.map((o) => `gid://shopify/Order/${o.id}`);
    const res = await gql(sb, 'query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Order { name } } }', { ids: [...ids, 'gid://shopify/Order/1'] });
    expect(res.body.data.nodes.slice(0, 3).map((n: any) => n.id)).toEqual(ids);
    expect(res.body.data.nodes[3]).toBeNull();
    const tooMany = await gql(sb, 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', {
      ids: Array.from({ length: 251 }, (_, i) => `gid://shopify/Order/${i}`),
    });
    expect(tooMany.body.errors[0].message).toMatch(/maximum allowed of 250/);
  });
});

describe('orders: search syntax', () => {
  const names = async (sb: { url: string; token: string }, q: string) =>
    (await gql(sb, '{ orders(first: 250, sortKey: ID, query: ' + JSON.stringify(q) + ') { nodes { name } } }')).body.data.orders.nodes.map(
      (n: any) => n.name,
    );

  it('filters by status, financial_status, tag, name, id, dates, OR, NOT and -', async () => {
    const a = order({ tags: ['vip'], createdAt: '2026-10-01T00:00:00.000Z' });
    const b = order({
      tags: ['wholesale'],
      payment: { state: 'pending', authorized: '0.00', captured: '0.00', refunded: '0.00', refundedToStoreCredit: '0.00' },
    });
    const c = order({
      cancelledAt: '2026-11-01T00:00:00.000Z',
      cancelReason: 'OTHER',
      closedAt: '2026-11-01T00:00:00.000Z',
      payment: { ...paid(), refunded: '50.00' },
    });
    const sb = await sandbox({ fixturePath: fixtureFile(store([a, b, c])) });
    expect(await names(sb, 'status:open')).toEqual([a.name, b.name]);
    expect(await names(sb, 'status:cancelled')).toEqual([c.name]);
    expect(await names(sb, 'financial_status:pending')).toEqual([b.name]);
    expect(await names(sb, 'financial_status:refunded')).toEqual([c.name]);
    expect(await names(sb, 'tag:vip OR tag:wholesale')).toEqual([a.name, b.name]);
    expect(await names(sb, '-tag:vip status:open')).toEqual([b.name]);
    expect(await names(sb, 'NOT tag:vip')).toEqual([b.name, c.name]);
    expect(await names(sb, `name:${a.name}`)).toEqual([a.name]);
    expect(await names(sb, `name:"${b.name.slice(1)}"`)).toEqual([b.name]);
    expect(await names(sb, `id:>=${b.id}`)).toEqual([b.name, c.name]);
    expect(await names(sb, "created_at:<'2026-11-01'")).toEqual([a.name]);
  });

  it('reports unknown fields in extensions.search and a malformed query as an error', async () => {
    const sb = await sandbox({ orders: 3 });
    const unknown = await gql(sb, '{ orders(first: 5, query: "colour:red") { nodes { id } } }');
    expect(unknown.body.data.orders.nodes).toEqual([]);
    expect(unknown.body.extensions.search[0].warnings[0]).toMatch(/colour/);
    const broken = await gql(sb, '{ orders(first: 5, query: "tag:\\"unclosed") { nodes { id } } }');
    expect(broken.body.errors[0].message).toMatch(/^Invalid search query/);
  });

  it('fulfillment_status and delivery_method follow the fulfillment orders', async () => {
    const sb = await sandbox({ orders: 80 });
    const state = await storeState(sb);
    const pickUp = state.orders.filter((o) =>
      o.fulfillmentOrders.some((fo) => fo.deliveryMethod === 'PICK_UP' && fo.status !== 'CLOSED' && fo.status !== 'CANCELLED'),
    );
    const found = await names(sb, 'delivery_method:pick-up');
    for (const o of pickUp) expect(found).toContain(o.name);
    const fulfilled = await names(sb, 'fulfillment_status:fulfilled');
    expect(fulfilled.length).toBeGreaterThan(0);
  });
});
