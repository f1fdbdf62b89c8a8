// The failures CSV: the failed and unknown orders of a run, one per row, in a file that
// `bulkfill <action> --csv <file>` takes back (its reader picks the `id` column, which holds GIDs).
//
// Cells are opened by spreadsheets, so text that a spreadsheet would run as a formula (a cell starting
// with = + - @, a tab or a carriage return) is neutralised with a leading single quote — in every
// column but `id`: a GID never starts with one of those, and the id must stay exactly re-feedable.
// The file is written to a temporary name beside the target and renamed into place, so a reader never
// sees half a file and an earlier file survives a failed write.

import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { stringify } from 'csv-stringify';

import { isFailure, type ReportOrder } from './journal-outcomes.js';

export const FAILURES_CSV_COLUMNS = ['id', 'name', 'outcome', 'reason', 'message'] as const;

const FORMULA_START = /^[=+\-@\t\r]/u;

/** A cell a spreadsheet shows as text: a leading quote before anything it would evaluate. */
export function neutralizeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Writes the failed and unknown orders to `path` (atomically); resolves with how many rows were written. */
export async function writeFailuresCsv(path: string, outcomes: AsyncIterable<ReportOrder> | Iterable<ReportOrder>): Promise<number> {
  let count = 0;
  async function* rows(): AsyncGenerator<string[]> {
    for await (const record of outcomes) {
      if (!isFailure(record.outcome)) continue;
      count++;
      yield [
        record.order,
        neutralizeCell(record.name ?? ''),
        neutralizeCell(record.outcome),
        neutralizeCell(record.reason ?? ''),
        neutralizeCell(oneLine(record.message ?? '')),
      ];
    }
  }

  const temporary = join(dirname(path), `.${basename(path)}.${randomUUID()}.tmp`);
  try {
    await pipeline(
      Readable.from(rows()),
      stringify({ header: true, columns: [...FAILURES_CSV_COLUMNS], record_delimiter: 'unix' }),
      createWriteStream(temporary, { flags: 'wx' }),
    );
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw error;
  }
  return count;
}

// Shopify messages may span lines; a row per order reads better in a spreadsheet and in `grep`.
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/gu, ' ');
}
