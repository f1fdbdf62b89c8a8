import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCode, runBin, spawnBin } from '../helpers/bin.js';
import { counters, sandbox } from '../helpers/sandbox.js';
import { quietSeededStoreFile } from '../helpers/store-builder.js';

const FLAGS = ['--reason', 'other', '--refund', 'later', '--no-restock', '--yes', '--settle-deadline', '5000'];

async function startCancel(signalAfterMs: number) {
  const sb = await sandbox({ fixturePath: quietSeededStoreFile(600, 3), timeScale: 5 });
  const stateDir = mkdtempSync(join(tmpdir(), 'bulkfill-signal-'));
  const env = { SHOPIFY_STORE: sb.url, SHOPIFY_ACCESS_TOKEN: sb.token, BULKFILL_STATE_DIR: stateDir, CI: 'true' };
  const child = spawnBin(['cancel', '--query', 'status:open', ...FLAGS], env);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Wait until it is executing (the plan has been printed), then a little more.
  while (!/To cancel/.test(stderr) && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, signalAfterMs));
  return { sb, env, child, stderr: () => stderr };
}

describe('signals', () => {
  it('first SIGINT drains in-flight work, journals, prints how to resume and exits 130; the resume finishes the rest once', async () => {
    const run = await startCancel(800);
    const stoppedAt = performance.now();
    run.child.kill('SIGINT');
    expect(await exitCode(run.child)).toBe(130);
    expect(performance.now() - stoppedAt).toBeLessThan(20_000);
    expect(run.stderr()).toMatch(/--resume \d{8}-\d{6}-\w{4}/);
    expect(run.stderr()).not.toMatch(/at .*\.js:\d+/);

    const resumed = await runBin(['cancel', '--resume', 'last', '--yes', '--json', '--settle-deadline', '5000'], run.env);
    expect(resumed.code, resumed.stderr).toBe(0);
    const report = JSON.parse(resumed.stdout) as { orders: { id: string; outcome: string }[] };
    const applied = (await counters(run.sb)).applied.orderCancel ?? {};
    expect(Object.values(applied).every((n) => n === 1)).toBe(true);
    expect(new Set(Object.keys(applied))).toEqual(new Set(report.orders.filter((o) => o.outcome === 'done').map((o) => o.id)));
  }, 90_000);

  it('SIGTERM exits 143', async () => {
    const run = await startCancel(300);
    run.child.kill('SIGTERM');
    expect(await exitCode(run.child)).toBe(143);
  }, 60_000);

  it('a second SIGINT exits at once, and the run can still be resumed', async () => {
    const run = await startCancel(300);
    run.child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 50));
    const secondAt = performance.now();
    run.child.kill('SIGINT');
    expect(await exitCode(run.child)).toBe(130);
    expect(performance.now() - secondAt).toBeLessThan(2_000);
    const resumed = await runBin(['cancel', '--resume', 'last', '--yes', '--settle-deadline', '5000'], run.env);
    expect(resumed.code, resumed.stderr).toBe(0);
    const applied = (await counters(run.sb)).applied.orderCancel ?? {};
    expect(Object.values(applied).every((n) => n === 1)).toBe(true);
  }, 90_000);
});
