import { describe, expect, it } from 'vitest';
import { createToken, gql, sandbox } from '../../../../test/helpers/sandbox.js';

describe('sandbox HTTP surface', () => {
  it('answers a query with data and extensions.cost.throttleStatus', async () => {
    const sb = await sandbox();
    const res = await gql(sb, '{ shop { name myshopifyDomain } }');
    expect(res.status).toBe(200);
    expect(res.body.data.shop.name).toBe('bulkfill sandbox');
    expect(res.body.extensions.cost).toMatchObject({
      requestedQueryCost: 1,
      actualQueryCost: 1,
      throttleStatus: { maximumAvailable: 2000, restoreRate: 100 },
    });
  });

  it('refuses a missing or unknown token with 401', async () => {
    const sb = await sandbox();
    for (const token of [null, 'shpat_wrong']) {
      const res = await gql(sb, '{ shop { name } }', {}, { token });
      expect(res.status).toBe(401);
      expect(res.body.errors).toMatch(/Invalid API key or access token/);
    }
  });

  it('serves 2026-07 and 2026-10 and answers other versions with Not Found', async () => {
    const sb = await sandbox();
    expect((await gql(sb, '{ shop { name } }', {}, { version: '2026-07' })).status).toBe(200);
    const res = await gql(sb, '{ shop { name } }', {}, { version: '2025-01' });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ errors: 'Not Found' });
  });

  it('validates against the version: jobResult exists on 2026-10 only', async () => {
    const sb = await sandbox();
    const doc = 'mutation { orderCancel(orderId: "gid://shopify/Order/1", reason: OTHER, restock: false) { jobResult { id } } }';
    const old = await gql(sb, doc, {}, { version: '2026-07' });
    expect(old.body.errors[0].message).toBe('Cannot query field "jobResult" on type "OrderCancelPayload".');
    const current = await gql(sb, doc, {}, { version: '2026-10' });
    expect(current.body.errors).toBeUndefined();
  });

  it('answers a body without a query with 400, and syntax errors with GraphQL errors', async () => {
    const sb = await sandbox();
    const empty = await fetch(`${sb.url}/admin/api/2026-10/graphql.json`, {
      method: 'POST',
      headers: { 'X-Shopify-Access-Token': sb.token, 'Content-Type': 'application/json' },
      body: '{"nope":1}',
    });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toEqual({ errors: { query: 'Required parameter missing or invalid' } });
    const syntax = await gql(sb, '{ shop { name ');
    expect(syntax.status).toBe(200);
    expect(syntax.body.errors[0].message).toMatch(/Syntax Error/);
  });

  it('rejects bodies over 1 MiB with 413', async () => {
    const sb = await sandbox();
    const res = await fetch(`${sb.url}/admin/api/2026-10/graphql.json`, {
      method: 'POST',
      headers: { 'X-Shopify-Access-Token': sb.token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: `{ shop { name } } #${'x'.repeat(1_100_000)}` }),
    });
    expect(res.status).toBe(413);
  });

  it('listens on loopback only', async () => {
    const sb = await sandbox();
    expect(sb.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});

describe('access scopes', () => {
  it('lists the token scopes in currentAppInstallation', async () => {
    const sb = await sandbox();
    const limited = await createToken(sb, ['read_orders']);
    const res = await gql(sb, '{ currentAppInstallation { accessScopes { handle } } }', {}, { token: limited.token });
    expect(res.body.data.currentAppInstallation.accessScopes.map((s: { handle: string }) => s.handle)).toEqual(['read_orders']);
  });

  it('denies a mutation without its scope in Shopify ACCESS_DENIED shape', async () => {
    const sb = await sandbox();
    const limited = await createToken(sb, ['read_orders']);
    const res = await gql(
      sb,
      'mutation { orderCancel(orderId: "gid://shopify/Order/1", reason: OTHER, restock: false) { job { id } } }',
      {},
      { token: limited.token },
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ orderCancel: null });
    expect(res.body.errors[0]).toMatchObject({
      message: 'Access denied for orderCancel field. Required access: `write_orders` access scope.',
      path: ['orderCancel'],
      extensions: { code: 'ACCESS_DENIED', requiredAccess: '`write_orders` access scope.' },
    });
  });

  it('hides fulfillment orders the token may not read, and orders older than 60 days without read_all_orders', async () => {
    const sb = await sandbox();
    const merchantOnly = await createToken(sb, ['read_orders', 'read_merchant_managed_fulfillment_orders']);
    const query =
      '{ orders(first: 60, sortKey: ID) { nodes { createdAt fulfillmentOrders(first: 3) { nodes { assignedLocation { location { isFulfillmentService } } } } } } }';
    const res = await gql(sb, query, {}, { token: merchantOnly.token });
    const orders = res.body.data.orders.nodes as any[];
    const locations = orders.flatMap((o) => o.fulfillmentOrders.nodes.map((fo: any) => fo.assignedLocation.location.isFulfillmentService));
    expect(locations.length).toBeGreaterThan(0);
    expect(locations.every((atService) => atService === false)).toBe(true);
    const sixtyDaysAgo = Date.now() - 60 * 24 * 3600 * 1000;
    expect(orders.every((o) => Date.parse(o.createdAt) >= sixtyDaysAgo - 60_000)).toBe(true);
    const all = await gql(sb, '{ orders(first: 250) { nodes { id } } }');
    expect(orders.length).toBeLessThan(60);
    expect(all.body.data.orders.nodes.length).toBeGreaterThan(orders.length);
  });

  it('refuses unknown scopes when creating a token', async () => {
    const sb = await sandbox();
    await expect(createToken(sb, ['write_everything'])).rejects.toThrow(/unknown access scope write_everything/);
  });
});
