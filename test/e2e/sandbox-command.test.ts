import { describe, expect, it } from 'vitest';
import { exitCode, firstLine, runBin, spawnBin } from '../helpers/bin.js';

describe('bulkfill sandbox (built bin, real process)', () => {
  it('prints one JSON line with url and token, serves the Admin API, and stops on SIGTERM', async () => {
    const child = spawnBin(['sandbox', '--port', '0', '--orders', '500', '--seed', '7', '--json']);
    try {
      const ready = JSON.parse(await firstLine(child)) as { url: string; token: string };
      expect(ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(ready.token).toMatch(/^shpat_/);
      const endpoint = `${ready.url}/admin/api/2026-10/graphql.json`;
      const body = JSON.stringify({ query: '{ shop { name } }' });
      const ok = await fetch(endpoint, {
        method: 'POST',
        headers: { 'X-Shopify-Access-Token': ready.token, 'Content-Type': 'application/json' },
        body,
      });
      const json = (await ok.json()) as any;
      expect(json.data.shop.name).toBe('bulkfill sandbox');
      expect(json.extensions.cost.throttleStatus).toMatchObject({ maximumAvailable: 2000, restoreRate: 100 });
      const denied = await fetch(endpoint, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      expect(denied.status).toBe(401);
      const state = (await (await fetch(`${ready.url}/__sandbox/state`)).json()) as any;
      expect(state.orders).toHaveLength(500);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exitCode(child)).toBe(0);
  });

  it('prints a human block on stderr without --json', async () => {
    const child = spawnBin(['sandbox', '--port', '0', '--orders', '5']);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (/shpat_/.test(stderr)) {
          clearInterval(timer);
          resolve();
        }
      }, 50);
    });
    child.kill('SIGINT');
    await exitCode(child);
    expect(stderr).toMatch(/http:\/\/127\.0\.0\.1:\d+/);
  });

  it('exits 2 naming the flag for bad options', async () => {
    const plan = await runBin(['sandbox', '--plan', 'gold']);
    expect(plan.code).toBe(2);
    expect(plan.stderr).toMatch(/--plan/);
    const faults = await runBin(['sandbox', '--port', '0', '--faults', 'boom=1']);
    expect(faults.code).toBe(2);
    expect(faults.stderr).toMatch(/unknown fault 'boom'/);
  });
});
