import { describe, expect, it } from 'vitest';
import { counters, gql, orderGid, sandbox, setFaults } from '../../../../test/helpers/sandbox.js';
import { fixtureFile, order, store } from '../../../../test/helpers/store-builder.js';

const CANCEL = 'mutation ($id: ID!) { orderCancel(orderId: $id, reason: OTHER, restock: false) { job { id } } }';

async function oneOrderSandbox(faults: string) {
  const o = order();
  const sb = await sandbox({ fixturePath: fixtureFile(store([o])), faults, seed: 3 });
  return { sb, id: orderGid(o.id) };
}

const rawPost = (sb: { url: string; token: string }, id: string) =>
  fetch(`${sb.url}/admin/api/2026-10/graphql.json`, {
    method: 'POST',
    headers: { 'X-Shopify-Access-Token': sb.token, 'Content-Type': 'application/json' },
    body: JSON.stringify({ query: CANCEL, variables: { id } }),
  });

describe('injected faults', () => {
  it.each([
    ['503', 503],
    ['500', 500],
  ])('%s answers with that status and applies nothing', async (kind, status) => {
    const { sb, id } = await oneOrderSandbox(`${kind}=1`);
    const res = await rawPost(sb, id);
    expect(res.status).toBe(status);
    const seen = await counters(sb);
    expect(seen.calls.orderCancel).toBeUndefined();
    expect(seen.requests.faults[kind]).toBe(1);
  });

  it('429 carries Retry-After in seconds (scaled by --time-scale) and applies nothing', async () => {
    const { sb, id } = await oneOrderSandbox('429=1,retry-after=2');
    const res = await rawPost(sb, id);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('2.0');
    expect((await counters(sb)).calls.orderCancel).toBeUndefined();
  });

  it('reset-before drops the connection without applying', async () => {
    const { sb, id } = await oneOrderSandbox('reset-before=1');
    await expect(rawPost(sb, id)).rejects.toThrow();
    expect((await counters(sb)).calls.orderCancel).toBeUndefined();
  });

  it('reset-after applies the mutation, then drops the connection', async () => {
    const { sb, id } = await oneOrderSandbox('reset-after=1');
    await expect(rawPost(sb, id)).rejects.toThrow();
    expect((await counters(sb)).calls.orderCancel).toEqual({ [id]: 1 });
  });

  it('malformed applies the mutation and sends truncated JSON', async () => {
    const { sb, id } = await oneOrderSandbox('malformed=1');
    const res = await rawPost(sb, id);
    expect(res.status).toBe(200);
    await expect(res.clone().json()).rejects.toThrow();
    expect((await counters(sb)).calls.orderCancel).toEqual({ [id]: 1 });
  });

  it('slow applies at once and holds the answer for slow-ms', async () => {
    const { sb, id } = await oneOrderSandbox('slow=1,slow-ms=300');
    const started = performance.now();
    const res = await rawPost(sb, id);
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('draws faults deterministically for a seed, at about the configured rate', async () => {
    const kinds = async () => {
      const { sb } = await oneOrderSandbox('503=0.3,500=0.2');
      const statuses = [];
      for (let i = 0; i < 100; i++) statuses.push((await gql(sb, '{ shop { name } }')).status);
      return statuses;
    };
    const first = await kinds();
    expect(await kinds()).toEqual(first);
    const share503 = first.filter((s) => s === 503).length / 100;
    expect(share503).toBeGreaterThan(0.15);
    expect(share503).toBeLessThan(0.45);
  });

  it('faults can be changed while running, and bad specs are refused', async () => {
    const { sb } = await oneOrderSandbox('');
    expect((await gql(sb, '{ shop { name } }')).status).toBe(200);
    await setFaults(sb, '503=1');
    expect((await gql(sb, '{ shop { name } }')).status).toBe(503);
    await expect(setFaults(sb, '418=0.5')).rejects.toThrow(/unknown fault '418'/);
    await expect(setFaults(sb, '503=0.8,500=0.5')).rejects.toThrow(/add up to/);
  });
});
