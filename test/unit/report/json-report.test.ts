import { Writable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { readOutcomes, readReportOrders, type ReportOrder } from '../../../src/journal/outcomes.js';
import { writeJsonReport } from '../../../src/report/json-report.js';
import { summarizeRun } from '../../../src/run/runner.js';
import { AT, executionTotals, gid, HEADER, planTotals, runReport, writeJournal } from './run-report.js';

/** A writable that takes `delayChunks` chunks slowly, with a tiny buffer: it exercises 'drain'. */
function sink(highWaterMark = 1024): { stream: Writable; text(): string; drains: () => number } {
  const chunks: string[] = [];
  let drains = 0;
  const stream = new Writable({
    highWaterMark,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      setImmediate(callback);
    },
  });
  stream.on('drain', () => drains++);
  return { stream, text: () => chunks.join(''), drains: () => drains };
}

describe('writeJsonReport', () => {
  it('writes one document whose orders match the summary, from a resumed journal with a torn last line', async () => {
    const journal = await writeJournal(
      [
        HEADER,
        { t: 'outcome', order: gid(9), name: '#1009', outcome: 'failed', reason: 'not-found', message: 'no such order', at: AT },
        { t: 'outcome', order: gid(8), name: '#1008', outcome: 'skipped', reason: 'partially-refunded', message: 'partly refunded', at: AT },
        { t: 'planned', order: gid(1), name: '#1001', steps: [{}] },
        { t: 'planned', order: gid(2), name: '#1002', steps: [{}] },
        { t: 'planned', order: gid(3), name: '#1003', steps: [{}] },
        { t: 'plan-complete', at: AT, summary: {} },
        { t: 'outcome', order: gid(1), name: '#1001', outcome: 'unknown', reason: 'unconfirmed', message: 'timed out', at: AT },
        { t: 'outcome', order: gid(2), name: '#1002', outcome: 'already', message: 'already cancelled', at: AT },
        { t: 'outcome', order: gid(3), name: '#1003', outcome: 'failed', reason: 'user-error', message: 'Cannot cancel', at: AT },
        { t: 'outcome', order: gid(1), name: '#1001', outcome: 'done', at: AT },
        { t: 'finished', at: AT, summary: {} },
        '{"t":"outcome","order":"gid://shopify/Order/2","outco',
      ],
      '',
    );
    const report = runReport({
      journal,
      plan: planTotals({
        selected: 5,
        act: 3,
        skipped: 1,
        failed: 1,
        reasons: new Map([
          ['not-found', 1],
          ['partially-refunded', 1],
        ]),
      }),
      execution: executionTotals({ done: 1, already: 1, failed: 1 }),
    });
    const out = sink(64);
    await writeJsonReport(out.stream, report, readOutcomes(journal));

    const doc = JSON.parse(out.text()) as {
      run: Record<string, unknown>;
      summary: Record<string, number>;
      orders: { id: string; name: string; outcome: string; reason?: string; message?: string }[];
    };
    expect(doc.run).toEqual({
      id: report.runId,
      command: 'cancel',
      store: 'example.myshopify.com',
      apiVersion: '2026-10',
      startedAt: report.startedAt,
      finishedAt: report.finishedAt,
      dryRun: false,
    });
    expect(doc.summary).toEqual({ selected: 5, done: 1, already: 1, skipped: 1, failed: 2, unknown: 0 });
    expect(doc.orders).toEqual([
      { id: gid(9), name: '#1009', outcome: 'failed', reason: 'not-found', message: 'no such order' },
      { id: gid(8), name: '#1008', outcome: 'skipped', reason: 'partially-refunded', message: 'partly refunded' },
      { id: gid(1), name: '#1001', outcome: 'done' },
      { id: gid(2), name: '#1002', outcome: 'already', message: 'already cancelled' },
      { id: gid(3), name: '#1003', outcome: 'failed', reason: 'user-error', message: 'Cannot cancel' },
    ]);
    const count = (outcome: string) => doc.orders.filter((o) => o.outcome === outcome).length;
    for (const key of ['done', 'already', 'skipped', 'failed', 'unknown']) expect(count(key), key).toBe(doc.summary[key]);
    expect(doc.orders).toHaveLength(doc.summary.selected!);
    expect(Object.keys(doc)).toEqual(['run', 'summary', 'orders']);
  });

  it('lists the plan per order in a dry run: "planned" for orders to act on', async () => {
    const journal = await writeJournal([
      { ...HEADER, options: { dryRun: true } },
      { t: 'planned', order: gid(1), name: '#1001', steps: [{}] },
      { t: 'outcome', order: gid(2), name: '#1002', outcome: 'already', message: 'already cancelled', at: AT },
      { t: 'planned', order: gid(3), name: '#1003', steps: [{}] },
      { t: 'plan-complete', at: AT, summary: {} },
      { t: 'finished', at: AT, summary: {} },
    ]);
    const report = runReport({ journal, dryRun: true, plan: planTotals({ selected: 3, act: 2, already: 1 }) });
    const out = sink();
    await writeJsonReport(out.stream, report, readReportOrders(journal, { dryRun: true }), { command: 'cancel' });
    const doc = JSON.parse(out.text()) as { run: { dryRun: boolean }; summary: Record<string, number>; orders: { id: string; outcome: string }[] };
    expect(doc.run.dryRun).toBe(true);
    expect(doc.summary).toEqual({ selected: 3, done: 0, already: 1, skipped: 0, failed: 0, unknown: 0 });
    expect(doc.orders.map((o) => `${o.id}:${o.outcome}`)).toEqual([`${gid(1)}:planned`, `${gid(2)}:already`, `${gid(3)}:planned`]);
  });

  it('writes valid JSON for an empty run and a null command when the journal is missing', async () => {
    const out = sink();
    await writeJsonReport(out.stream, runReport(), []);
    const doc = JSON.parse(out.text()) as { run: { command: unknown }; orders: unknown[] };
    expect(doc.run.command).toBeNull();
    expect(doc.orders).toEqual([]);
    expect(out.text().endsWith('\n')).toBe(true);
  });

  it('streams 100,000 orders with backpressure into one valid document', async () => {
    const N = 100_000;
    function* orders(): Generator<ReportOrder> {
      for (let i = 1; i <= N; i++) {
        yield i % 100 === 0
          ? { order: gid(i), name: `#${i}`, outcome: 'failed', reason: 'user-error', message: 'Cannot "cancel"\n' }
          : { order: gid(i), name: `#${i}`, outcome: 'done' };
      }
    }
    const report = runReport({
      plan: planTotals({ selected: N, act: N }),
      execution: executionTotals({ done: N - N / 100, failed: N / 100 }),
    });
    const out = sink(16 * 1024);
    await writeJsonReport(out.stream, report, orders(), { command: 'cancel' });
    const doc = JSON.parse(out.text()) as { summary: ReturnType<typeof summarizeRun>; orders: { outcome: string; message?: string }[] };
    expect(doc.orders).toHaveLength(N);
    expect(doc.orders.filter((o) => o.outcome === 'failed')).toHaveLength(doc.summary.failed);
    expect(doc.orders[99]!.message).toBe('Cannot "cancel"\n');
    expect(out.drains()).toBeGreaterThan(0);
  });
});
