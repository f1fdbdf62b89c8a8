// Issue 5 item 6, end to end (the built bin against a sandbox): an order whose name holds terminal
// escape sequences fails, and nothing of those sequences reaches stderr raw — not in the --verbose
// lines, the result, an input problem or `bulkfill runs`; --json keeps the name exactly (JSON-escaped);
// the failures CSV keeps the data, neutralised for spreadsheets, and is fed back with --csv.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { runBin } from '../helpers/bin.js';
import { counters, orderGid, sandbox } from '../helpers/sandbox.js';
import { fixtureFile, fo, order, store } from '../helpers/store-builder.js';

const CLOSED_LOCATION = 3;

const PAYLOADS = ['\u001b[2J', '\u001b]0;pwned\u0007', '\u009b31m', 'a\rb', '\u0008'] as const;
const HOSTILE_NAME = `=#1${PAYLOADS.join('')}`;

function expectSafe(text: string): void {
  // With CI and no TTY there is no colour: no escape sequence of ours either.

  expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/u);
  for (const payload of PAYLOADS) expect(text).not.toContain(payload);
}

describe('output safety (built bin against a sandbox)', () => {
  it('never writes the escapes in an order name to the terminal, and stays re-feedable', async () => {
    // Its items are at a deactivated location: Shopify refuses to restock them, so the order fails.
    const hostile = order({ name: HOSTILE_NAME, fulfillmentOrders: [fo({ locationId: CLOSED_LOCATION })] });
    const fine = order();
    const base = store([hostile, fine]);
    const locations = [...base.locations, { id: CLOSED_LOCATION, name: 'Closed shop', isActive: false }];
    const sb = await sandbox({ fixturePath: fixtureFile({ ...base, locations }), timeScale: 20 });
    const stateDir = mkdtempSync(join(tmpdir(), 'bulkfill-state-'));
    const env = { SHOPIFY_STORE: sb.url, SHOPIFY_ACCESS_TOKEN: sb.token, BULKFILL_STATE_DIR: stateDir, CI: 'true' };
    const dir = mkdtempSync(join(tmpdir(), 'bulkfill-safety-'));
    // The input's own name is echoed back in its problems: a file name can hold escapes too.
    const input = join(dir, 'orders\u001b[2J.csv');
    writeFileSync(input, `id\n${hostile.id}\n${fine.id}\nnot-an-order\u001b]0;x\u0007\n`);
    const failures = join(dir, 'failed.csv');
    const flags = ['--reason', 'fraud', '--refund', 'now', '--restock', '--yes', '--failures', failures];

    const run = await runBin(['cancel', '--csv', input, ...flags, '--verbose', '--json'], env);
    expect(run.code).toBe(3);
    expectSafe(run.stderr);
    expect(run.stderr).toMatch(/orders\.csv line 4: /u);
    expect(run.stderr).toContain('=#1a b'); // the name, without its escapes, in the result
    // --json: the name exactly as the store has it (JSON escapes control characters itself).
    const report = JSON.parse(run.stdout) as { run: { id: string }; orders: { id: string; name: string; outcome: string }[] };
    expect(report.orders.find((o) => o.id === orderGid(hostile.id))).toMatchObject({ name: HOSTILE_NAME, outcome: 'failed' });
    expect(run.stdout).not.toContain('\u001b');

    // The failures CSV: the data kept, the formula neutralised, one row per order.
    const csv = readFileSync(failures, 'utf8');
    expect(csv).toContain(`'${HOSTILE_NAME.split('\r')[0]}`);
    expect(csv.split('\n').filter((line) => line.startsWith('gid://'))).toEqual([
      expect.stringMatching(new RegExp(`^${orderGid(hostile.id)},`, 'u')),
    ]);

    // `bulkfill runs` and `runs show`: human output on stdout, sanitised too.
    const list = await runBin(['runs'], env);
    expect(list.code).toBe(0);
    expectSafe(list.stdout + list.stderr);
    const show = await runBin(['runs', 'show', report.run.id], env);
    expect(show.code).toBe(0);
    expectSafe(show.stdout + show.stderr);
    expect(show.stdout).toContain('=#1a b');

    // Fed back: the failures CSV selects exactly the failed order again (by its id).
    const again = await runBin(['cancel', '--csv', failures, ...flags.slice(0, -2), '--refund', 'later', '--dry-run', '--json'], env);
    expect(again.code).toBe(0);
    expectSafe(again.stderr);
    const replanned = JSON.parse(again.stdout) as { summary: { selected: number } };
    expect(replanned.summary.selected).toBe(1);
    const seen = await counters(sb);
    expect(seen.applied.orderCancel?.[orderGid(fine.id)]).toBe(1);
    expect(seen.applied.orderCancel?.[orderGid(hostile.id)]).toBeUndefined();
  });
});
