// The failures CSV: the failed and unknown orders of a run, one per row, in a file that
// `bulkfill <action> --csv <file>` takes back (its reader picks the `id` column, which holds GIDs).
//
// Cells are opened by spreadsheets, so text that a spreadsheet would run as a formula (a cell starting
// with = + - @, a tab or a carriage return) is neutralised with a leading single quote (OWASP's advice
// on CSV injection), in every column. The file stays re-feedable: the --csv reader takes exactly one
// such quote off again (`unneutralizeCell` in selection/sources.ts), and the `id` column holds GIDs,
// which never start with one of those characters anyway. A cell holding a carriage return is quoted,
// so it can never end a row early (csv-stringify only quotes the record delimiter, LF, by itself).
// The file is written to a temporary name beside the target and renamed into place, so a reader never
// sees half a file and an earlier file survives a failed write. `bulkfill runs failures` prints the
// same CSV to stdout.

import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { stringify } from 'csv-stringify';

import { isFailure, type ReportOrder } from '../journal/outcomes.js';

export const FAILURES_CSV_COLUMNS = ['id', 'name', 'outcome', 'reason', 'message'] as const;

// = + - @ tab CR are what spreadsheets evaluate (OWASP). LF too, because the --csv reader sees a CR as
// LF (it normalises line endings). Cells that already start with quotes before one of those get one
// more, so that the reader, which takes exactly one off, gives back every cell exactly as it was.
const FORMULA_START = /^'*[=+\-@\t\r\n]/u;

/** A cell a spreadsheet shows as text: a leading quote before anything it would evaluate. */
export function neutralizeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Where a run's failures CSV goes when `--failures` does not say: beside its journal. */
export function defaultFailuresCsvPath(journalPath: string): string {
  return journalPath.replace(/\.jsonl$/, '.failures.csv');
}

/** Writes the failed and unknown orders to `path` (atomically); resolves with how many rows were written. */
export async function writeFailuresCsv(path: string, outcomes: AsyncIterable<ReportOrder> | Iterable<ReportOrder>): Promise<number> {
  const rows = failureRows(outcomes);
  const temporary = join(dirname(path), `.${basename(path)}.${randomUUID()}.tmp`);
  try {
    await pipeline(Readable.from(rows), csvStringifier(), createWriteStream(temporary, { flags: 'wx' }));
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw error;
  }
  return rows.count;
}

/**
 * Writes the same CSV to a stream that stays open (stdout), waiting for 'drain' when it asks;
 * resolves with how many rows were written, once the stream has taken the last chunk.
 */
export async function printFailuresCsv(stream: NodeJS.WritableStream, outcomes: AsyncIterable<ReportOrder> | Iterable<ReportOrder>): Promise<number> {
  const rows = failureRows(outcomes);
  await pipeline(Readable.from(rows), csvStringifier(), async (csv: AsyncIterable<Buffer | string>) => {
    for await (const chunk of csv) {
      if (!stream.write(chunk)) await once(stream, 'drain');
    }
    await new Promise<void>((resolve, reject) => stream.write('', (error?: Error | null) => (error ? reject(error) : resolve())));
  });
  return rows.count;
}

/** The CSV rows of the failed and unknown orders; `count` is how many have been produced so far. */
function failureRows(outcomes: AsyncIterable<ReportOrder> | Iterable<ReportOrder>): AsyncIterable<string[]> & { count: number } {
  const result = {
    count: 0,
    async *[Symbol.asyncIterator](): AsyncGenerator<string[]> {
      for await (const record of outcomes) {
        if (!isFailure(record.outcome)) continue;
        result.count++;
        yield [
          neutralizeCell(record.order),
          neutralizeCell(record.name ?? ''),
          neutralizeCell(record.outcome),
          neutralizeCell(record.reason ?? ''),
          neutralizeCell(oneLine(record.message ?? '')),
        ];
      }
    },
  };
  return result;
}

function csvStringifier() {
  return stringify({ header: true, columns: [...FAILURES_CSV_COLUMNS], record_delimiter: 'unix', quoted_match: /\r/u });
}

// Shopify messages may span lines; a row per order reads better in a spreadsheet and in `grep`.
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/gu, ' ');
}
