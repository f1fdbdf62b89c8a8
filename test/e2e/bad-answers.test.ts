// Issue 5 item 2: bad answers from "Shopify". The built CLI runs against a hostile proxy in front of a
// real sandbox that corrupts chosen answers — HTML, truncated JSON, nulls, missing fields, unknown enum
// values, duplicated nodes, a slow-loris body, a connection cut mid-body, a token revoked mid-run,
// ACCESS_DENIED, a frozen (402) or locked (423) shop. Whatever comes back: no crash, an exit code that
// says what happened, valid --json, a journal that parses with one final outcome per order (or the
// order left resumable), and no order acted on twice.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import type { OrderRecord } from '@bulkfill/sandbox';
import { runBin, type RunResult } from '../helpers/bin.js';
import {
  cutMidBody,
  html,
  hostileProxy,
  json,
  slowLoris,
  truncatedJson,
  type Exchange,
  type Handler,
  type HostileProxy,
} from '../helpers/hostile-proxy.js';
import { counters, orderGid, sandbox } from '../helpers/sandbox.js';
import { fixtureFile, fo, order, store } from '../helpers/store-builder.js';

// The journal is read with the built code, as the CLI wrote it.
const DIST_SUMMARY = new URL('../../dist/journal/resume-state.js', import.meta.url).href;
const { summarizeJournal } = (await import(DIST_SUMMARY)) as typeof import('../../src/journal/resume-state.js');

const TIMEOUT = ['--timeout', '2000'];
const CANCEL = ['--reason', 'other', '--refund', 'now', '--no-restock', '--yes', '--json', '--settle-deadline', '3000', ...TIMEOUT];
const CANCEL_OP = 'CancelOrderWithResult';
const REVOKED = { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' };

interface Setup {
  sb: Awaited<ReturnType<typeof sandbox>>;
  proxy: HostileProxy;
  env: Record<string, string>;
  stateDir: string;
  orders: OrderRecord[];
  gids: string[];
  ids: string[];
}

async function setup(handler: Handler, orders: OrderRecord[] = Array.from({ length: 4 }, () => order())): Promise<Setup> {
  // Cancel jobs finish in 100 ms of real time.
  const sb = await sandbox({ fixturePath: fixtureFile(store(orders)), timeScale: 10 });
  const proxy = await hostileProxy(sb, handler);
  const stateDir = mkdtempSync(join(tmpdir(), 'bulkfill-bad-answers-'));
  const env = { SHOPIFY_STORE: proxy.url, SHOPIFY_ACCESS_TOKEN: sb.token, BULKFILL_STATE_DIR: stateDir, CI: 'true' };
  return { sb, proxy, env, stateDir, orders, gids: orders.map((o) => orderGid(o.id)), ids: orders.map((o) => String(o.id)) };
}

interface JsonReport {
  summary: Record<string, number>;
  orders: { id: string; outcome: string; reason?: string; message?: string }[];
}

/**
 * What every case must show, whatever the answer was: no crash, valid --json (when printed), a journal
 * that parses with at most one final outcome per order and every selected order settled or resumable,
 * and nothing acted on twice.
 */
async function expectSound(
  s: Setup,
  result: RunResult,
  expectedCode: number,
): Promise<{ report: JsonReport | null; journal: Awaited<ReturnType<typeof summarizeJournal>> }> {
  expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
  expect(result.stderr).not.toMatch(/looks like a bug/);
  expect(result.code, result.stderr).toBe(expectedCode);
  const report = result.stdout.trim() ? (JSON.parse(result.stdout) as JsonReport) : null;
  if (expectedCode === 0 || expectedCode === 3) expect(report).not.toBeNull();

  const runs = join(s.stateDir, 'runs');
  const files = readdirSync(runs).filter((f) => f.endsWith('.jsonl'));
  expect(files).toHaveLength(1);
  const path = join(runs, files[0]!);
  const journal = await summarizeJournal(path);
  const settled = new Map<string, number>();
  for (const line of readFileSync(path, 'utf8').split('\n').filter(Boolean)) {
    const entry = JSON.parse(line) as { t: string; order?: string; outcome?: string };
    if (entry.t === 'outcome' && entry.outcome !== 'unknown') settled.set(entry.order!, (settled.get(entry.order!) ?? 0) + 1);
  }
  expect([...settled].filter(([, n]) => n > 1)).toEqual([]);
  expect([...journal.orders.keys()].filter((gid) => !s.gids.includes(gid))).toEqual([]);
  if (journal.planComplete) {
    for (const gid of s.gids) {
      const facts = journal.orders.get(gid);
      expect(facts, `${gid} is in the journal`).toBeDefined();
      const resumable = (!facts!.outcome || facts!.outcome.outcome === 'unknown') && facts!.steps !== undefined;
      expect(facts!.outcome !== undefined && facts!.outcome.outcome !== 'unknown' ? true : resumable, `${gid} settled or resumable`).toBe(true);
    }
  }
  if (report) {
    expect(report.orders.map((o) => o.id).sort()).toEqual([...new Set(report.orders.map((o) => o.id))].sort());
    if (journal.finished) expect(report.summary.selected).toBe(s.gids.length);
  }

  const seen = await counters(s.sb);
  for (const [mutation, targets] of Object.entries(seen.applied)) {
    expect(
      Object.entries(targets).filter(([, n]) => n > 1),
      `${mutation} applied at most once per target`,
    ).toEqual([]);
  }
  expect(Object.values(seen.refunds).every((n) => n === 1)).toBe(true);
  return { report, journal };
}

const outcomes = (report: JsonReport | null) =>
  Object.fromEntries((report?.orders ?? []).map((o) => [o.id, o.reason ? `${o.outcome}:${o.reason}` : o.outcome]));
const cancelled = async (s: Setup) => Object.keys((await counters(s.sb)).applied.orderCancel ?? {}).sort();

/** Passes the sandbox's answer through `corrupt` (after the sandbox acted on it), for the chosen request. */
const after =
  (op: string, nth: number, corrupt: (x: Exchange, text: string) => true): Handler =>
  async (x) => {
    if (x.op !== op || x.n !== nth) return false;
    return corrupt(x, (await x.forward()).text);
  };

describe('a bad answer to orderCancel, after Shopify applied it, is read back: each order cancelled once', () => {
  it.each<[string, (x: Exchange, text: string) => true]>([
    ['HTML with 200', (x) => html(x.res, 200)],
    ['HTML with 502', (x) => html(x.res, 502)],
    ['truncated JSON', (x, text) => truncatedJson(x.res, text)],
    ['{"data": null}', (x) => json(x.res, { data: null })],
    ['data without orderCancel', (x) => json(x.res, { data: {} })],
    ['orderCancel: null', (x) => json(x.res, { data: { orderCancel: null } })],
    ['a slow-loris body beyond --timeout', (x, text) => slowLoris(x.res, text)],
    ['a connection closed mid-body', (x, text) => cutMidBody(x.req, x.res, text)],
  ])('%s', async (_name, corrupt) => {
    const s = await setup(after(CANCEL_OP, 2, corrupt));
    const result = await runBin(['cancel', ...s.ids, ...CANCEL], s.env);
    const { report } = await expectSound(s, result, 0);
    expect(report!.summary).toMatchObject({ selected: 4, done: 4 });
    expect(await cancelled(s)).toEqual([...s.gids].sort());
  });

  it('a 502 before Shopify saw it: read back, not there, sent again — cancelled once', async () => {
    const s = await setup((x) => x.op === CANCEL_OP && x.n === 1 && html(x.res, 502));
    const result = await runBin(['cancel', ...s.ids, ...CANCEL], s.env);
    const { report } = await expectSound(s, result, 0);
    expect(report!.summary).toMatchObject({ done: 4 });
    expect(s.proxy.seen.filter((op) => op === CANCEL_OP)).toHaveLength(5);
  });
});

describe('bad lookup answers', () => {
  it.each<[string, Handler]>([
    ['HTML 200, then HTML 502', (x) => x.op === 'CancelLookup' && x.n <= 2 && html(x.res, x.n === 1 ? 200 : 502)],
    ['truncated JSON', after('CancelLookup', 1, (x, text) => truncatedJson(x.res, text))],
    ['a slow-loris body', after('CancelLookup', 1, (x, text) => slowLoris(x.res, text))],
    [
      'duplicated nodes (one order in two places)',
      after('CancelLookup', 1, (x, text) => {
        const body = JSON.parse(text);
        body.data.nodes[1] = body.data.nodes[0];
        return json(x.res, body);
      }),
    ],
  ])('%s: read again, every order planned and cancelled once', async (_name, handler) => {
    const s = await setup(handler);
    const result = await runBin(['cancel', ...s.ids, ...CANCEL], s.env);
    const { report } = await expectSound(s, result, 0);
    expect(report!.summary).toMatchObject({ selected: 4, done: 4 });
    expect(await cancelled(s)).toEqual([...s.gids].sort());
  });

  it('nulls, missing fields and unknown enum values: no guesswork — failed or skipped with a reason, the rest cancelled', async () => {
    const s = await setup(
      async (x) => {
        if (x.op !== 'CancelLookup') return false;
        const body = JSON.parse((await x.forward()).text);
        const nodes = body.data.nodes as any[];
        const at = (gid: string) => nodes.findIndex((node) => node?.id === gid);
        const [gone, bare, money, held, unknownFo] = s.gids;
        if (at(gone!) >= 0) nodes[at(gone!)] = null;
        if (at(bare!) >= 0) nodes[at(bare!)] = { id: bare, name: 'bare' };
        if (at(money!) >= 0) nodes[at(money!)].displayFinancialStatus = 'PARTIALLY_REFUNDED_BY_CHARGEBACK';
        if (at(held!) >= 0) nodes[at(held!)].fulfillmentOrders.nodes[0].requestStatus = 'ACCEPTED_BY_ROBOT';
        if (at(unknownFo!) >= 0) nodes[at(unknownFo!)].fulfillmentOrders.nodes[0] = null;
        return json(x.res, body);
      },
      Array.from({ length: 6 }, () => order({ fulfillmentOrders: [fo({ status: 'IN_PROGRESS', requestStatus: 'UNSUBMITTED' })] })),
    );
    const result = await runBin(['cancel', ...s.ids, ...CANCEL], s.env);
    const { report } = await expectSound(s, result, 3);
    const [gone, bare, money, held, unknownFo, fine] = s.gids;
    expect(outcomes(report)).toEqual({
      [gone!]: 'failed:not-found',
      [bare!]: 'skipped:unknown-state',
      [money!]: 'skipped:unknown-state',
      [held!]: 'skipped:unknown-state',
      [unknownFo!]: 'skipped:unknown-state',
      [fine!]: 'done',
    });
    expect(report!.orders.find((o) => o.id === money)!.message).toMatch(/PARTIALLY_REFUNDED_BY_CHARGEBACK/);
    expect(await cancelled(s)).toEqual([fine]);
    expect(Object.keys((await counters(s.sb)).refunds)).toEqual([fine]);
  });

  it('orders named by name: a null, an id-less and a duplicated node in the name search are passed over', async () => {
    const s = await setup(async (x) => {
      if (x.op !== 'OrdersByQuery') return false;
      const body = JSON.parse((await x.forward()).text);
      const nodes = body.data.orders.nodes as any[];
      body.data.orders.nodes = [null, { name: 'no id' }, ...nodes, ...nodes];
      return json(x.res, body);
    });
    const result = await runBin(['cancel', ...s.orders.map((o) => o.name), ...CANCEL], s.env);
    const { report } = await expectSound(s, result, 0);
    expect(report!.summary).toMatchObject({ selected: 4, done: 4 });
  });
});

describe('refusals: the token revoked, a scope missing, the shop frozen or locked', () => {
  it('401 from the 3rd orderCancel on (token revoked): exit 4, resumable, and the resume finishes once the token works', async () => {
    let revoked = false;
    const s = await setup(
      (x) => {
        if (x.op === CANCEL_OP && x.n === 3) revoked = true;
        return revoked && json(x.res, REVOKED, 401);
      },
      Array.from({ length: 6 }, () => order()),
    );
    const result = await runBin(['cancel', ...s.ids, ...CANCEL, '--concurrency', '2'], s.env);
    const { journal } = await expectSound(s, result, 4);
    expect(result.stderr).toMatch(/refused the access token/);
    expect(result.stderr).toMatch(/--resume \S+/);
    expect(journal.planComplete).toBe(true);
    expect(journal.finished).toBe(false);

    s.proxy.use(() => false);
    const resumed = await runBin(['cancel', '--resume', 'last', '--yes', '--json', '--settle-deadline', '3000', ...TIMEOUT], s.env);
    const { report } = await expectSound(s, resumed, 0);
    expect(report!.summary).toMatchObject({ selected: 6, done: 6 });
    expect(await cancelled(s)).toEqual([...s.gids].sort());
  });

  it('ACCESS_DENIED for orderCancel: exit 4 naming the scope to add, nothing cancelled', async () => {
    const s = await setup(
      (x) =>
        x.op === CANCEL_OP &&
        json(x.res, {
          data: { orderCancel: null },
          errors: [
            {
              message: 'Access denied for orderCancel field. Required access: `write_orders` access scope.',
              locations: [{ line: 2, column: 3 }],
              path: ['orderCancel'],
              extensions: {
                code: 'ACCESS_DENIED',
                documentation: 'https://shopify.dev/api/usage/access-scopes',
                requiredAccess: '`write_orders` access scope.',
              },
            },
          ],
        }),
    );
    const result = await runBin(['cancel', ...s.ids, ...CANCEL], s.env);
    await expectSound(s, result, 4);
    expect(result.stderr).toMatch(/lacks a scope/);
    expect(result.stderr).toMatch(/hint: Grant the app write_orders/);
    expect(await cancelled(s)).toEqual([]);
  });

  it('402 (frozen shop) at the first request: exit 4 saying so, nothing sent', async () => {
    const s = await setup((x) => json(x.res, { errors: 'Unavailable Shop' }, 402));
    const result = await runBin(['cancel', ...s.ids, ...CANCEL], s.env);
    expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
    expect(result.code, result.stderr).toBe(4);
    expect(result.stderr).toMatch(/frozen \(HTTP 402/);
    expect(result.stdout).toBe('');
    expect(await cancelled(s)).toEqual([]);
  });

  it('423 (locked shop) at the lookup: exit 4, the journal says planning stopped, nothing cancelled', async () => {
    const s = await setup((x) => x.op === 'CancelLookup' && html(x.res, 423));
    const result = await runBin(['cancel', ...s.ids, ...CANCEL], s.env);
    const { journal } = await expectSound(s, result, 4);
    expect(result.stderr).toMatch(/locked \(HTTP 423/);
    expect(journal.planComplete).toBe(false);
    expect(await cancelled(s)).toEqual([]);
  });

  it('423 mid-run: exit 4, then a resume finishes every order exactly once', async () => {
    let locked = false;
    const s = await setup(
      (x) => {
        if (x.op === CANCEL_OP && x.n === 2) locked = true;
        return locked && json(x.res, { errors: 'Locked' }, 423);
      },
      Array.from({ length: 5 }, () => order()),
    );
    const result = await runBin(['cancel', ...s.ids, ...CANCEL, '--concurrency', '1'], s.env);
    await expectSound(s, result, 4);
    expect(result.stderr).toMatch(/locked/);
    expect(await cancelled(s)).toEqual([s.gids[0]]);

    s.proxy.use(() => false);
    const resumed = await runBin(['cancel', '--resume', 'last', '--yes', '--json', '--settle-deadline', '3000', ...TIMEOUT], s.env);
    const { report } = await expectSound(s, resumed, 0);
    expect(report!.summary).toMatchObject({ selected: 5, done: 5 });
    expect(await cancelled(s)).toEqual([...s.gids].sort());
  });
});

describe('fulfillment orders (mark-open)', () => {
  it('unknown status and supportedActions values, a missing list and a null fulfillment order: only what is known is acted on', async () => {
    const inProgress = () => [fo({ status: 'IN_PROGRESS', progressReported: true })];
    const s = await setup(
      async (x) => {
        if (x.op !== 'FulfillmentOrdersLookup') return false;
        const body = JSON.parse((await x.forward()).text);
        const nodes = body.data.nodes as any[];
        const at = (gid: string) => nodes.find((node) => node?.id === gid);
        const [weird, extra, noList, nullFo] = s.gids;
        if (at(weird!)) at(weird!).fulfillmentOrders.nodes[0].status = 'TELEPORTING';
        if (at(extra!)) at(extra!).fulfillmentOrders.nodes[0].supportedActions.push({ action: 'TELEPORT' });
        if (at(noList!)) delete at(noList!).fulfillmentOrders;
        if (at(nullFo!)) at(nullFo!).fulfillmentOrders.nodes[0] = null;
        return json(x.res, body);
      },
      Array.from({ length: 5 }, () => order({ fulfillmentOrders: inProgress() })),
    );
    const result = await runBin(['mark-open', ...s.ids, '--yes', '--json', ...TIMEOUT], s.env);
    const { report } = await expectSound(s, result, 0);
    const [weird, extra, noList, nullFo, fine] = s.gids;
    expect(outcomes(report)).toEqual({
      [weird!]: 'skipped:not-in-progress',
      [extra!]: 'done',
      [noList!]: 'skipped:unknown-state',
      [nullFo!]: 'skipped:unknown-state',
      [fine!]: 'done',
    });
    expect(Object.keys((await counters(s.sb)).applied.fulfillmentOrderOpen ?? {})).toHaveLength(2);
  });
});
