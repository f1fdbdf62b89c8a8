import { appendFileSync, mkdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { UsageError } from '../../../src/errors.js';
import type { JournalEntry } from '../../../src/journal/format.js';
import { journalPath, listRuns, resolveRunId } from '../../../src/journal/store.js';
import { JournalWriter } from '../../../src/journal/writer.js';
import { AT, header, order, useTempDirs } from './journal-fixtures.js';

const tempDir = useTempDirs();

async function record(stateDir: string, runId: string, startedAt: string, entries: JournalEntry[]): Promise<string> {
  const journal = await JournalWriter.create(stateDir, header({ runId, startedAt }));
  for (const entry of entries) journal.append(entry);
  journal.close();
  return journal.path;
}

const planned = (n: number): JournalEntry => ({ t: 'planned', order: order(n), name: `#${n}`, steps: [] });
const done = (n: number): JournalEntry => ({ t: 'outcome', order: order(n), name: `#${n}`, outcome: 'done', at: AT });

describe('journalPath', () => {
  it('is runs/<runId>.jsonl and accepts only run ids', () => {
    expect(journalPath('/state', '20261126-041530-k3f9')).toBe('/state/runs/20261126-041530-k3f9.jsonl');
    expect(() => journalPath('/state', '../../etc/passwd')).toThrow(/Not a run id/);
  });
});

describe('listRuns', () => {
  it('lists runs newest first, with how each one ended', async () => {
    const stateDir = tempDir();
    await record(stateDir, '20261124-100000-aaaa', '2026-11-24T10:00:00.000Z', [
      planned(1),
      done(1),
      { t: 'finished', at: '2026-11-24T10:01:00.000Z', summary: { done: 1 } },
    ]);
    await record(stateDir, '20261125-100000-bbbb', '2026-11-25T10:00:00.000Z', [
      planned(1),
      { t: 'interrupted', at: '2026-11-25T10:00:05.000Z', signal: 'SIGINT' },
      // In-flight orders settle after the interrupt.
      done(1),
    ]);
    await record(stateDir, '20261126-100000-cccc', '2026-11-26T10:00:00.000Z', [planned(1), planned(2), done(1)]);
    await record(stateDir, '20261126-100000-dddd', '2026-11-26T10:00:00.500Z', [
      { t: 'interrupted', at: AT, signal: 'SIGTERM' },
      { t: 'resumed', at: AT, user: 'ops', host: 'web-1', pid: 1 },
      done(1),
    ]);

    const runs = await listRuns(stateDir);
    expect(runs.map((run) => [run.runId, run.status])).toEqual([
      ['20261126-100000-dddd', 'incomplete'],
      ['20261126-100000-cccc', 'incomplete'],
      ['20261125-100000-bbbb', 'interrupted'],
      ['20261124-100000-aaaa', 'finished'],
    ]);
    expect(runs[2]).toMatchObject({ endedAt: '2026-11-25T10:00:05.000Z' });
    expect(runs[3]).toEqual({
      runId: '20261124-100000-aaaa',
      path: journalPath(stateDir, '20261124-100000-aaaa'),
      header: header({ runId: '20261124-100000-aaaa', startedAt: '2026-11-24T10:00:00.000Z' }),
      status: 'finished',
      endedAt: '2026-11-24T10:01:00.000Z',
      summary: { done: 1 },
    });
  });

  it('reads only the head and tail of a large journal', async () => {
    const stateDir = tempDir();
    const many = Array.from({ length: 5000 }, (_, i) => planned(i));
    const path = await record(stateDir, '20261126-100000-aaaa', AT, [...many, { t: 'finished', at: AT, summary: { done: 5000 } }]);
    expect(statSync(path).size).toBeGreaterThan(300_000);
    expect(await listRuns(stateDir)).toMatchObject([{ runId: '20261126-100000-aaaa', status: 'finished', summary: { done: 5000 } }]);
  });

  it('tolerates torn and damaged lines, and leaves out journals without a header or a run id', async () => {
    const stateDir = tempDir();
    const torn = await record(stateDir, '20261126-100000-aaaa', AT, [{ t: 'finished', at: AT, summary: {} }, done(1)]);
    truncateSync(torn, statSync(torn).size - 5);
    const damaged = await record(stateDir, '20261125-100000-aaaa', AT, []);
    appendFileSync(damaged, `{oops\n${JSON.stringify({ t: 'interrupted', at: AT, signal: 'SIGINT' })}\n`);
    mkdirSync(join(stateDir, 'runs'), { recursive: true });
    writeFileSync(join(stateDir, 'runs', '20261127-100000-aaaa.jsonl'), '{"t":"header","ru');
    writeFileSync(join(stateDir, 'runs', 'notes.jsonl'), `${JSON.stringify(header())}\n`);

    expect((await listRuns(stateDir)).map((run) => [run.runId, run.status])).toEqual([
      ['20261126-100000-aaaa', 'finished'],
      ['20261125-100000-aaaa', 'interrupted'],
    ]);
  });

  it('is empty before the first run', async () => {
    expect(await listRuns(tempDir())).toEqual([]);
  });
});

describe('resolveRunId', () => {
  it('resolves `last` to the newest run and accepts a recorded id', async () => {
    const stateDir = tempDir();
    await record(stateDir, '20261125-100000-aaaa', '2026-11-25T10:00:00.000Z', []);
    await record(stateDir, '20261126-100000-bbbb', '2026-11-26T10:00:00.000Z', []);
    expect(await resolveRunId(stateDir, 'last')).toBe('20261126-100000-bbbb');
    expect(await resolveRunId(stateDir, '20261125-100000-aaaa')).toBe('20261125-100000-aaaa');
  });

  it('says how to see the runs when the id is unknown', async () => {
    const stateDir = tempDir();
    await record(stateDir, '20261125-100000-aaaa', AT, []);
    for (const id of ['20261125-100000-zzzz', '../runs/20261125-100000-aaaa', 'latest']) {
      const error = await resolveRunId(stateDir, id).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(UsageError);
      expect(error).toMatchObject({ exitCode: 2, hint: 'See the recorded runs and their ids with: bulkfill runs' });
      expect((error as Error).message).toContain(JSON.stringify(id));
    }
  });

  it('refuses `last` before the first run', async () => {
    await expect(resolveRunId(tempDir(), 'last')).rejects.toThrow(/No runs are recorded yet/);
  });
});
