import { describe, expect, it } from 'vitest';

import { failureGroups, readOutcomes, readReportOrders, readRunHeader, type ReportOrder } from '../../../src/journal/outcomes.js';
import { AT, collect, gid, HEADER, writeJournal } from '../report/run-report.js';

describe('readOutcomes', () => {
  it('keeps the last outcome per order, in first-seen order, and ignores a torn last line', async () => {
    const path = await writeJournal(
      [
        HEADER,
        { t: 'outcome', order: gid(9), name: '#1009', outcome: 'failed', reason: 'not-found', message: 'no such order', at: AT },
        { t: 'planned', order: gid(1), name: '#1001', steps: [{}] },
        { t: 'planned', order: gid(2), name: '#1002', steps: [{}] },
        { t: 'planned', order: gid(3), name: '#1003', steps: [{}] },
        { t: 'plan-complete', at: AT, summary: {} },
        { t: 'sent', order: gid(1), step: 0, attempt: 1, at: AT },
        { t: 'outcome', order: gid(1), name: '#1001', outcome: 'unknown', reason: 'unconfirmed', message: 'timed out', at: AT },
        { t: 'outcome', order: gid(2), name: '#1002', outcome: 'done', at: AT },
        { t: 'interrupted', at: AT, signal: 'SIGINT' },
        { t: 'resumed', at: AT, user: 'tester', host: 'h', pid: 1, version: '0.1.0' },
        { t: 'outcome', order: gid(1), name: '#1001', outcome: 'done', at: AT },
        '{"t":"outcome","order":"gid://shopify/Order/3","name":"#10',
      ],
      '',
    );

    expect(await collect(readOutcomes(path))).toEqual([
      { order: gid(9), name: '#1009', outcome: 'failed', reason: 'not-found', message: 'no such order' },
      { order: gid(1), name: '#1001', outcome: 'done' },
      { order: gid(2), name: '#1002', outcome: 'done' },
    ]);
    expect((await collect(readReportOrders(path, { dryRun: false }))).map((o) => `${o.name}:${o.outcome}`)).toEqual([
      '#1009:failed',
      '#1001:done',
      '#1002:done',
      '#1003:not-started',
    ]);
    expect((await collect(readReportOrders(path, { dryRun: true }))).at(-1)?.outcome).toBe('planned');
    expect(await readRunHeader(path)).toMatchObject({ runId: HEADER.runId, command: 'cancel', store: HEADER.store, apiVersion: '2026-10' });
  });

  it('reads a journal with CRLF and blank lines', async () => {
    const lines = [
      JSON.stringify(HEADER),
      '',
      JSON.stringify({ t: 'outcome', order: gid(1), name: null, outcome: 'skipped', reason: 'x', message: 'y', at: AT }),
    ];
    const path = await writeJournal(lines.map((line) => `${line}\r`));
    expect(await collect(readOutcomes(path))).toEqual([{ order: gid(1), name: null, outcome: 'skipped', reason: 'x', message: 'y' }]);
  });
});

describe('failureGroups', () => {
  it('groups failed and unknown orders by reason, most frequent first, with up to 3 samples', async () => {
    const records: ReportOrder[] = [
      { order: gid(1), name: '#1', outcome: 'failed', reason: 'not-found' },
      { order: gid(2), name: '#2', outcome: 'done' },
      { order: gid(3), name: '#3', outcome: 'failed', reason: 'user-error', message: 'nope' },
      { order: gid(4), name: '#4', outcome: 'failed', reason: 'user-error' },
      { order: gid(5), name: null, outcome: 'unknown', reason: 'unconfirmed' },
      { order: gid(6), name: '#6', outcome: 'failed', reason: 'user-error' },
      { order: gid(7), name: '#7', outcome: 'failed', reason: 'user-error' },
      { order: gid(8), name: '#8', outcome: 'skipped', reason: 'partially-refunded' },
      { order: gid(9), name: '#9', outcome: 'failed' },
    ];
    async function* streamed(): AsyncGenerator<ReportOrder> {
      yield* records;
    }
    expect(await failureGroups(streamed())).toEqual(failureGroups(records));
    expect(failureGroups(records)).toEqual([
      { reason: 'user-error', count: 4, sample: ['#3', '#4', '#6'], message: 'nope' },
      { reason: 'failed', count: 1, sample: ['#9'] },
      { reason: 'not-found', count: 1, sample: ['#1'] },
      { reason: 'unconfirmed', count: 1, sample: [gid(5)] },
    ]);
  });
});
