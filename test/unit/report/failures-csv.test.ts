import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';

import { neutralizeCell, writeFailuresCsv } from '../../../src/report/failures-csv.js';
import { readOutcomes, type ReportOrder } from '../../../src/journal/outcomes.js';
import { refsFromCsv } from '../../../src/selection/sources.js';
import { AT, collect, gid, HEADER, writeJournal } from './run-report.js';

const RECORDS: ReportOrder[] = [
  { order: gid(1), name: '#1001', outcome: 'done' },
  { order: gid(2), name: '=HYPERLINK("http://x","y")', outcome: 'failed', reason: 'user-error', message: '+1 surprise' },
  { order: gid(3), name: '#1003', outcome: 'unknown', reason: 'unconfirmed', message: '-not confirmed' },
  { order: gid(4), name: '@SUM(A1)', outcome: 'failed', reason: '=cmd|calc', message: '\tleading tab' },
  { order: gid(5), name: '#1005', outcome: 'failed', reason: 'not-found', message: '\rcarriage, return "quoted"\nsecond line' },
  { order: gid(6), name: '#1006', outcome: 'skipped', reason: 'partially-refunded', message: 'skip me' },
  { order: gid(7), name: null, outcome: 'already', message: 'already cancelled' },
];

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'bulkfill-csv-'));
}

describe('neutralizeCell', () => {
  it('prefixes a quote to cells a spreadsheet would evaluate', () => {
    expect(['=1', '+1', '-1', '@a', '\tx', '\rx', '#1001', 'a=b', ''].map(neutralizeCell)).toEqual([
      "'=1",
      "'+1",
      "'-1",
      "'@a",
      "'\tx",
      "'\rx",
      '#1001',
      'a=b',
      '',
    ]);
  });
});

describe('writeFailuresCsv', () => {
  it('writes only failed and unknown orders, neutralised except the id column', async () => {
    const path = join(await tempDir(), 'failures.csv');
    expect(await writeFailuresCsv(path, RECORDS)).toBe(4);

    const text = await readFile(path, 'utf8');
    expect(text.split('\n')[0]).toBe('id,name,outcome,reason,message');
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.id)).toEqual([gid(2), gid(3), gid(4), gid(5)]);
    expect(rows).toEqual([
      { id: gid(2), name: `'=HYPERLINK("http://x","y")`, outcome: 'failed', reason: 'user-error', message: "'+1 surprise" },
      { id: gid(3), name: '#1003', outcome: 'unknown', reason: 'unconfirmed', message: "'-not confirmed" },
      { id: gid(4), name: "'@SUM(A1)", outcome: 'failed', reason: "'=cmd|calc", message: "'\tleading tab" },
      // Line breaks inside a message become spaces: one physical line per order.
      { id: gid(5), name: '#1005', outcome: 'failed', reason: 'not-found', message: ' carriage, return "quoted" second line' },
    ]);
    expect(text.trimEnd().split('\n')).toHaveLength(5);
  });

  it('is re-feedable: the --csv reader selects exactly the failed orders by their ids', async () => {
    const journal = await writeJournal([
      HEADER,
      ...RECORDS.map((r) => ({ t: 'outcome', ...r, at: AT })),
      { t: 'outcome', order: gid(3), name: '#1003', outcome: 'done', at: AT },
    ]);
    const path = join(await tempDir(), 'failures.csv');
    expect(await writeFailuresCsv(path, readOutcomes(journal))).toBe(3);

    const events = await collect(refsFromCsv(createReadStream(path), 'failures.csv'));
    expect(events.filter((e) => e.type === 'problem')).toEqual([]);
    expect(events.map((e) => (e.type === 'ref' && e.item.ref.kind === 'id' ? e.item.ref.gid : e))).toEqual([gid(2), gid(4), gid(5)]);
  });

  it('replaces an existing file atomically and leaves no temporary file behind', async () => {
    const dir = await tempDir();
    const path = join(dir, 'failures.csv');
    await writeFile(path, 'old content\n');
    expect(await writeFailuresCsv(path, [])).toBe(0);
    expect(await readFile(path, 'utf8')).toBe('id,name,outcome,reason,message\n');
    expect(await readdir(dir)).toEqual(['failures.csv']);
  });

  it('keeps the old file when the write fails', async () => {
    const dir = await tempDir();
    const path = join(dir, 'failures.csv');
    await writeFile(path, 'old content\n');
    async function* broken(): AsyncGenerator<ReportOrder> {
      yield { order: gid(1), name: '#1', outcome: 'failed', reason: 'x' };
      throw new Error('journal unreadable');
    }
    await expect(writeFailuresCsv(path, broken())).rejects.toThrow('journal unreadable');
    expect(await readFile(path, 'utf8')).toBe('old content\n');
    expect(await readdir(dir)).toEqual(['failures.csv']);
  });
});
