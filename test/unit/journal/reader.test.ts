// The one journal reader, in both its modes, on the same damaged files: strict (resume) refuses damage
// but skips a torn last line; lenient (history) skips what it cannot read and reports it, but for the
// last line, which a kill may have torn.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { JournalCorruptError } from '../../../src/errors.js';
import type { JournalLine } from '../../../src/journal/format.js';
import { readJournal, type LenientOptions } from '../../../src/journal/reader.js';
import { header, order, useTempDirs } from './journal-fixtures.js';

const tempDir = useTempDirs();
const HEADER = JSON.stringify(header());
const PLANNED = JSON.stringify({ t: 'planned', order: order(1), name: '#1', steps: [] });

function fileWith(text: string): string {
  const path = join(tempDir(), 'run.jsonl');
  writeFileSync(path, text);
  return path;
}

async function strict(path: string): Promise<string[]> {
  const types: string[] = [];
  for await (const entry of readJournal(path, 'strict')) types.push(entry.t);
  return types;
}

async function lenient(path: string, options: Omit<LenientOptions, 'onDamaged'> = {}): Promise<{ lines: JournalLine[]; damaged: number[] }> {
  const lines: JournalLine[] = [];
  const damaged: number[] = [];
  for await (const line of readJournal(path, 'lenient', { ...options, onDamaged: (n) => damaged.push(n) })) lines.push(line);
  return { lines, damaged };
}

describe('readJournal', () => {
  it('skips a torn last line in both modes', async () => {
    const path = fileWith(`${HEADER}\n${PLANNED}\n{"t":"outc`);
    expect(await strict(path)).toEqual(['header', 'planned']);
    expect(await lenient(path)).toEqual({ lines: [header(), JSON.parse(PLANNED)], damaged: [] });
  });

  it('strict refuses a bad line in the middle; lenient skips it and reports its number', async () => {
    const path = fileWith(`${HEADER}\nnot json\n\n[1]\n${PLANNED}\n`);
    await expect(strict(path)).rejects.toMatchObject({ constructor: JournalCorruptError, line: 2, problem: 'not valid JSON' });
    expect(await lenient(path)).toEqual({ lines: [header(), JSON.parse(PLANNED)], damaged: [2, 4] });
  });

  it('strict refuses a bad last line that was terminated; lenient takes any bad last line for a torn write', async () => {
    const path = fileWith(`${HEADER}\nnot json\n`);
    await expect(strict(path)).rejects.toMatchObject({ line: 2 });
    expect((await lenient(path)).damaged).toEqual([]);
  });

  it('lenient yields JSON objects unchecked, which strict refuses', async () => {
    const path = fileWith(`${HEADER}\n{"t":"outcome","order":"x"}\n`);
    await expect(strict(path)).rejects.toMatchObject({ line: 2 });
    expect((await lenient(path)).lines).toEqual([header(), { t: 'outcome', order: 'x' }]);
  });

  it('lenient reads from a byte offset, skipping the line it cuts', async () => {
    const path = fileWith(`${HEADER}\n${PLANNED}\n`);
    expect((await lenient(path, { from: 5 })).lines).toEqual([JSON.parse(PLANNED)]);
    expect((await lenient(path, { from: HEADER.length + 3 })).lines).toEqual([]);
  });
});
