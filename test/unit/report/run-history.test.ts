// The pieces behind `bulkfill runs`: one tolerant pass over a journal, and the failures CSV on a stream.
import { appendFileSync } from 'node:fs';
import { Writable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { printFailuresCsv } from '../../../src/report/failures-csv.js';
import { tallyJournal, type ReportOrder } from '../../../src/journal/outcomes.js';
import { AT, gid, HEADER, writeJournal } from './run-report.js';

describe('tallyJournal', () => {
  it('counts last outcomes, groups failures, and takes the ending after the last resume', async () => {
    const path = await writeJournal([
      HEADER,
      { t: 'outcome', order: gid(9), name: '#1009', outcome: 'failed', reason: 'not-found', message: 'no such order', at: AT },
      { t: 'planned', order: gid(1), name: '#1001', steps: [{}] },
      { t: 'planned', order: gid(2), name: '#1002', steps: [{}] },
      { t: 'planned', order: gid(3), name: '#1003', steps: [{}] },
      { t: 'plan-complete', at: AT, summary: {} },
      { t: 'outcome', order: gid(1), name: '#1001', outcome: 'unknown', reason: 'unconfirmed', message: 'timed out', at: AT },
      { t: 'interrupted', at: AT, signal: 'SIGINT' },
      { t: 'resumed', at: '2026-01-15T13:00:00.000Z', user: 'night', host: 'cron-1', pid: 7 },
      { t: 'outcome', order: gid(1), name: '#1001', outcome: 'done', at: AT },
    ]);
    const tally = await tallyJournal(path);
    expect(tally.header).toMatchObject({ runId: HEADER.runId, command: 'cancel', user: 'tester', host: 'test-host', pid: 4242 });
    expect(tally.counts).toEqual({ selected: 4, done: 1, already: 0, skipped: 0, failed: 1, unknown: 0 });
    expect(tally.notStarted).toBe(2);
    expect(tally.planComplete).toBe(true);
    expect(tally.ending).toBeNull();
    expect(tally.resumes).toEqual([{ at: '2026-01-15T13:00:00.000Z', user: 'night', host: 'cron-1' }]);
    expect(tally.failures).toEqual([{ reason: 'not-found', count: 1, sample: ['#1009'], message: 'no such order' }]);
    expect(tally.damagedLines).toEqual([]);

    appendFileSync(path, `${JSON.stringify({ t: 'finished', at: AT, summary: { selected: 4 } })}\n`);
    expect((await tallyJournal(path)).ending).toEqual({ kind: 'finished', at: AT, summary: { selected: 4 } });
  });

  it('reports damaged lines but not a torn last line, and has no header when the first line is not one', async () => {
    const path = await writeJournal(['not json', HEADER, '[1,2]', { t: 'planned', order: gid(1), name: '#1', steps: [] }, '{"t":"outc'], '');
    const tally = await tallyJournal(path);
    expect(tally.header).toBeNull();
    expect(tally.damagedLines).toEqual([1, 3]);
    expect(tally.counts.selected).toBe(1);
    expect(tally.planComplete).toBe(false);
  });
});

describe('printFailuresCsv', () => {
  it('writes the failed and unknown orders to an open stream, waiting for drain, and leaves it open', async () => {
    const chunks: string[] = [];
    const stream = new Writable({
      highWaterMark: 16,
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk.toString());
        setImmediate(callback);
      },
    });
    const records: ReportOrder[] = [];
    for (let i = 1; i <= 500; i++)
      records.push({ order: gid(i), name: `#${i}`, outcome: i % 2 ? 'failed' : 'done', reason: 'user-error', message: '=x' });
    expect(await printFailuresCsv(stream, records)).toBe(250);
    const lines = chunks.join('').trimEnd().split('\n');
    expect(lines[0]).toBe('id,name,outcome,reason,message');
    expect(lines[1]).toBe(`${gid(1)},#1,failed,user-error,'=x`);
    expect(lines).toHaveLength(251);
    expect(stream.writableEnded).toBe(false);
  });
});
