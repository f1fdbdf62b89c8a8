// Many orders named by id are read through bulk exports of `id:` searches (free of the rate limit);
// what an export does not return goes on without facts, for the planner's own lookup.
import { afterEach, describe, expect, it } from 'vitest';
import { CANCEL_EXPORT } from '../../src/shopify/documents/cancel.js';
import { CostGate } from '../../src/run/cost-gate.js';
import { exportSelected } from '../../src/selection/export/export-selected.js';
import { Requester } from '../../src/run/requester.js';
import type { SelectedOrder } from '../../src/selection/resolve-selection.js';
import { downloadLines } from '../../src/shopify/download.js';
import { resolveStore } from '../../src/shopify/store-endpoint.js';
import { createTransport, type Transport } from '../../src/shopify/transport.js';
import { counters, orderGid, sandbox } from '../helpers/sandbox.js';
import { fixtureFile, order, store } from '../helpers/store-builder.js';

const transports: Transport[] = [];
afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.close()));
});

async function setup(orders: number) {
  const list = Array.from({ length: orders }, () => order());
  const sb = await sandbox({ fixturePath: fixtureFile(store(list)), timeScale: 20 });
  const transport = createTransport({
    endpoint: resolveStore(sb.url),
    accessToken: sb.token,
    apiVersion: '2026-10',
    maxConnections: 4,
    userAgent: 'test',
  });
  transports.push(transport);
  const gate = new CostGate({ now: Date.now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)), maxInFlight: 4 });
  const limits = { throttleRetries: 3, transientRetries: 2, baseDelayMs: 10, maxDelayMs: 100 };
  const requester = new Requester({
    transport,
    gate,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    random: Math.random,
    timeoutMs: 5000,
    limits,
  });
  const deps = { requester, downloadLines, sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)), signal: new AbortController().signal };
  return { sb, list, deps };
}

async function* named(gids: string[]): AsyncGenerator<SelectedOrder> {
  for (const gid of gids) yield { gid, name: null, origin: 'orders.csv' };
}

async function collect(source: AsyncIterable<SelectedOrder>): Promise<SelectedOrder[]> {
  const all: SelectedOrder[] = [];
  for await (const item of source) all.push(item);
  return all;
}

const template = { template: CANCEL_EXPORT, children: 'fulfillmentOrders' };

describe('exportSelected', () => {
  it('reads a big selection through exports of `id:` searches, chunk by chunk, and passes on what they miss', async () => {
    const { sb, list, deps } = await setup(130);
    const missing = orderGid(999_999_999);
    const gids = [...list.map((o) => orderGid(o.id)), missing];
    const out = await collect(exportSelected(named(gids), template, deps, { chunk: 50, parallel: 2, worthExporting: (n) => n * 13 > 200 }));
    expect(out.map((o) => o.gid).sort()).toEqual([...gids].sort());
    const withFacts = out.filter((o) => o.node !== undefined);
    expect(withFacts).toHaveLength(130);
    expect(withFacts[0]!.node).toMatchObject({ id: withFacts[0]!.gid, fulfillmentOrders: { nodes: expect.any(Array) } });
    expect(withFacts[0]!.name).toMatch(/^#\d+/);
    expect(out.find((o) => o.gid === missing)!.node).toBeUndefined();
    // Three exports (50 + 50 + 31 ids), and no per-order lookups.
    expect((await counters(sb)).bulkOperations.created).toBe(3);
  });

  it('leaves orders to the planner’s lookups while points are plentiful', async () => {
    const { sb, list, deps } = await setup(120);
    const out = await collect(
      exportSelected(named(list.map((o) => orderGid(o.id))), template, deps, { chunk: 50, parallel: 2, worthExporting: () => false }),
    );
    expect(out).toHaveLength(120);
    expect(out.every((o) => o.node === undefined)).toBe(true);
    expect((await counters(sb)).bulkOperations.created).toBe(0);
  });
});
