import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/bin.js';
import { counters, orderGid, sandbox, storeState } from '../helpers/sandbox.js';
import { ACME_LOCATION, fixtureFile, fo, order, paid, store } from '../helpers/store-builder.js';

const CANCEL_FLAGS = ['--reason', 'fraud', '--refund', 'now', '--restock', '--yes'];

async function setup(orders = defaultOrders()) {
  const sb = await sandbox({ fixturePath: fixtureFile(store(orders.list)), timeScale: 20 });
  const stateDir = mkdtempSync(join(tmpdir(), 'bulkfill-state-'));
  const env = { SHOPIFY_STORE: sb.url, SHOPIFY_ACCESS_TOKEN: sb.token, BULKFILL_STATE_DIR: stateDir, CI: 'true' };
  return { sb, env, stateDir, ...orders };
}

function defaultOrders() {
  const plain = order({ tags: ['fraud'] });
  const second = order({ tags: ['fraud'] });
  const pending = order({ payment: { state: 'pending', authorized: '0.00', captured: '0.00', refunded: '0.00', refundedToStoreCredit: '0.00' } });
  const partial = order({ payment: { ...paid('50.00'), refunded: '10.00' } });
  const held = order({ fulfillmentOrders: [fo({ locationId: ACME_LOCATION, status: 'IN_PROGRESS', requestStatus: 'ACCEPTED' })] });
  const returning = order({ returnStatus: 'IN_PROGRESS' });
  const gone = order({ cancelledAt: '2026-11-01T00:00:00.000Z', cancelReason: 'OTHER', closedAt: '2026-11-01T00:00:00.000Z' });
  return { list: [plain, second, pending, partial, held, returning, gone], plain, second, pending, partial, held, returning, gone };
}

const cancelledOnce = (seen: Awaited<ReturnType<typeof counters>>, id: number) => seen.applied.orderCancel?.[orderGid(id)] === 1;

describe('bulkfill cancel (built bin against a sandbox)', () => {
  it('cancels by id, #name and GID, refunds, skips what it must, and reports JSON on stdout only', async () => {
    const s = await setup();
    const args = [String(s.plain.id), s.second.name, orderGid(s.pending.id), '--ids', [s.partial.id, s.held.id, s.returning.id, s.gone.id].join(',')];
    const result = await runBin(['cancel', ...args, ...CANCEL_FLAGS, '--json'], s.env);
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.summary).toMatchObject({ selected: 7, done: 3, already: 1, skipped: 3, failed: 0, unknown: 0 });
    const byId = new Map(report.orders.map((o: { id: string }) => [o.id, o]));
    expect(byId.get(orderGid(s.partial.id))).toMatchObject({ outcome: 'skipped', reason: 'partially-refunded' });
    expect(byId.get(orderGid(s.held.id))).toMatchObject({ outcome: 'skipped', reason: 'fulfillment-in-progress' });
    expect(byId.get(orderGid(s.returning.id))).toMatchObject({ outcome: 'skipped', reason: 'return-in-progress' });
    expect(byId.get(orderGid(s.gone.id))).toMatchObject({ outcome: 'already' });
    const seen = await counters(s.sb);
    for (const o of [s.plain, s.second, s.pending]) expect(cancelledOnce(seen, o.id)).toBe(true);
    expect(Object.keys(seen.applied.orderCancel ?? {})).toHaveLength(3);
    // Paid orders refunded once; the pending one had nothing to refund.
    expect(seen.refunds).toEqual({ [orderGid(s.plain.id)]: 1, [orderGid(s.second.id)]: 1 });
    expect(seen.notifications).toEqual({});
  });

  it('--dry-run plans and changes nothing', async () => {
    const s = await setup();
    const result = await runBin(['cancel', String(s.plain.id), String(s.partial.id), ...CANCEL_FLAGS, '--dry-run'], s.env);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/dry run/i);
    const seen = await counters(s.sb);
    expect(seen.calls).toEqual({});
  });

  it('reads a CSV file, and CSV on stdin, with the Shopify export header', async () => {
    const s = await setup();
    const dir = mkdtempSync(join(tmpdir(), 'bulkfill-csv-'));
    const csv = join(dir, 'orders.csv');
    writeFileSync(csv, `Name,Id,Lineitem name\n${s.plain.name},${s.plain.id},Mug\n${s.plain.name},${s.plain.id},Cup\n`);
    const fromFile = await runBin(['cancel', '--csv', csv, ...CANCEL_FLAGS, '--refund', 'later'], s.env);
    expect(fromFile.code).toBe(0);
    const fromStdin = await runBin(['cancel', '--csv', '-', ...CANCEL_FLAGS, '--json'], s.env, `id\n${s.second.id}\nnot an id!\n`);
    expect(fromStdin.code).toBe(3); // the bad row is reported; the good one is cancelled
    expect(fromStdin.stderr).toMatch(/line 3/);
    const seen = await counters(s.sb);
    expect(cancelledOnce(seen, s.plain.id)).toBe(true);
    expect(cancelledOnce(seen, s.second.id)).toBe(true);
    expect(seen.refunds[orderGid(s.plain.id)]).toBeUndefined(); // --refund later
  });

  it('selects with --query and --limit', async () => {
    const s = await setup();
    const result = await runBin(['cancel', '--query', 'tag:fraud', '--limit', '1', ...CANCEL_FLAGS, '--json'], s.env);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).summary.done).toBe(1);
    expect(Object.keys((await counters(s.sb)).applied.orderCancel ?? {})).toHaveLength(1);
  });

  it('refunds to store credit with --refund store-credit', async () => {
    const s = await setup();
    const result = await runBin(['cancel', String(s.plain.id), ...CANCEL_FLAGS, '--refund', 'store-credit'], s.env);
    expect(result.code).toBe(0);
    const state = await storeState(s.sb);
    expect(state.orders.find((o) => o.id === s.plain.id)!.payment.refundedToStoreCredit).toBe('50.00');
  });

  it('exits 2 naming every missing flag when not interactive', async () => {
    const s = await setup();
    const result = await runBin(['cancel', '--query', 'status:open'], s.env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--reason/);
    expect(result.stderr).toMatch(/--refund/);
    expect(result.stderr).toMatch(/--yes/);
    expect((await counters(s.sb)).requests.total).toBe(0);
  });

  it('exits 3 and writes a re-feedable failures CSV when orders fail', async () => {
    const s = await setup();
    const result = await runBin(['cancel', String(s.plain.id), '999999999', ...CANCEL_FLAGS], s.env);
    expect(result.code).toBe(3);
    const path = /(\S+\.failures\.csv)/.exec(result.stderr)?.[1];
    expect(path).toBeDefined();
    const csv = readFileSync(path!, 'utf8');
    expect(csv).toMatch(/^id,name,outcome,reason,message/);
    expect(csv).toMatch(/gid:\/\/shopify\/Order\/999999999,.*,failed,not-found/);
  });

  it('refuses a plain-http store that is not loopback before any request', async () => {
    const result = await runBin(['cancel', '--store', 'http://example.com', '--ids', '1', ...CANCEL_FLAGS], {
      SHOPIFY_ACCESS_TOKEN: 'x',
      CI: 'true',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unencrypted|http/i);
  });

  it('exits 4 when the token lacks write_orders', async () => {
    const s = await setup();
    const limited = (await (
      await fetch(`${s.sb.url}/__sandbox/tokens`, { method: 'POST', body: JSON.stringify({ scopes: ['read_orders'] }) })
    ).json()) as { token: string };
    const result = await runBin(['cancel', String(s.plain.id), ...CANCEL_FLAGS], { ...s.env, SHOPIFY_ACCESS_TOKEN: limited.token });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/write_orders/);
    expect(result.stderr).not.toContain(limited.token);
  });

  it('refuses --resume with --dry-run, and --resume without --yes off a terminal', async () => {
    const s = await setup();
    const dry = await runBin(['cancel', '--resume', 'last', '--dry-run', '--yes'], s.env);
    expect(dry.code).toBe(2);
    expect(dry.stderr).toMatch(/--dry-run cannot be combined with --resume/);
    const noYes = await runBin(['cancel', '--resume', 'last'], s.env);
    expect(noYes.code).toBe(2);
    expect(noYes.stderr).toMatch(/--yes/);
  });
});
