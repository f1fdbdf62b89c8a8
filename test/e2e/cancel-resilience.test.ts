import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCode, runBin, spawnBin } from '../helpers/bin.js';
import { counters, sandbox } from '../helpers/sandbox.js';
import { quietSeededStoreFile } from '../helpers/store-builder.js';

const FLAGS = ['--reason', 'other', '--refund', 'now', '--no-restock', '--yes', '--settle-deadline', '5000'];

interface JsonReport {
  summary: Record<string, number>;
  orders: { id: string; outcome: string }[];
}

/** Every order the run reports done was cancelled exactly once, and no other order was. */
function expectExactlyOnce(applied: Record<string, number> | undefined, report: JsonReport): void {
  const seen = applied ?? {};
  expect(Object.entries(seen).filter(([, n]) => n !== 1)).toEqual([]);
  const done = report.orders.filter((o) => o.outcome === 'done').map((o) => o.id);
  expect(new Set(Object.keys(seen))).toEqual(new Set(done));
  expect(report.orders.filter((o) => o.outcome === 'failed' || o.outcome === 'unknown' || o.outcome === 'not-started')).toEqual([]);
}

describe('cancel never acts twice', () => {
  it('survives SIGKILL at a random moment and finishes on --resume, each eligible order cancelled once', async () => {
    const sb = await sandbox({ fixturePath: quietSeededStoreFile(1000, 11), timeScale: 10 });
    const stateDir = mkdtempSync(join(tmpdir(), 'bulkfill-kill-'));
    const env = { SHOPIFY_STORE: sb.url, SHOPIFY_ACCESS_TOKEN: sb.token, BULKFILL_STATE_DIR: stateDir, CI: 'true' };
    const selection = ['--query', 'status:open'];
    const child = spawnBin(['cancel', ...selection, ...FLAGS], env);
    const killAfterMs = 1500 + Math.floor(Math.random() * 3000);
    await new Promise((resolve) => setTimeout(resolve, killAfterMs));
    child.kill('SIGKILL');
    await exitCode(child);
    const before = (await counters(sb)).applied.orderCancel ?? {};
    expect(Object.values(before).every((n) => n === 1)).toBe(true);

    let resumed = await runBin(['cancel', '--resume', 'last', '--yes', '--json', '--settle-deadline', '5000'], env);
    if (resumed.code === 2 && /while planning/.test(resumed.stderr)) resumed = await runBin(['cancel', ...selection, ...FLAGS, '--json'], env);
    expect(resumed.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(resumed.code, resumed.stderr).toBe(0);
    const report = JSON.parse(resumed.stdout) as JsonReport;
    expect(report.summary.done).toBeGreaterThan(300);
    expectExactlyOnce((await counters(sb)).applied.orderCancel, report);
  }, 120_000);

  it('cancels each eligible order once through resets after apply and 503s', async () => {
    const sb = await sandbox({
      fixturePath: quietSeededStoreFile(300, 5),
      seed: 5,
      timeScale: 20,
      faults: '503=0.05,reset-after=0.05,reset-before=0.02,malformed=0.02',
    });
    const stateDir = mkdtempSync(join(tmpdir(), 'bulkfill-faults-'));
    const env = { SHOPIFY_STORE: sb.url, SHOPIFY_ACCESS_TOKEN: sb.token, BULKFILL_STATE_DIR: stateDir, CI: 'true' };
    const result = await runBin(['cancel', '--query', 'status:open', ...FLAGS, '--json'], env);
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.summary.done).toBeGreaterThan(100);
    const seen = await counters(sb);
    expect(Object.values(seen.requests.faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(10);
    expectExactlyOnce(seen.applied.orderCancel, report);
    expect(Object.values(seen.refunds).every((n) => n === 1)).toBe(true);
  }, 120_000);

  it('never sends a cancel again while its slow job may still be running, even when the answer was lost', async () => {
    // Jobs take 3 s of real time here; a lost answer must be read back until the job shows, not resent.
    const sb = await sandbox({
      fixturePath: quietSeededStoreFile(60, 2),
      seed: 9,
      timeScale: 10,
      cancelJobDelayMs: 30_000,
      faults: 'reset-after=0.3',
    });
    const stateDir = mkdtempSync(join(tmpdir(), 'bulkfill-slowjobs-'));
    const env = { SHOPIFY_STORE: sb.url, SHOPIFY_ACCESS_TOKEN: sb.token, BULKFILL_STATE_DIR: stateDir, CI: 'true' };
    const result = await runBin(['cancel', '--query', 'status:open', '--reason', 'other', '--refund', 'now', '--no-restock', '--yes', '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    const seen = await counters(sb);
    expect(seen.requests.faults['reset-after']).toBeGreaterThan(0);
    expect(Object.entries(seen.calls.orderCancel ?? {}).filter(([, n]) => n !== 1)).toEqual([]);
    expectExactlyOnce(seen.applied.orderCancel, JSON.parse(result.stdout) as JsonReport);
  }, 120_000);
});
