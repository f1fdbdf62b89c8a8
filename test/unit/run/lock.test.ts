import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { classifyError } from '../../../src/errors.js';
import { acquireLock, RunLockedError, type LockInfo } from '../../../src/run/lock.js';
import { useTempDirs } from '../journal/journal-fixtures.js';

const tempDir = useTempDirs();

const KEY = 'shop.myshopify.com:cancel';
const LOCK_FILE = 'shop.myshopify.com_cancel.lock';

const run = (n: number, overrides: Partial<LockInfo> = {}): LockInfo => ({
  runId: `20261126-04153${n}-k3f9`,
  pid: 1000 + n,
  host: 'web-1',
  startedAt: `2026-11-26T04:15:3${n}.000Z`,
  ...overrides,
});

const alive = () => true;
const dead = () => false;

async function refusal(promise: Promise<unknown>): Promise<RunLockedError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(RunLockedError);
  return error as RunLockedError;
}

describe('acquireLock', () => {
  it('creates <stateDir>/locks/<key>.lock naming its owner, and release removes it', async () => {
    const stateDir = tempDir();
    const lock = await acquireLock(stateDir, KEY, run(1), alive);
    expect(lock.path).toBe(join(stateDir, 'locks', LOCK_FILE));
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toEqual({ key: KEY, ...run(1) });
    expect(lock.tookOverFrom).toBeUndefined();

    await lock.release();
    await lock.release();
    expect(readdirSync(join(stateDir, 'locks'))).toEqual([]);
    await (await acquireLock(stateDir, KEY, run(2), alive)).release();
  });

  it('refuses a second run while the first is alive, saying who holds the lock and what to do', async () => {
    const stateDir = tempDir();
    const first = await acquireLock(stateDir, KEY, run(1), alive);
    const error = await refusal(acquireLock(stateDir, KEY, run(2), alive));

    expect(error.message).toBe(
      `Another bulkfill run is already working on ${KEY}: run 20261126-041531-k3f9, pid 1001 on web-1, started 2026-11-26T04:15:31.000Z.`,
    );
    expect(error.hint).toBe(
      `Wait for it to finish (bulkfill runs show 20261126-041531-k3f9) or stop it (kill 1001). If pid 1001 is not bulkfill, delete ${first.path}.`,
    );
    expect(error.holder).toEqual({ key: KEY, ...run(1) });
    expect(classifyError(error, null)).toEqual({ exitCode: 2, message: error.message, hint: error.hint });
    expect(JSON.parse(readFileSync(first.path, 'utf8')).runId).toBe(run(1).runId);
  });

  it('locks each store and action on its own', async () => {
    const stateDir = tempDir();
    await acquireLock(stateDir, KEY, run(1), alive);
    await acquireLock(stateDir, 'shop.myshopify.com:mark-open', run(2), alive);
    await acquireLock(stateDir, 'other.myshopify.com:cancel', run(3), alive);
    await acquireLock(stateDir, 'http://127.0.0.1:8787:cancel', run(4), alive);
    expect(readdirSync(join(stateDir, 'locks')).sort()).toEqual([
      'http_127.0.0.1_8787_cancel.lock',
      'other.myshopify.com_cancel.lock',
      LOCK_FILE,
      'shop.myshopify.com_mark-open.lock',
    ]);
  });

  it('takes over the lock of a run whose process died on this host', async () => {
    const stateDir = tempDir();
    await acquireLock(stateDir, KEY, run(1), alive);
    const checked: number[] = [];
    const lock = await acquireLock(stateDir, KEY, run(2), (pid) => (checked.push(pid), false));
    expect(checked).toEqual([1001]);
    expect(lock.tookOverFrom).toEqual({ key: KEY, ...run(1) });
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toEqual({ key: KEY, ...run(2) });
    expect(readdirSync(join(stateDir, 'locks'))).toEqual([LOCK_FILE]);
  });

  it('lets a resume take over the lock its crashed run left behind', async () => {
    const stateDir = tempDir();
    await acquireLock(stateDir, KEY, run(1), alive);
    const lock = await acquireLock(stateDir, KEY, run(1, { pid: 5555, startedAt: '2026-11-26T05:00:00.000Z' }), dead);
    expect(lock.tookOverFrom?.pid).toBe(1001);
  });

  it('treats its own pid in another run’s lock as a dead process whose pid was reused', async () => {
    const stateDir = tempDir();
    await acquireLock(stateDir, KEY, run(1, { pid: 7 }), alive);
    const lock = await acquireLock(stateDir, KEY, run(2, { pid: 7 }), alive);
    expect(lock.tookOverFrom?.runId).toBe(run(1).runId);
  });

  it('never takes over a lock from another host, whose processes it cannot see', async () => {
    const stateDir = tempDir();
    const first = await acquireLock(stateDir, KEY, run(1, { host: 'web-2' }), alive);
    const error = await refusal(acquireLock(stateDir, KEY, run(2), dead));
    expect(error.message).toContain('pid 1001 on web-2');
    expect(error.hint).toBe(`bulkfill cannot check a process on another host. If that run is over, delete ${first.path}.`);
  });

  it('lets exactly one of many simultaneous runs have a free lock', async () => {
    const stateDir = tempDir();
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => acquireLock(stateDir, KEY, run(i % 10, { pid: 2000 + i }), alive)));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results) if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(RunLockedError);
  });

  it('lets exactly one of many simultaneous runs take over a stale lock', async () => {
    const stateDir = tempDir();
    await acquireLock(stateDir, KEY, run(1, { pid: 1 }), alive);
    const isAlive = (pid: number) => pid !== 1;
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) => acquireLock(stateDir, KEY, run(i % 10, { pid: 3000 + i }), isAlive)),
    );
    const winners = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    expect(winners).toHaveLength(1);
    expect(JSON.parse(readFileSync(winners[0]!.path, 'utf8')).pid).toBe(winners[0]!.info.pid);
    for (const result of results) if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(RunLockedError);
    expect(readdirSync(join(stateDir, 'locks'))).toEqual([LOCK_FILE]);
  });

  it('does not remove a lock that is no longer its own', async () => {
    const stateDir = tempDir();
    const first = await acquireLock(stateDir, KEY, run(1), alive);
    // The first run was presumed dead and its lock taken over.
    const second = await acquireLock(stateDir, KEY, run(2), dead);
    await first.release();
    expect(JSON.parse(readFileSync(second.path, 'utf8')).runId).toBe(run(2).runId);
    await second.release();
    expect(existsSync(second.path)).toBe(false);
  });

  it('refuses, with the way out, when the lock file cannot be read', async () => {
    const stateDir = tempDir();
    mkdirSync(join(stateDir, 'locks'));
    writeFileSync(join(stateDir, 'locks', LOCK_FILE), '');
    const error = await refusal(acquireLock(stateDir, KEY, run(1), alive));
    expect(error.message).toBe(`The lock for ${KEY} cannot be read: ${join(stateDir, 'locks', LOCK_FILE)}.`);
    expect(error.hint).toMatch(/delete it and try again/);
  });

  it('refuses while another run takes over, and names a takeover that died half way', async () => {
    const stateDir = tempDir();
    await acquireLock(stateDir, KEY, run(1, { pid: 1 }), alive);
    const guard = join(stateDir, 'locks', `${LOCK_FILE}.takeover`);
    writeFileSync(guard, JSON.stringify({ key: KEY, ...run(2, { pid: 2 }) }));

    const busy = await refusal(acquireLock(stateDir, KEY, run(3), (pid) => pid === 2));
    expect(busy.message).toContain('run 20261126-041532-k3f9, pid 2');

    const stuck = await refusal(acquireLock(stateDir, KEY, run(3), dead));
    expect(stuck.message).toMatch(/^A run that was taking over the stale lock for shop.myshopify.com:cancel died: run 20261126-041532-k3f9/);
    expect(stuck.hint).toContain(`delete ${guard} and`);
  });
});
