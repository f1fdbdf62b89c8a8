import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { describe, expect, it } from 'vitest';

import type { JournalEntry } from '../../../src/journal/format.js';
import { summarizeJournal } from '../../../src/journal/resume-state.js';
import { JournalWriter } from '../../../src/journal/writer.js';
import { AT, header, order, useTempDirs } from './journal-fixtures.js';

const tempDir = useTempDirs();

async function summaryOf(entries: JournalEntry[]) {
  const journal = await JournalWriter.create(tempDir(), header());
  for (const entry of entries) journal.append(entry);
  journal.close();
  return summarizeJournal(journal.path);
}

const steps = [{ cancel: true }, { poll: true }];

describe('summarizeJournal', () => {
  it('keeps, per order, what a resume needs: steps, what may have been sent and when, what was accepted', async () => {
    const state = await summaryOf([
      { t: 'planned', order: order(1), name: '#1', steps },
      { t: 'planned', order: order(2), name: '#2', steps },
      { t: 'planned', order: order(3), name: '#3', steps },
      { t: 'plan-complete', at: AT, summary: { act: 3 } },
      { t: 'sent', order: order(1), step: 0, attempt: 1, at: AT },
      { t: 'accepted', order: order(1), step: 0, at: AT, data: { job: 'J1' } },
      { t: 'sent', order: order(2), step: 0, attempt: 1, at: AT },
      { t: 'sent', order: order(2), step: 0, attempt: 2, at: AT },
    ]);

    expect(state.header).toEqual(header());
    expect(state.planComplete).toBe(true);
    expect(state.finished).toBe(false);
    expect([...state.orders.keys()]).toEqual([order(1), order(2), order(3)]);
    const [first, second, third] = [...state.orders.values()];
    expect(first).toMatchObject({ name: '#1', steps, sentSteps: new Map([[0, AT]]), accepted: new Map([[0, { job: 'J1' }]]) });
    expect(first!.outcome).toBeUndefined();
    expect(second).toMatchObject({ steps, sentSteps: new Map([[0, AT]]), accepted: new Map() });
    expect(third).toMatchObject({ steps, sentSteps: new Map(), accepted: new Map() });
  });

  it('keeps only the outcome of a settled order, but everything of an unknown one', async () => {
    const state = await summaryOf([
      { t: 'planned', order: order(1), name: '#1', steps },
      { t: 'planned', order: order(2), name: '#2', steps },
      { t: 'outcome', order: order(3), name: '#3', outcome: 'skipped', reason: 'already-cancelled', message: 'Cancelled already.', at: AT },
      { t: 'plan-complete', at: AT, summary: { act: 2, skipped: 1 } },
      { t: 'sent', order: order(1), step: 0, attempt: 1, at: AT },
      { t: 'accepted', order: order(1), step: 0, at: AT, data: 'J1' },
      { t: 'outcome', order: order(1), name: '#1', outcome: 'done', at: AT, detail: { refunded: '10.00' } },
      { t: 'sent', order: order(2), step: 0, attempt: 1, at: AT },
      { t: 'outcome', order: order(2), name: '#2', outcome: 'unknown', reason: 'timeout', at: AT },
      { t: 'interrupted', at: AT, signal: 'SIGTERM' },
    ]);

    const done = state.orders.get(order(1))!;
    expect(done).toMatchObject({ name: '#1', outcome: { outcome: 'done' }, sentSteps: new Map(), accepted: new Map() });
    expect(done.steps).toBeUndefined();
    expect(state.orders.get(order(3))).toMatchObject({
      name: '#3',
      outcome: { outcome: 'skipped', reason: 'already-cancelled', message: 'Cancelled already.' },
    });
    expect(state.orders.get(order(2))).toMatchObject({
      steps,
      sentSteps: new Map([[0, AT]]),
      outcome: { outcome: 'unknown', reason: 'timeout' },
    });
    expect(state.finished).toBe(false);
  });

  it('lets a resume settle an unknown order, and reopens one that is sent again', async () => {
    const state = await summaryOf([
      { t: 'planned', order: order(1), name: '#1', steps },
      { t: 'planned', order: order(2), name: '#2', steps },
      { t: 'sent', order: order(1), step: 0, attempt: 1, at: AT },
      { t: 'outcome', order: order(1), name: '#1', outcome: 'unknown', at: AT },
      { t: 'outcome', order: order(2), name: '#2', outcome: 'unknown', at: AT },
      { t: 'resumed', at: AT, user: 'ops', host: 'web-2', pid: 7 },
      { t: 'outcome', order: order(1), name: '#1', outcome: 'already', at: AT },
      { t: 'sent', order: order(2), step: 1, attempt: 1, at: AT },
      { t: 'finished', at: AT, summary: { already: 1 } },
    ]);
    expect(state.orders.get(order(1))).toEqual({
      name: '#1',
      steps: undefined,
      sentSteps: new Map(),
      accepted: new Map(),
      outcome: { outcome: 'already' },
    });
    expect(state.orders.get(order(2))).toMatchObject({ steps, sentSteps: new Map([[1, AT]]), outcome: undefined });
    expect(state.finished).toBe(true);
  });

  it('needs the run header first', async () => {
    const path = join(tempDir(), '20261126-041530-k3f9.jsonl');
    writeFileSync(path, '');
    await expect(summarizeJournal(path)).rejects.toThrow(/header is missing/);
    writeFileSync(path, `${JSON.stringify({ t: 'planned', order: order(1), name: null, steps: [] })}\n`);
    await expect(summarizeJournal(path)).rejects.toMatchObject({ name: 'JournalCorruptError', line: 1 });
  });

  it('summarises 100,000 orders quickly, holding little more than their outcomes', async () => {
    const gc = exposeGc();
    const ORDERS = 100_000;
    const path = writeLargeJournal(ORDERS);

    gc();
    const before = process.memoryUsage().heapUsed;
    const started = performance.now();
    const state = await summarizeJournal(path);
    const elapsed = performance.now() - started;
    gc();
    const retained = process.memoryUsage().heapUsed - before;

    expect(state.orders.size).toBe(ORDERS + 100);
    expect(state.orders.get(order(10))).toMatchObject({ outcome: { outcome: 'failed', reason: 'user-error' } });
    expect(state.orders.get(order(ORDERS + 1))!.steps).toEqual(largeSteps(ORDERS + 1));
    expect(elapsed).toBeLessThan(10_000);
    expect(retained).toBeLessThan(40 * 1024 * 1024);
  });
});

// Steps of a realistic size: kept for every settled order, they alone would take some 70 MB.
const largeSteps = (n: number) => [{ mutation: 'orderCancel', variables: { orderId: order(n), reason: 'DECLINED', staffNote: 'x'.repeat(400) } }];

/**
 * A crashed run: `orders` planned, sent and settled (every tenth failed), then 100 more planned.
 * Written directly, in batches (appending is tested elsewhere).
 */
function writeLargeJournal(orders: number): string {
  const path = join(tempDir(), 'large.jsonl');
  const fd = openSync(path, 'w');
  let batch: JournalEntry[] = [header()];
  const add = (entry: JournalEntry): void => {
    batch.push(entry);
    if (batch.length < 5000) return;
    writeSync(fd, batch.map((line) => `${JSON.stringify(line)}\n`).join(''));
    batch = [];
  };
  for (let n = 1; n <= orders; n++) add({ t: 'planned', order: order(n), name: `#${n}`, steps: largeSteps(n) });
  add({ t: 'plan-complete', at: AT, summary: { act: orders } });
  for (let n = 1; n <= orders; n++) {
    const failed = n % 10 === 0;
    add({ t: 'sent', order: order(n), step: 0, attempt: 1, at: AT });
    add({
      t: 'outcome',
      order: order(n),
      name: `#${n}`,
      outcome: failed ? 'failed' : 'done',
      ...(failed ? { reason: 'user-error', message: `Order #${n} cannot be cancelled.` } : {}),
      at: AT,
    });
  }
  for (let n = orders + 1; n <= orders + 100; n++) add({ t: 'planned', order: order(n), name: `#${n}`, steps: largeSteps(n) });
  writeSync(fd, batch.map((line) => `${JSON.stringify(line)}\n`).join(''));
  closeSync(fd);
  return path;
}

/** The V8 collector, so heap figures measure what is retained rather than what awaits collection. */
function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
