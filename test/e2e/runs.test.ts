// `bulkfill runs` over journals written by real `bulkfill cancel` runs (the built bin) against a sandbox.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { runBin } from '../helpers/bin.js';
import { orderGid, sandbox } from '../helpers/sandbox.js';
import { fixtureFile, order, store } from '../helpers/store-builder.js';

const CANCEL_FLAGS = ['--reason', 'fraud', '--refund', 'now', '--restock', '--yes'];

async function setup() {
  const first = order();
  const second = order();
  const sb = await sandbox({ fixturePath: fixtureFile(store([first, second])), timeScale: 20 });
  const stateDir = mkdtempSync(join(tmpdir(), 'bulkfill-state-'));
  const env = { SHOPIFY_STORE: sb.url, SHOPIFY_ACCESS_TOKEN: sb.token, BULKFILL_STATE_DIR: stateDir, CI: 'true' };
  return { sb, env, stateDir, first, second };
}

describe('bulkfill runs (built bin, journals from real cancel runs)', () => {
  it('lists, shows and prints the failures of the runs a cancel recorded', async () => {
    const s = await setup();
    const none = await runBin(['runs'], s.env);
    expect(none).toMatchObject({ code: 0, stdout: '' });
    expect(none.stderr).toMatch(/No runs yet/);

    const dry = await runBin(['cancel', String(s.first.id), ...CANCEL_FLAGS, '--dry-run'], s.env);
    expect(dry.code).toBe(0);
    const real = await runBin(['cancel', String(s.first.id), s.second.name, '999999999', ...CANCEL_FLAGS, '--json'], s.env);
    expect(real.code).toBe(3);
    const report = JSON.parse(real.stdout) as { run: Record<string, unknown>; summary: Record<string, number>; orders: unknown[] };
    const runId = report.run.id as string;

    // The list: newest first, the real run's counts from its `finished` line.
    const listed = await runBin(['runs', '--json'], s.env);
    expect(listed.code).toBe(0);
    const runs = JSON.parse(listed.stdout) as Record<string, unknown>[];
    expect(runs).toHaveLength(2);
    expect(runs[0]).toMatchObject({ id: runId, command: 'cancel', store: s.sb.url, status: 'finished', dryRun: false, summary: report.summary });
    expect(runs[1]).toMatchObject({ command: 'cancel', status: 'finished', dryRun: true, resumeCommand: null });
    expect(report.summary).toMatchObject({ selected: 3, done: 2, failed: 1 });

    const table = await runBin(['runs', '--limit', '1'], s.env);
    expect(table.code).toBe(0);
    const rows = table.stdout.trimEnd().split('\n');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatch(new RegExp(`^${runId}\\s+\\S+\\s+cancel\\s+${s.sb.url.replace(/[.]/g, '\\.')}\\s+2\\s+0\\s+0\\s+1\\s+0\\s+finished$`));

    // show --json: the run's own --json result, plus status and options.
    const shownJson = await runBin(['runs', 'show', 'last', '--json'], s.env);
    expect(shownJson.code).toBe(0);
    const doc = JSON.parse(shownJson.stdout) as typeof report;
    expect(doc.summary).toEqual(report.summary);
    expect(doc.orders).toEqual(report.orders);
    const { finishedAt: _finishedAt, ...runFields } = report.run;
    expect(doc.run).toMatchObject({
      ...runFields,
      status: 'finished',
      options: expect.objectContaining({ reason: 'fraud', refund: 'now', restock: true }),
    });

    // The failures: the CSV the run wrote beside its journal, byte for byte.
    const csvPath = /Failures written to: (\S+)/.exec(real.stderr)?.[1];
    expect(csvPath).toBeDefined();
    const failures = await runBin(['runs', 'failures', runId], s.env);
    expect(failures.code).toBe(0);
    expect(failures.stdout).toBe(readFileSync(csvPath!, 'utf8'));
    expect(failures.stdout).toMatch(new RegExp(`^id,name,outcome,reason,message\n${orderGid(999999999)},.*,failed,not-found,`));

    const shown = await runBin(['runs', 'show', runId], s.env);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`^Run ${runId}  cancel  finished`));
    expect(shown.stdout).toContain('3 orders selected: 2 done, 0 already, 0 skipped, 1 failed, 0 unknown');
    expect(shown.stdout).toContain(`not-found  1  ${orderGid(999999999)}`);
    expect(shown.stdout).toContain(`Failures CSV: ${csvPath}`);
    expect(shown.stdout).toMatch(/Options\s+reason=fraud refund=now restock=true notify=false/);
    expect(shown.stdout).not.toContain('--resume');
    expect(shown.stderr).toBe('');
  });

  it('exits 2 with a hint for an id that is not recorded', async () => {
    const s = await setup();
    const result = await runBin(['runs', 'show', '20990101-000000-zzzz'], s.env);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/There is no run "20990101-000000-zzzz"/);
    expect(result.stderr).toMatch(/bulkfill runs/);
  });
});
