import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { describe, expect, it, vi } from 'vitest';

import { main } from '../../../src/cli.js';
import { sandboxCommand, type StartSandbox } from '../../../src/commands/sandbox.js';
import type { Context } from '../../../src/context.js';
import { SandboxConfigError, type SandboxOptions } from '@bulkfill/sandbox';
import { createTestContext, type TestContextOptions } from '../../helpers/context.js';

const URL = 'http://127.0.0.1:45678';
const TOKEN = 'shpat_test';

/** Runs `bulkfill sandbox …` against a fake startSandbox; the run is left waiting for an interrupt. */
function runSandbox(argv: string[], options: TestContextOptions = {}, start?: StartSandbox) {
  const ctx = createTestContext({ cwd: '/work/here', ...options });
  const close = vi.fn(async () => {});
  const fakeStart = vi.fn<StartSandbox>(start ?? (async () => ({ url: URL, token: TOKEN, close }) as never));
  const exit = main(['sandbox', ...argv], ctx, [(c: Context) => sandboxCommand(c, fakeStart)]);
  const started = () => expect(fakeStart).toHaveBeenCalledOnce();
  const optionsGiven = (): SandboxOptions => fakeStart.mock.calls[0]![0];
  return { ctx, exit, close, started, optionsGiven, fakeStart };
}

describe('bulkfill sandbox: flag validation (exit 2, naming the flag)', () => {
  it.each([
    [['--plan', 'bogus'], '--plan'],
    [['--time-scale', '0'], '--time-scale'],
    [['--time-scale', '-2'], '--time-scale'],
    [['--port', '70000'], '--port'],
    [['--port', 'http'], '--port'],
    [['--orders', '1.5'], '--orders'],
    [['--orders', '-1'], '--orders'],
    [['--seed', 'abc'], '--seed'],
    [['--bucket-size', '0'], '--bucket-size'],
    [['--restore-rate', 'fast'], '--restore-rate'],
    [['--cancel-delay', '-5'], '--cancel-delay'],
    [['--scopes', 'read_orders,,write_orders'], '--scopes'],
    [['--fixture', 'f.json', '--orders', '5'], '--fixture'],
  ])('%j', async (argv, flag) => {
    const ctx = createTestContext();
    expect(await main(['sandbox', ...argv], ctx)).toBe(2);
    expect(ctx.stderrText()).toContain(flag);
    expect(ctx.stdoutText()).toBe('');
  });

  it('reports an unreadable --fixture before starting anything', async () => {
    const run = runSandbox(['--fixture', 'missing.json']);
    expect(await run.exit).toBe(2);
    expect(run.ctx.stderrText()).toContain('--fixture: cannot read /work/here/missing.json');
    expect(run.fakeStart).not.toHaveBeenCalled();
  });

  it('maps the sandbox’s own SandboxConfigError to exit 2', async () => {
    const run = runSandbox(['--faults', '503=2'], {}, async () => {
      throw new SandboxConfigError('--faults: the rate of 503 must be between 0 and 1');
    });
    expect(await run.exit).toBe(2);
    expect(run.ctx.stderrText()).toBe('error: --faults: the rate of 503 must be between 0 and 1\n');
  });
});

describe('bulkfill sandbox: running', () => {
  it('passes defaults', async () => {
    const run = runSandbox(['--json']);
    await vi.waitFor(run.started);
    expect(run.optionsGiven()).toEqual({
      port: 8787,
      orders: 200,
      seed: 1,
      plan: 'standard',
      timeScale: 1,
      fixturePath: undefined,
      statePath: undefined,
      bucketSize: undefined,
      restoreRate: undefined,
      faults: undefined,
      scopes: undefined,
      cancelJobDelayMs: undefined,
    });
    run.ctx.interrupt();
    expect(await run.exit).toBe(0);
  });

  it('converts every flag, resolving paths against the working directory', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bulkfill-sandbox-'));
    await writeFile(path.join(dir, 'store.json'), '{}');
    const run = runSandbox(
      [
        '--json',
        '--port',
        '0',
        '--seed',
        '42',
        '--fixture',
        'store.json',
        '--state',
        'state/s.json',
        '--plan',
        'plus',
        '--bucket-size',
        '500',
        '--restore-rate',
        '25.5',
        '--time-scale',
        '0.5',
        '--faults',
        '503=0.05,slow=0.01',
        '--scopes',
        'read_orders, write_orders',
        '--cancel-delay',
        '1500',
      ],
      { cwd: dir },
    );
    await vi.waitFor(run.started);
    expect(run.optionsGiven()).toEqual({
      port: 0,
      orders: 200,
      seed: 42,
      fixturePath: path.join(dir, 'store.json'),
      statePath: path.join(dir, 'state/s.json'),
      plan: 'plus',
      bucketSize: 500,
      restoreRate: 25.5,
      timeScale: 0.5,
      faults: '503=0.05,slow=0.01',
      scopes: ['read_orders', 'write_orders'],
      cancelJobDelayMs: 1500,
    });
    run.ctx.interrupt();
    expect(await run.exit).toBe(0);
  });

  it('reads --scopes "" as no scopes at all', async () => {
    const run = runSandbox(['--json', '--scopes', '']);
    await vi.waitFor(run.started);
    expect(run.optionsGiven().scopes).toEqual([]);
    run.ctx.interrupt();
    await run.exit;
  });

  it('--json prints exactly one JSON line on stdout, nothing on stderr, and closes on interrupt', async () => {
    const run = runSandbox(['--json']);
    await vi.waitFor(() => expect(run.ctx.stdoutText()).not.toBe(''));
    expect(run.ctx.stdoutText()).toBe(`{"url":"${URL}","token":"${TOKEN}"}\n`);
    expect(run.close).not.toHaveBeenCalled();

    run.ctx.interrupt('SIGTERM');
    expect(await run.exit).toBe(0);
    expect(run.close).toHaveBeenCalledOnce();
    expect(run.ctx.stderrText()).toBe('');
  });

  it('tells a human where it listens and how to use it, on stderr', async () => {
    const run = runSandbox(['--plan', 'advanced', '--orders', '50']);
    await vi.waitFor(() => expect(run.ctx.stderrText()).toContain('Ctrl-C'));
    const text = run.ctx.stderrText();
    expect(text).toContain('plan advanced, 50 orders, seed 1');
    expect(text).toContain(`URL    ${URL}`);
    expect(text).toContain(`Token  ${TOKEN}`);
    expect(text).toContain(`curl -s ${URL}/admin/api/2026-10/graphql.json`);
    expect(text).toContain(`SHOPIFY_STORE=${URL} SHOPIFY_ACCESS_TOKEN=${TOKEN}`);
    expect(run.ctx.stdoutText()).toBe('');

    run.ctx.interrupt();
    expect(await run.exit).toBe(0);
    expect(run.ctx.stderrText()).toContain('Stopping the sandbox');
    expect(run.close).toHaveBeenCalledOnce();
  });

  it('--quiet keeps only the URL and token', async () => {
    const run = runSandbox(['-q']);
    await vi.waitFor(run.started);
    run.ctx.interrupt();
    expect(await run.exit).toBe(0);
    expect(run.ctx.stderrText()).toBe(`  URL    ${URL}\n  Token  ${TOKEN}\n`);
  });
});

describe('bulkfill sandbox: the real server', () => {
  it('serves the printed URL with the printed token until interrupted', async () => {
    const ctx = createTestContext();
    const exit = main(['sandbox', '--port', '0', '--json', '--orders', '3'], ctx);
    await vi.waitFor(() => expect(ctx.stdoutText()).toMatch(/\n$/), { timeout: 10_000 });
    const { url, token } = JSON.parse(ctx.stdoutText()) as { url: string; token: string };
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const response = await fetch(`${url}/admin/api/2026-10/graphql.json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Shopify-Access-Token': token },
      body: JSON.stringify({ query: '{ orders(first: 5) { nodes { name } } }' }),
    });
    const body = (await response.json()) as { data: { orders: { nodes: unknown[] } } };
    expect(body.data.orders.nodes).toHaveLength(3);

    ctx.interrupt();
    expect(await exit).toBe(0);
    await expect(fetch(url)).rejects.toThrow();
  });
});
