import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SandboxConfigError } from '../../src/index.js';
import { advanceClock, counters, gql, orderGid, sandbox, storeState } from '../../../../test/helpers/sandbox.js';
import { fixtureFile, order, store } from '../../../../test/helpers/store-builder.js';

const SMALL_STORE = fileURLToPath(new URL('../fixtures/small-store.json', import.meta.url));

describe('fixtures', () => {
  it('loads the documented example fixture', async () => {
    const sb = await sandbox({ fixturePath: SMALL_STORE });
    const res = await gql(sb, '{ orders(first: 10) { nodes { name displayFulfillmentStatus } } }');
    expect(res.body.data.orders.nodes.length).toBeGreaterThan(0);
  });

  it('refuses a broken fixture with a message naming the file and the path', async () => {
    const data = store([order()]);
    (data.orders[0]!.fulfillmentOrders[0] as { status: string }).status = 'DONE';
    const path = fixtureFile(data);
    const error = await sandbox({ fixturePath: path }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SandboxConfigError);
    expect((error as Error).message).toMatch(/orders\[0\]\.fulfillmentOrders\[0\]\.status must be one of/);
  });

  it('refuses a fixture that is not JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulkfill-bad-'));
    const path = join(dir, 'bad.json');
    writeFileSync(path, '{ "orders": [ ');
    await expect(sandbox({ fixturePath: path })).rejects.toBeInstanceOf(SandboxConfigError);
  });

  it('generates the same store for the same seed', async () => {
    const a = await storeState(await sandbox({ orders: 40, seed: 9 }));
    const b = await storeState(await sandbox({ orders: 40, seed: 9 }));
    const strip = (d: typeof a) => d.orders.map((o) => [o.name, o.payment.state, o.fulfillmentOrders.map((f) => [f.status, f.requestStatus])]);
    expect(strip(a)).toEqual(strip(b));
  });
});

describe('--state persistence', () => {
  it('keeps the store across a restart, pending jobs included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulkfill-state-'));
    const statePath = join(dir, 'store.json');
    const o = order();
    const first = await sandbox({ fixturePath: fixtureFile(store([o])), statePath });
    await gql(first, 'mutation ($id: ID!) { orderCancel(orderId: $id, reason: STAFF, restock: false) { job { id } } }', { id: orderGid(o.id) });
    await first.close();
    expect(existsSync(statePath)).toBe(true);
    expect(JSON.parse(readFileSync(statePath, 'utf8')).pending).toHaveLength(1);

    // The fixture is ignored once a state file exists.
    const second = await sandbox({ fixturePath: fixtureFile(store([])), statePath });
    await advanceClock(second, 1000);
    const res = await gql(second, 'query ($id: ID!) { order(id: $id) { cancelReason } }', { id: orderGid(o.id) });
    expect(res.body.data.order.cancelReason).toBe('STAFF');
    expect((await counters(second)).applied.orderCancel).toEqual({ [orderGid(o.id)]: 1 });
  });
});
