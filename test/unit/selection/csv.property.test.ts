// Properties of the CSV source over generated files. A model builds each file together with what
// reading it must give: for every row, its physical line and either its order or a problem. Around it,
// BOMs, CRLF / CR / LF line endings, quoting, embedded line breaks, ragged rows, blank lines, any
// chunking, and random bytes: the reader never throws for bad content, numbers lines exactly, and a
// bad row never costs a good one.

import { Readable } from 'node:stream';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { UsageError } from '../../../src/errors.js';
import { parseOrderRef } from '../../../src/selection/order-ref.js';
import { ID_HEADERS, NAME_HEADERS, refsFromCsv, type SelectionEvent } from '../../../src/selection/sources.js';
import { strictSelection } from '../../../src/selection/strict.js';
import { anyRefText, legacyId, orderGidText, orderName } from './arbitraries.js';

/** Case counts per property; the report in the PR quotes them. */
export const RUNS = { model: 300, strict: 100, chunking: 200, bytes: 400, fragments: 400 } as const;

const KNOWN_HEADERS = new Set([...ID_HEADERS, ...NAME_HEADERS]);
const isHeaderWord = (cell: string) =>
  KNOWN_HEADERS.has(
    cell
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/gu, '_'),
  );

async function collect(events: AsyncIterable<SelectionEvent>): Promise<SelectionEvent[]> {
  const out: SelectionEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

function chunked(bytes: Buffer, cuts: number[]): Readable {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const point of points) {
    if (point > from) chunks.push(bytes.subarray(from, point));
    from = Math.max(from, point);
  }
  if (from < bytes.length) chunks.push(bytes.subarray(from));
  return Readable.from(chunks);
}

const show = (event: SelectionEvent): string =>
  event.type === 'ref'
    ? `${event.item.origin} ${event.item.ref.kind === 'id' ? event.item.ref.gid : `name:${event.item.ref.name}`}`
    : `${event.problem.origin} ! ${event.problem.message}`;

// ---------------------------------------------------------------------------------------------------
// The model

interface Layout {
  header: string[] | null;
  /** The column orders are read from, and how a bare number reads there. */
  primary: number;
  bareNumber: 'id' | 'name';
  width: number;
}

const LAYOUTS: Layout[] = [
  { header: null, primary: 0, bareNumber: 'id', width: 1 },
  { header: null, primary: 0, bareNumber: 'id', width: 2 },
  { header: ['id', 'note'], primary: 0, bareNumber: 'id', width: 2 },
  { header: [' Order ID ', 'Note'], primary: 0, bareNumber: 'id', width: 2 },
  { header: ['Note', 'Name'], primary: 1, bareNumber: 'name', width: 2 },
  { header: ['GID'], primary: 0, bareNumber: 'id', width: 1 },
];

/** Cell text that is not an order: notes, with everything CSV must quote. */
const note = fc
  .array(fc.constantFrom('a', 'B', ' ', ',', '"', '""', '\n', '\r\n', '\r', 'é', '🙂', '\t', 'x', '1', '#'), { maxLength: 12 })
  .map((parts) => parts.join(''));

/** What goes in the order column: valid orders, bad tokens, nothing. */
const orderCell = fc.oneof(
  { weight: 4, arbitrary: fc.oneof(legacyId, orderGidText, orderName) },
  { weight: 2, arbitrary: anyRefText },
  { weight: 1, arbitrary: fc.constantFrom('', '   ', '\t') },
  { weight: 1, arbitrary: note },
);

type Row = { kind: 'blank'; spaces: string } | { kind: 'cells'; cells: string[]; quote: boolean[] };

const rowFor = (layout: Layout) =>
  fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom('', '', ' ', '\t').map((spaces): Row => ({ kind: 'blank', spaces })) },
    {
      weight: 8,
      arbitrary: fc
        .tuple(
          orderCell,
          fc.array(note, { minLength: layout.width - 1, maxLength: layout.width - 1 }),
          // Ragged: missing cells, or extra ones.
          fc.integer({ min: -1, max: 2 }),
          fc.array(note, { maxLength: 2 }),
          fc.array(fc.boolean(), { minLength: layout.width + 2, maxLength: layout.width + 2 }),
        )
        .map(([order, others, ragged, extra, quote]): Row => {
          const cells = [...others];
          cells.splice(layout.primary, 0, order);
          if (ragged < 0) cells.splice(cells.length - 1, 1);
          else cells.push(...extra.slice(0, ragged));
          // A NUL byte makes the file binary: a property of its own below.
          const text = (cells.length ? cells : ['']).map((cell) => cell.replaceAll('\u0000', '\u0001'));
          return { kind: 'cells', cells: text, quote };
        }),
    },
  );

/** A cell as CSV: quoted when it must be (or by choice), quotes doubled. */
function encodeCell(cell: string, quote: boolean): string {
  const must = /[",\r\n]/.test(cell) || cell !== cell.trim() || /^[\s\uFEFF]/u.test(cell);
  return must || quote ? `"${cell.replaceAll('"', '""')}"` : cell;
}

interface Expected {
  line: number;
  /** A ref as `show()` prints it, or the start of the problem's message. */
  ref?: string;
  problem?: string;
}

interface GeneratedCsv {
  bytes: Buffer;
  expected: Expected[];
  text: string;
  /** For reading a counterexample. */
  rows: Row[];
}

const generatedCsv = fc
  .tuple(
    fc.constantFrom(...LAYOUTS),
    fc.boolean(),
    fc.constantFrom('\n', '\r\n', '\r', 'mixed'),
    fc.boolean(),
    fc.infiniteStream(fc.constantFrom('\n', '\r\n', '\r')),
  )
  .chain(([layout, bom, eol, trailing, eols]) =>
    fc.array(rowFor(layout), { maxLength: 25 }).map((rows): GeneratedCsv => build(layout, rows, bom, eol, trailing, eols)),
  );

function build(layout: Layout, rows: Row[], bom: boolean, eol: string, trailing: boolean, eols: fc.Stream<string>): GeneratedCsv {
  const lines: string[] = [];
  if (layout.header) lines.push(layout.header.join(','));
  const expected: Expected[] = [];
  let line = lines.length + 1;
  let firstRecord = layout.header === null;
  for (const row of rows) {
    if (row.kind === 'blank') {
      lines.push(row.spaces);
      line++;
      continue;
    }
    // A headerless first row holding a header word would be taken as the header: keep it out.
    const cells = firstRecord && row.cells.some(isHeaderWord) ? row.cells.map(() => '7') : row.cells;
    firstRecord = false;
    const text = cells.map((cell, i) => encodeCell(cell, row.quote[i] ?? false)).join(',');
    lines.push(text);
    // What the reader sees: UTF-8 (a lone surrogate became U+FFFD), line endings inside cells as LF.
    const seen = cells.map((cell) => Buffer.from(cell, 'utf8').toString('utf8').replace(/\r\n?/g, '\n'));
    const order = (seen[layout.primary] ?? '').trim();
    if (seen.every((cell) => cell.trim() === '')) {
      // Skipped silently.
    } else if (order === '') {
      expected.push({ line, problem: layout.header ? 'no order in the ' : 'the first column is empty' });
    } else {
      const parsed = parseOrderRef(order, { bareNumber: layout.bareNumber });
      expected.push('error' in parsed ? { line, problem: parsed.error } : { line, ref: parsed.kind === 'id' ? parsed.gid : `name:${parsed.name}` });
    }
    line += 1 + (text.match(/\r\n|\r|\n/g)?.length ?? 0);
  }
  let body = '';
  for (const [i, text] of lines.entries()) {
    body += text;
    if (i < lines.length - 1 || trailing) {
      let ending = eol === 'mixed' ? (eols.next().value as string) : eol;
      // A lone CR, an empty line, then LF would read as one CRLF: make the second ending a CRLF.
      if (text === '' && ending === '\n' && body.endsWith('\r')) ending = '\r\n';
      body += ending;
    }
  }
  const text = `${bom ? '\uFEFF' : ''}${body}`;
  return { text, bytes: Buffer.from(text, 'utf8'), expected, rows };
}

function check(events: SelectionEvent[], expected: Expected[]): void {
  const got = events.map((event) =>
    event.type === 'ref'
      ? { origin: event.item.origin, ref: event.item.ref.kind === 'id' ? event.item.ref.gid : `name:${event.item.ref.name}` }
      : { origin: event.problem.origin, message: event.problem.message },
  );
  expect(got.map((g) => g.origin)).toEqual(expected.map((e) => `f.csv line ${e.line}`));
  for (const [i, want] of expected.entries()) {
    const have = got[i]!;
    if (want.ref !== undefined) expect(have).toEqual({ origin: `f.csv line ${want.line}`, ref: want.ref });
    else expect(have.message?.startsWith(want.problem!), `${have.origin}: ${have.message}`).toBe(true);
  }
}

describe('refsFromCsv: model-based properties', () => {
  it('gives every row its order or its problem, at its exact line, whatever the line endings, quoting, BOM or raggedness', async () => {
    await fc.assert(
      fc.asyncProperty(generatedCsv, async ({ bytes, expected }) => {
        check(await collect(refsFromCsv(Readable.from([bytes]), 'f.csv')), expected);
      }),
      { numRuns: RUNS.model },
    );
  });

  it('gives the same events however the bytes are chunked (CR/LF, BOM and UTF-8 split anywhere)', async () => {
    await fc.assert(
      fc.asyncProperty(generatedCsv, fc.array(fc.nat(), { maxLength: 12 }), async ({ bytes, expected }, cuts) => {
        check(await collect(refsFromCsv(chunked(bytes, cuts), 'f.csv')), expected);
      }),
      { numRuns: RUNS.chunking },
    );
  });

  it('--strict: the same refs when every row is good; one UsageError naming the first bad line otherwise', async () => {
    await fc.assert(
      fc.asyncProperty(generatedCsv, async ({ bytes, expected }) => {
        const run = collect(strictSelection(refsFromCsv(Readable.from([bytes]), 'f.csv'), true));
        const firstBad = expected.find((e) => e.problem !== undefined);
        if (!firstBad) {
          check(await run, expected);
          return;
        }
        const error = await run.then(
          () => expect.unreachable('--strict let a bad row through'),
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(UsageError);
        expect((error as UsageError).message).toContain(`f.csv line ${firstBad.line}`);
        expect((error as UsageError).message).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F]/);
      }),
      { numRuns: RUNS.strict },
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// No model: anything at all

const ORIGIN = /^f\.csv(?: line ([1-9][0-9]*))?$/;

/** Reads anything; fails on any throw; checks every event is well-formed and lines only go forward. */
async function readAnything(bytes: Buffer, cuts: number[] = []): Promise<SelectionEvent[]> {
  const events = await collect(refsFromCsv(chunked(bytes, cuts), 'f.csv'));
  const physicalLines = (bytes.toString('latin1').match(/\r\n|\r|\n/g)?.length ?? 0) + 1;
  let last = 0;
  for (const event of events) {
    const origin = event.type === 'ref' ? event.item.origin : event.problem.origin;
    const match = ORIGIN.exec(origin);
    expect(match, origin).not.toBeNull();
    if (match?.[1] === undefined) continue;
    const line = Number(match[1]);
    expect(line).toBeGreaterThanOrEqual(last);
    expect(line).toBeLessThanOrEqual(physicalLines);
    last = line;
    if (event.type === 'problem') expect(event.problem.message.length).toBeGreaterThan(0);
  }
  return events;
}

const FRAGMENTS = [
  '1001',
  '#1002',
  'gid://shopify/Order/3',
  'abc',
  'Id',
  'name',
  ',',
  ',',
  '"',
  '"',
  '""',
  '\n',
  '\r',
  '\r\n',
  ' ',
  '\t',
  '\uFEFF',
  'é',
  '🙂',
  '\u0000',
  '\u001b[2J',
  '\\',
  "'",
  '=cmd|',
  '18446744073709551616',
  '0',
].map((text) => Buffer.from(text, 'utf8'));

describe('refsFromCsv: never throws on any input', () => {
  it('random bytes (binary, invalid UTF-8, NULs, UTF-16 marks)', async () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 3000 }),
      fc
        .tuple(fc.constantFrom([0xff, 0xfe], [0xfe, 0xff], [0xef, 0xbb, 0xbf], []), fc.uint8Array({ maxLength: 500 }))
        .map(([head, rest]) => Uint8Array.from([...head, ...rest])),
    );
    await fc.assert(
      fc.asyncProperty(bytes, fc.array(fc.nat(), { maxLength: 6 }), async (data, cuts) => {
        await readAnything(Buffer.from(data), cuts);
      }),
      { numRuns: RUNS.bytes },
    );
  });

  it('CSV-like noise built from fragments (quotes, separators, line endings, BOM, NUL)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 6 }), async (parts, cuts) => {
        const bytes = Buffer.concat(parts);
        const events = await readAnything(bytes, cuts);
        // The same bytes in one chunk give the same events.
        expect(events.map(show)).toEqual((await readAnything(bytes)).map(show));
      }),
      { numRuns: RUNS.fragments },
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// Sizes

/** A stream of `total` bytes made by `make`, counting what was pulled. */
function generated(total: number, make: (offset: number, size: number) => string): { stream: Readable; pulled: () => number } {
  let offset = 0;
  const stream = new Readable({
    read() {
      if (offset >= total) return void this.push(null);
      const size = Math.min(64 * 1024, total - offset);
      this.push(make(offset, size));
      offset += size;
    },
  });
  return { stream, pulled: () => offset };
}

describe('refsFromCsv: sizes', () => {
  it.each([
    ['a 10 MB line of digits', (at: number, size: number) => (at === 0 ? `1001,${'9'.repeat(size - 5)}` : '9'.repeat(size))],
    ['a 10 MB unquoted cell', (at: number, size: number) => (at === 0 ? `1001,${'x'.repeat(size - 5)}` : 'x'.repeat(size))],
    ['a 10 MB quoted cell', (at: number, size: number) => (at === 0 ? `1001,"${'x'.repeat(size - 6)}` : 'x'.repeat(size))],
  ])('%s after good rows: the good rows, then one clear problem; reading stops early', async (_, make) => {
    const head = 'id,note\n5,a\n6,b\n';
    const body = generated(10 * 1024 * 1024, make);
    const stream = Readable.from(
      (async function* () {
        yield head;
        yield* body.stream;
      })(),
    );
    const before = process.memoryUsage().heapUsed;
    const events = (await collect(refsFromCsv(stream, 'f.csv'))).map(show);
    expect(events).toEqual([
      'f.csv line 2 gid://shopify/Order/5',
      'f.csv line 3 gid://shopify/Order/6',
      'f.csv line 4 ! a row longer than 1 MB, most likely an unclosed quote; stopped reading f.csv here; rows from line 4 on were not read',
    ]);
    // Bounded: the reader gives up after about one MAX_CSV_RECORD_SIZE, not the whole 10 MB.
    expect(body.pulled()).toBeLessThan(3 * 1024 * 1024);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('a 10 MB file that is one line with no line break at all gives one problem', async () => {
    const body = generated(10 * 1024 * 1024, (_, size) => '1'.repeat(size));
    expect((await collect(refsFromCsv(body.stream, 'f.csv'))).map(show)).toEqual([expect.stringMatching(/^f\.csv line 1 ! a row longer than 1 MB/)]);
    expect(body.pulled()).toBeLessThan(3 * 1024 * 1024);
  });

  it('100,000 rows with a bad row every 1,000 stream through: every good row kept, every bad one at its line', async () => {
    const total = 100_000;
    const source = Readable.from(
      (function* () {
        yield '\uFEFFId,Note\r\n';
        for (let start = 1; start <= total; start += 1000) {
          let chunk = '';
          for (let row = start; row < start + 1000; row++) chunk += row % 1000 === 0 ? `${row}!,"bad\r\nrow"\r\n` : `${row},ok\r\n`;
          yield chunk;
        }
      })(),
    );
    let refs = 0;
    const problems: string[] = [];
    const started = performance.now();
    for await (const event of refsFromCsv(source, 'f.csv')) {
      if (event.type === 'ref') refs++;
      else problems.push(event.problem.origin);
    }
    expect(refs).toBe(total - 100);
    expect(problems).toHaveLength(100);
    // Row r is on line r + 1 + (the bad rows before it, each two lines long).
    expect(problems[0]).toBe(`f.csv line ${1000 + 1 + 0}`);
    expect(problems[1]).toBe(`f.csv line ${2000 + 1 + 1}`);
    expect(problems[99]).toBe(`f.csv line ${100_000 + 1 + 99}`);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
