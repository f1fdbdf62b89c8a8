import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { describe, expect, it } from 'vitest';

import { JournalCorruptError, UsageError } from '../../../src/errors.js';
import type { JournalEntry } from '../../../src/journal/format.js';
import { readJournal } from '../../../src/journal/reader.js';
import { JournalWriter } from '../../../src/journal/writer.js';
import { AT, entriesOf, header, order, useTempDirs } from './journal-fixtures.js';

const tempDir = useTempDirs();

const planned = (n: number): JournalEntry => ({ t: 'planned', order: order(n), name: `#${n}`, steps: [{ mutation: 'orderCancel', n }] });
const done = (n: number): JournalEntry => ({ t: 'outcome', order: order(n), name: `#${n}`, outcome: 'done', at: AT });

async function journalWith(entries: JournalEntry[]): Promise<string> {
  const journal = await JournalWriter.create(tempDir(), header());
  for (const entry of entries) journal.append(entry);
  journal.close();
  return journal.path;
}

async function readError(path: string): Promise<unknown> {
  return entriesOf(path).then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('JournalWriter and readJournal', () => {
  it('round-trips every entry type, one JSON line each, under <stateDir>/runs/<runId>.jsonl', async () => {
    const stateDir = tempDir();
    const entries: JournalEntry[] = [
      planned(1),
      { t: 'plan-complete', at: AT, summary: { selected: 1, act: 1 } },
      { t: 'sent', order: order(1), step: 0, attempt: 1, at: AT },
      { t: 'accepted', order: order(1), step: 0, at: AT, data: { job: 'gid://shopify/Job/9' } },
      { t: 'outcome', order: order(1), name: '#1', outcome: 'failed', reason: 'user-error', message: 'Order is "locked"\nby Shopify ✓', at: AT },
      { t: 'interrupted', at: AT, signal: 'SIGINT' },
      { t: 'resumed', at: AT, user: 'ops', host: 'web-1', pid: 5151 },
      { t: 'finished', at: AT, summary: { done: 0, failed: 1 } },
    ];
    const journal = await JournalWriter.create(stateDir, header());
    for (const entry of entries) journal.append(entry);
    journal.close();
    journal.close();

    expect(journal.path).toBe(join(stateDir, 'runs', '20261126-041530-k3f9.jsonl'));
    expect(readFileSync(journal.path, 'utf8').split('\n')).toHaveLength(entries.length + 2);
    expect(await entriesOf(journal.path)).toEqual([header(), ...entries]);
  });

  it('has each entry on disk as soon as append returns', async () => {
    const journal = await JournalWriter.create(tempDir(), header());
    journal.append(planned(1));
    expect(readFileSync(journal.path, 'utf8')).toContain('"order":"gid://shopify/Order/1"');
    journal.close();
  });

  it('never writes into an existing journal when creating one, nor after closing', async () => {
    const stateDir = tempDir();
    const journal = await JournalWriter.create(stateDir, header());
    await expect(JournalWriter.create(stateDir, header())).rejects.toMatchObject({ code: 'EEXIST' });
    journal.close();
    expect(() => journal.append(planned(1))).toThrow(/closed/);
    expect(await entriesOf(journal.path)).toEqual([header()]);
  });

  it('ignores a last line torn by a kill in the middle of a write', async () => {
    const path = await journalWith([planned(1), done(1), planned(2)]);
    truncateSync(path, statSync(path).size - 15);
    expect(await entriesOf(path)).toEqual([header(), planned(1), done(1)]);
  });

  it('keeps a last line that is whole but lost its newline', async () => {
    const path = await journalWith([planned(1)]);
    truncateSync(path, statSync(path).size - 1);
    expect(await entriesOf(path)).toEqual([header(), planned(1)]);
  });

  it('reports a bad line anywhere but at the end as damage, with its line number', async () => {
    const path = await journalWith([planned(1), done(1), planned(2)]);
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[2] = lines[2]!.slice(0, 20);
    writeFileSync(path, lines.join('\n'));

    const error = await readError(path);
    expect(error).toBeInstanceOf(JournalCorruptError);
    expect(error).toMatchObject({ path, line: 3, exitCode: 2 });
    expect((error as Error).message).toBe(`The run journal ${path} is damaged at line 3: not valid JSON.`);
  });

  it('checks the fields resume relies on', async () => {
    const path = await journalWith([planned(1)]);
    appendFileSync(path, '{"t":"sent","order":"gid://shopify/Order/1","step":"0","at":"x"}\n{"t":"bogus"}\n');
    expect(await readError(path)).toMatchObject({ line: 3, problem: 'a "sent" entry without a valid "step"' });

    const other = await journalWith([]);
    appendFileSync(other, '{"t":"bogus"}\n[]\n');
    expect(await readError(other)).toMatchObject({ line: 2, problem: 'unknown entry type "bogus"' });
  });

  it('reads a line longer than one read chunk', async () => {
    const big: JournalEntry = { t: 'planned', order: order(1), name: null, steps: [{ note: 'x'.repeat(600_000) }] };
    const path = await journalWith([big, done(1)]);
    expect(await entriesOf(path)).toEqual([header(), big, done(1)]);
  });
});

describe('JournalWriter.reopen', () => {
  it('appends to the journal of an earlier run', async () => {
    const path = await journalWith([planned(1), planned(2), done(1)]);
    const resumed = await JournalWriter.reopen(path);
    resumed.append(done(2));
    resumed.close();
    expect(resumed.path).toBe(path);
    expect(await entriesOf(path)).toEqual([header(), planned(1), planned(2), done(1), done(2)]);
  });

  it('cuts off a torn last line first, so the next entry starts a line of its own', async () => {
    const path = await journalWith([planned(1), planned(2)]);
    truncateSync(path, statSync(path).size - 10);
    const resumed = await JournalWriter.reopen(path);
    resumed.append(done(1));
    resumed.close();
    expect(await entriesOf(path)).toEqual([header(), planned(1), done(1)]);
  });

  it('terminates a whole last line that lost its newline instead of dropping it', async () => {
    const path = await journalWith([planned(1)]);
    truncateSync(path, statSync(path).size - 1);
    const resumed = await JournalWriter.reopen(path);
    resumed.append(done(1));
    resumed.close();
    expect(await entriesOf(path)).toEqual([header(), planned(1), done(1)]);
  });

  it('refuses a file that is not a journal, or one from a newer bulkfill', async () => {
    const path = join(tempDir(), 'x.jsonl');
    writeFileSync(path, `${JSON.stringify(planned(1))}\n`);
    await expect(JournalWriter.reopen(path)).rejects.toMatchObject({ name: 'JournalCorruptError', line: 1 });
    writeFileSync(path, '{"t":"hea');
    await expect(JournalWriter.reopen(path)).rejects.toThrow(/header is missing/);
    writeFileSync(path, `${JSON.stringify(header({ version: 2 }))}\n`);
    await expect(JournalWriter.reopen(path)).rejects.toBeInstanceOf(UsageError);
  });
});

describe('a writer killed with SIGKILL', () => {
  // A separate process appends the way JournalWriter does (fs.writeSync on an fd opened with 'a') until
  // it is killed; the reader must make sense of whatever it left, and a resume must carry on after it.
  const CHILD = `
    import { openSync, writeSync } from 'node:fs';
    const fd = openSync(process.argv[2], 'a');
    const steps = [{ mutation: 'orderCancel', variables: { reason: 'DECLINED', note: 'x'.repeat(3000) } }];
    for (let n = 1; ; n++) {
      writeSync(fd, JSON.stringify({ t: 'planned', order: 'gid://shopify/Order/' + n, name: '#' + n, steps }) + '\\n');
    }
  `;

  it('leaves a journal that reads back entry by entry and can be resumed', async () => {
    const dir = tempDir();
    const script = join(dir, 'writer.mjs');
    writeFileSync(script, CHILD);
    const journal = await JournalWriter.create(dir, header());
    journal.close();

    const child = spawn(process.execPath, [script, journal.path], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    while (statSync(journal.path).size < 2_000_000 && child.exitCode === null) await sleep(5);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    let count = 0;
    for await (const entry of readJournal(journal.path)) {
      if (entry.t === 'planned') expect(entry.order).toBe(order(++count));
    }
    expect(count).toBeGreaterThan(500);

    const resumed = await JournalWriter.reopen(journal.path);
    resumed.append(done(1));
    resumed.close();
    const entries = await entriesOf(journal.path);
    expect(entries).toHaveLength(count + 2);
    expect(entries.at(-1)).toEqual(done(1));
  });
});
