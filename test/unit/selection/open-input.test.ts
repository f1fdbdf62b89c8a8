import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { UsageError } from '../../../src/errors.js';
import { openCsvInput } from '../../../src/selection/open-input.js';
import { refsFromCsv, type SelectionEvent } from '../../../src/selection/sources.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bulkfill-open-input-'));
  writeFileSync(join(dir, 'orders.csv'), 'Id,Name\r\n5,#5\r\n');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function usageError(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a UsageError');
}

async function collect(events: AsyncIterable<SelectionEvent>): Promise<SelectionEvent[]> {
  const out: SelectionEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

describe('openCsvInput', () => {
  it('opens a file relative to cwd, labelled as written', async () => {
    const input = openCsvInput('orders.csv', { stdin: new PassThrough(), cwd: dir, isStdinTTY: true });
    expect(input.label).toBe('orders.csv');
    const events = await collect(refsFromCsv(input.stream, input.label));
    expect(events).toEqual([{ type: 'ref', item: { ref: { kind: 'id', gid: 'gid://shopify/Order/5' }, origin: 'orders.csv line 2' } }]);
  });

  it('opens an absolute path', async () => {
    const input = openCsvInput(join(dir, 'orders.csv'), { stdin: new PassThrough(), cwd: '/', isStdinTTY: false });
    expect(input.label).toBe(join(dir, 'orders.csv'));
    expect(await collect(refsFromCsv(input.stream, input.label))).toHaveLength(1);
  });

  it('opens the file only when read: a file gone by then is a UsageError, not a crash', async () => {
    const path = join(dir, 'vanishing.csv');
    writeFileSync(path, '5\n');
    const input = openCsvInput('vanishing.csv', { stdin: new PassThrough(), cwd: dir, isStdinTTY: false });
    rmSync(path);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(collect(refsFromCsv(input.stream, input.label))).rejects.toThrow(/^could not read vanishing\.csv: ENOENT/);
  });

  it('reads a large file in chunks and closes it when the reader stops early', async () => {
    writeFileSync(join(dir, 'big.csv'), `Id\n${Array.from({ length: 100_000 }, (_, i) => i + 1).join('\n')}\n`);
    const input = openCsvInput('big.csv', { stdin: new PassThrough(), cwd: dir, isStdinTTY: false });
    let count = 0;
    for await (const event of refsFromCsv(input.stream, input.label)) {
      expect(event.type).toBe('ref');
      if (++count === 10) break;
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect((input.stream as Readable).destroyed).toBe(true);
  });

  it('reads stdin for "-"', () => {
    const stdin = new PassThrough();
    expect(openCsvInput('-', { stdin, cwd: dir, isStdinTTY: false })).toEqual({ stream: stdin, label: 'stdin' });
  });

  it('refuses "-" when stdin is a terminal', () => {
    const error = usageError(() => openCsvInput('-', { stdin: new PassThrough(), cwd: dir, isStdinTTY: true }));
    expect(error.message).toBe('--csv - reads from stdin, but stdin is a terminal; pipe a file in');
    expect(error.exitCode).toBe(2);
  });

  it('names a missing file, a directory and an empty path', () => {
    const ctx = { stdin: new PassThrough(), cwd: dir, isStdinTTY: false };
    expect(usageError(() => openCsvInput('missing.csv', ctx)).message).toBe('--csv missing.csv: no such file');
    expect(usageError(() => openCsvInput('orders.csv/x', ctx)).message).toMatch(/^--csv orders\.csv\/x: no such file/);
    expect(usageError(() => openCsvInput('.', ctx)).message).toBe('--csv .: is a directory, not a CSV file');
    expect(usageError(() => openCsvInput('', ctx)).message).toBe('--csv needs a file path, or - to read stdin');
  });
});
