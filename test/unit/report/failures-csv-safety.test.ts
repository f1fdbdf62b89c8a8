// Issue 5 item 6: the failures CSV neutralises spreadsheet formulas in every cell and stays
// re-feedable with --csv (its reader takes exactly one neutralising quote off again).
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';

import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { neutralizeCell, printFailuresCsv, writeFailuresCsv } from '../../../src/report/failures-csv.js';
import type { ReportOrder } from '../../../src/journal/outcomes.js';
import { refsFromCsv, unneutralizeCell, type SelectionEvent } from '../../../src/selection/sources.js';
import { collect, gid } from './run-report.js';

const FORMULA_NAMES = ['=HYPERLINK("x")', '+1001', '-1001', '@SUM(1)', '\t1001', '\r1001', '=1+2\rnext'];
const RECORDS: ReportOrder[] = FORMULA_NAMES.map((name, i) => ({
  order: gid(i + 1),
  name,
  outcome: i % 2 === 0 ? 'failed' : 'unknown',
  reason: i === 0 ? '=cmd|calc' : 'user-error',
  message: i === 1 ? '-1 is not allowed\nsecond line' : `@message ${i}`,
}));

async function tempPath(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'bulkfill-csv-safety-')), 'failures.csv');
}

function refs(events: SelectionEvent[]): string[] {
  return events.map((e) =>
    e.type === 'ref' ? (e.item.ref.kind === 'id' ? e.item.ref.gid : `name:${e.item.ref.name}`) : `problem:${e.problem.message}`,
  );
}

describe('unneutralizeCell', () => {
  it('takes off exactly one quote, and only in front of a formula start', () => {
    const cases: [string, string][] = [
      ["'=1", '=1'],
      ["'+1001", '+1001'],
      ["'-1001", '-1001'],
      ["'@SUM(1)", '@SUM(1)'],
      ["'\t1001", '\t1001'],
      ["'\r1001", '\r1001'],
      ["'\n1001", '\n1001'], // a CR after TextGuard
      ["''=1", "'=1"], // one quote only (the writer doubled it: neutralizeCell("'=1") is "''=1")
      ["'1001", "'1001"], // a real value starting with a quote is left alone
      ["'#1001", "'#1001"],
      ["'", "'"],
      ['=1', '=1'],
      ['#1001', '#1001'],
      ['', ''],
    ];
    for (const [cell, expected] of cases) expect(unneutralizeCell(cell)).toBe(expected);
  });

  it('undoes neutralizeCell for any text', () => {
    for (const text of [...FORMULA_NAMES, "'=already quoted", "''+two quotes", "'plain", "''plain", 'plain', '', '=', "'", '\nlf']) {
      expect(unneutralizeCell(neutralizeCell(text))).toBe(text);
    }
  });
});

describe('neutralizeCell / unneutralizeCell (property)', () => {
  it('round-trip any text exactly, and never leave a formula start in front', () => {
    const lead = fc.array(fc.constantFrom("'", '=', '+', '-', '@', '\t', '\r', '\n', '#', 'a', '1'), { maxLength: 4 }).map((parts) => parts.join(''));
    const text = fc.tuple(lead, fc.string()).map(([start, rest]) => start + rest);
    fc.assert(
      fc.property(text, (value) => {
        const written = neutralizeCell(value);
        expect(written).not.toMatch(/^[=+\-@\t\r]/u);
        expect(unneutralizeCell(written)).toBe(value);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('failures CSV: formulas neutralised, still re-feedable', () => {
  it('neutralises every cell a spreadsheet would evaluate, and keeps one row per order', async () => {
    const path = await tempPath();
    expect(await writeFailuresCsv(path, RECORDS)).toBe(RECORDS.length);
    const text = await readFile(path, 'utf8');
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(RECORDS.length);
    for (const row of rows) {
      for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/u);
    }
    expect(rows.map((row) => row.name)).toEqual(FORMULA_NAMES.map((name) => `'${name}`));
    expect(rows[0]!.reason).toBe("'=cmd|calc");
    expect(rows[1]!.message).toBe("'-1 is not allowed second line");
    // A cell with a carriage return is quoted, so no reader can take the CR for the end of the row.
    expect(text).toContain(`"'\r1001"`);
    expect(text).toContain(`"'=1+2\rnext"`);
  });

  it('gives back the same ids through the --csv reader, and the same names cell by cell', async () => {
    const path = await tempPath();
    await writeFailuresCsv(path, RECORDS);

    const events = await collect(refsFromCsv(createReadStream(path), 'failures.csv'));
    expect(refs(events)).toEqual(RECORDS.map((r) => r.order));

    // The name column, as the reader sees it (unneutralised): the names that were written.
    const rows = parse(await readFile(path, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map((row) => unneutralizeCell(row.name!))).toEqual(FORMULA_NAMES);
    expect(rows.map((row) => unneutralizeCell(row.id!))).toEqual(RECORDS.map((r) => r.order));
  });

  it('`bulkfill runs failures` (printFailuresCsv) writes the same neutralised bytes', async () => {
    const path = await tempPath();
    await writeFailuresCsv(path, RECORDS);
    let printed = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        printed += chunk.toString();
        callback();
      },
    });
    await printFailuresCsv(sink, RECORDS);
    expect(printed).toBe(await readFile(path, 'utf8'));
  });

  it('reads neutralised names back in a name column: a leading tab is whitespace, the rest keep their form', async () => {
    // A failures CSV whose id cells were emptied (e.g. by hand), so the reader falls back to names.
    const csv = ['id,name', `,'\t1001`, `,#1002`, `,'-1003`, `,'+1004`, `,"'=HYPERLINK(""x"")"`, `,'@SUM(1)`, `,'1005`].join('\n');
    const events = await collect(refsFromCsv(Readable.from([csv]), 'failures.csv'));
    expect(refs(events)).toEqual([
      'name:1001',
      'name:#1002',
      // The order-name grammar has no names starting with - + = @ (on the command line either), so
      // these are reported — as not being orders, not for the neutralising quote.
      expect.stringMatching(/^problem:not an order/u),
      expect.stringMatching(/^problem:not an order/u),
      expect.stringMatching(/^problem:contains quote characters/u), // the quotes of HYPERLINK("x")
      expect.stringMatching(/^problem:not an order/u),
      // A real leading quote is not taken off.
      expect.stringMatching(/^problem:contains quote characters/u),
    ]);
    // What a problem shows is the cell as written, unneutralised.
    const problems = events.filter((e) => e.type === 'problem');
    expect(problems.map((e) => e.problem.raw)).toEqual(['-1003', '+1004', '=HYPERLINK("x")', '@SUM(1)', "'1005"]);
  });

  it('a hand-made CSV with a neutralised id column still selects the orders', async () => {
    const path = await tempPath();
    await writeFile(path, `id\n'+${gid(1)}\n${gid(2)}\n`);
    const events = await collect(refsFromCsv(createReadStream(path), 'ids.csv'));
    // '+gid… → +gid…: still not an id (the + is real text once the quote is off), reported as a problem.
    expect(refs(events)).toEqual([expect.stringMatching(/^problem:/u), gid(2)]);
  });
});
