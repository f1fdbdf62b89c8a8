// Where selected orders come from (docs/shopify-behaviour.md#choosing-orders): command-line arguments, --ids and
// --csv. Every source is an async iterable of events, pulled one at a time, so a 100,000-row CSV is
// never held in memory and a slow consumer slows the file read (backpressure).
//
// A source never throws for bad input it can describe: a bad argument or row becomes a `problem` event
// naming where it came from and the other rows go on. A CSV syntax error or a file that is not text
// ends that source after its problem. Only a failure to read the input at all (an I/O error) throws,
// as a UsageError. A new source of order references (an entry in registry.ts) yields the same events,
// with its own origin.

import { pipeline } from 'node:stream';

import { CsvError, parse } from 'csv-parse';

import { UsageError } from '../errors.js';
import { nameKey, parseOrderRef, refKey, type OrderRef, type ParseOrderRefOptions } from './order-ref.js';
import { TextGuard } from './text-guard.js';

export interface SelectionItem {
  ref: OrderRef;
  /** Where the ref came from, for messages: "argument 2", "--ids item 3", "orders.csv line 14". */
  origin: string;
}

export interface SelectionProblem {
  origin: string;
  /** What is wrong; it never repeats `raw` (see `printable()` in order-ref.ts to show it). */
  message: string;
  /** The offending text as read (at most MAX_RAW_LENGTH characters); may hold control characters. */
  raw: string;
}

export type SelectionEvent = { type: 'ref'; item: SelectionItem } | { type: 'problem'; problem: SelectionProblem };

/** Problems keep at most this much of the offending text. */
export const MAX_RAW_LENGTH = 200;
/** A CSV record longer than this (in characters) stops the file: almost always an unclosed quote. */
export const MAX_CSV_RECORD_SIZE = 1024 * 1024;

/** Header names (trimmed, lower-cased, spaces and hyphens as `_`), in order of preference. */
export const ID_HEADERS: readonly string[] = ['id', 'order_id', 'gid'];
export const NAME_HEADERS: readonly string[] = ['name', 'order', 'order_name'];
const KNOWN_HEADERS = [...ID_HEADERS, ...NAME_HEADERS].join('/');

// ---------------------------------------------------------------------------------------------------
// Arguments and --ids

/**
 * `args`: positional arguments, one order each ("argument N", counted from 1). `idsFlag`: the values
 * of every --ids flag; each is split on commas and whitespace, empty items are ignored ("6,7," is
 * fine), but a value with no item at all (`--ids ""`, often an unset shell variable) is a problem.
 * Items are numbered across all --ids values ("--ids item N").
 */
export async function* refsFromArguments(args: readonly string[], idsFlag: readonly string[]): AsyncGenerator<SelectionEvent> {
  yield* argumentEvents(args, idsFlag);
}

/** refsFromArguments, synchronously: the command line can be checked before anything else starts. */
export function* argumentEvents(args: readonly string[], idsFlag: readonly string[]): Generator<SelectionEvent> {
  for (const [index, raw] of args.entries()) {
    yield eventFor(raw, `argument ${index + 1}`);
  }
  let item = 0;
  for (const value of idsFlag) {
    const tokens = value.split(/[\s,]+/u).filter((token) => token !== '');
    if (tokens.length === 0) {
      yield problem('--ids', 'empty value; expected order ids separated by commas, e.g. --ids 1001,1002', value);
      continue;
    }
    for (const token of tokens) yield eventFor(token, `--ids item ${++item}`);
  }
}

function eventFor(raw: string, origin: string, options?: ParseOrderRefOptions): SelectionEvent {
  const parsed = parseOrderRef(raw, options);
  return 'error' in parsed ? problem(origin, parsed.error, raw) : { type: 'ref', item: { ref: parsed, origin } };
}

function problem(origin: string, message: string, raw: string): SelectionEvent {
  const kept = raw.length > MAX_RAW_LENGTH ? raw.slice(0, MAX_RAW_LENGTH) : raw;
  return { type: 'problem', problem: { origin, message, raw: kept } };
}

// ---------------------------------------------------------------------------------------------------
// CSV

interface Column {
  index: number;
  header: string;
  bareNumber: NonNullable<ParseOrderRefOptions['bareNumber']>;
}

interface Layout {
  /** The id column when there is one, else the name column; the first cell when headerless. */
  primary: Column;
  /** The name column when `primary` is the id column: used on rows whose id cell is empty. */
  fallback: Column | undefined;
  hasHeader: boolean;
}

const HEADERLESS: Layout = { primary: { index: 0, header: '', bareNumber: 'id' }, fallback: undefined, hasHeader: false };

/**
 * A cell as it was before the failures CSV neutralised it for spreadsheets (report/failures-csv.ts
 * `neutralizeCell`): one leading `'` is taken off when what follows starts with = + - @, a tab, a
 * carriage return or a line feed (what a CR becomes here: TextGuard), possibly after more quotes
 * (`''=1` was written for a cell `'=1`). Any other cell, such as a real value starting with `'`
 * followed by anything else, is left as it is.
 */
export function unneutralizeCell(cell: string): string {
  return /^'+[=+\-@\t\r\n]/u.test(cell) ? cell.slice(1) : cell;
}

function normaliseHeader(cell: string): string {
  return cell
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/gu, '_');
}

/** The layout a header row announces, or undefined when the first row is not a header. */
export function detectCsvHeader(cells: readonly string[]): Layout | undefined {
  const names = cells.map(normaliseHeader);
  const find = (wanted: readonly string[]): number => {
    // By preference order first, then left-most: `id` beats `gid` wherever they stand.
    for (const header of wanted) {
      const index = names.indexOf(header);
      if (index !== -1) return index;
    }
    return -1;
  };
  const idIndex = find(ID_HEADERS);
  const nameIndex = find(NAME_HEADERS);
  const column = (index: number, bareNumber: Column['bareNumber']): Column => ({
    index,
    header: (cells[index] ?? '').trim(),
    bareNumber,
  });
  if (idIndex !== -1) {
    return {
      primary: column(idIndex, 'id'),
      fallback: nameIndex === -1 ? undefined : column(nameIndex, 'name'),
      hasHeader: true,
    };
  }
  if (nameIndex !== -1) return { primary: column(nameIndex, 'name'), fallback: undefined, hasHeader: true };
  return undefined;
}

interface ParsedRecord {
  record: string[];
  raw: string;
}

function isParsedRecord(value: unknown): value is ParsedRecord {
  if (typeof value !== 'object' || value === null) return false;
  const { record, raw } = value as Partial<ParsedRecord>;
  return Array.isArray(record) && typeof raw === 'string';
}

/**
 * Line numbers come from the raw text of each record (line endings are LF by then: TextGuard), not
 * from csv-parse's `info`, which costs a copy of its state per record and miscounts CRLF.
 */
function countNewlines(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

/**
 * How many whitespace-only lines `raw` starts with: csv-parse puts the empty lines it skipped in front
 * of the next record's raw text.
 */
function leadingBlankLines(raw: string): number {
  // Fast path: a one-line record (its only newline ends it) has no blank line in front.
  const firstNewline = raw.indexOf('\n');
  if (firstNewline === -1 || firstNewline === raw.length - 1) return 0;
  let count = 0;
  let from = 0;
  for (;;) {
    const end = raw.indexOf('\n', from);
    if (end === -1 || raw.slice(from, end).trim() !== '') return count;
    count++;
    from = end + 1;
  }
}

function firstContentLine(raw: string): string {
  const lines = raw.split('\n');
  return lines.find((line) => line.trim() !== '')?.trim() ?? '';
}

/**
 * Orders listed in a CSV. The first record is a header when one of its cells is a known column name
 * (ID_HEADERS / NAME_HEADERS, any case; "Order ID" counts as order_id). With a header, the id column
 * is read when there is one, else the name column; in a name column a bare number is a name ("1001"),
 * elsewhere it is an order id. When both exist (Shopify's orders export: `Id` and `Name`, one row per
 * line item), a row whose id cell is empty falls back to its name, unless that name was already seen
 * on a row with an id (the export's follow-on line-item rows). Headerless: the first cell of each row.
 *
 * Line numbers are physical lines (1-based) where the row starts. Rows whose cells are all empty are
 * skipped silently; a row with content but no order in the column read is a problem.
 */
export async function* refsFromCsv(input: NodeJS.ReadableStream, label: string): AsyncGenerator<SelectionEvent> {
  const guard = new TextGuard();
  /**
   * The first CSV syntax error, and how many records the parser had handed out before it: the source
   * ends after those. csv-parse does not resynchronise reliably after a quote error, so anything it
   * parses later is dropped.
   */
  let syntaxError: { error: CsvError; raw: string; recordsBefore: number } | undefined;
  const parser = parse({
    bom: true,
    relax_column_count: true,
    // A stray quote inside an unquoted cell stays a literal character; the cell then fails as an
    // order ref and only that row is reported.
    relax_quotes: true,
    raw: true,
    max_record_size: MAX_CSV_RECORD_SIZE,
    skip_empty_lines: true,
    trim: true,
    // Syntax errors are not thrown: that would destroy the parser and lose the records it has parsed
    // but not yet handed out. The first one stops the input instead.
    skip_records_with_error: true,
    on_skip: (error, raw) => {
      if (error && !syntaxError && !guard.notText) {
        syntaxError = { error, raw: raw ?? '', recordsBefore: parser.info.records };
        guard.stop();
      }
      return undefined;
    },
  });
  // pipeline forwards an input error to the parser (plain .pipe() would not); destroying any stream
  // in it (leaving the loop early, or the finally below) closes the input.
  pipeline(input, guard, parser, () => {
    // Errors surface through the parser's iterator below.
  });

  let layout: Layout | undefined;
  let lastLine = 0;
  let records = 0;
  /** Name keys of rows that had an id cell: their follow-on rows without an id are not new orders. */
  const namesWithId = new Set<string>();
  const at = (line: number): string => `${label} line ${line}`;

  try {
    for await (const parsed of parser as AsyncIterable<unknown>) {
      if (syntaxError && records >= syntaxError.recordsBefore) break;
      records++;
      if (!isParsedRecord(parsed)) throw new Error('csv-parse returned an unexpected record shape');
      const { raw } = parsed;
      const line = lastLine + 1 + leadingBlankLines(raw);
      lastLine += countNewlines(raw) + (raw.endsWith('\n') ? 0 : 1);
      const cells = parsed.record;

      let firstRowWithoutHeader = false;
      if (layout === undefined) {
        layout = detectCsvHeader(cells);
        if (layout) continue;
        layout = HEADERLESS;
        firstRowWithoutHeader = true;
      }

      if (cells.every((cell) => cell.trim() === '')) continue;
      const primary = unneutralizeCell((cells[layout.primary.index] ?? '').trim());
      const fallback = layout.fallback ? unneutralizeCell((cells[layout.fallback.index] ?? '').trim()) : '';
      if (primary !== '') {
        if (fallback !== '') namesWithId.add(nameKey(fallback));
        const event = cellEvent(primary, layout.primary, at(line));
        if (event.type === 'problem' && firstRowWithoutHeader) {
          event.problem.message += `; no ${KNOWN_HEADERS} column header was found, so the first column is read`;
        }
        yield event;
      } else if (layout.fallback && fallback !== '') {
        if (namesWithId.has(nameKey(fallback))) continue;
        yield cellEvent(fallback, layout.fallback, at(line));
      } else {
        const columns = [layout.primary, layout.fallback].filter((column) => column !== undefined);
        const message = layout.hasHeader
          ? `no order in the ${columns.map((column) => `"${column.header}"`).join(' or ')} column`
          : 'the first column is empty';
        yield problem(at(line), message, firstContentLine(raw));
      }
    }
  } catch (error) {
    if (error instanceof Error && error.name === 'AbortError') throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`could not read ${label}: ${reason}`, undefined, { cause: error });
  } finally {
    // After a stop the source is paused, not finished: this closes it.
    guard.destroy();
  }

  const { notText } = guard;
  if (notText?.line !== undefined) {
    const { line } = notText;
    const message = `a NUL byte: not a text CSV file; stopped reading ${label} here; rows from line ${line} on were not read`;
    yield problem(`${label} line ${line}`, message, '');
  } else if (notText) {
    yield problem(label, notText.message, '');
  } else if (syntaxError) {
    yield syntaxProblem(syntaxError.error, syntaxError.raw, label, lastLine);
  }
}

function cellEvent(cell: string, column: Column, origin: string): SelectionEvent {
  return eventFor(cell, origin, { bareNumber: column.bareNumber });
}

function syntaxProblem(error: CsvError, raw: string, label: string, lastLine: number): SelectionEvent {
  const line = lastLine + 1 + leadingBlankLines(raw);
  const rest = `stopped reading ${label} here; rows from line ${line} on were not read`;
  let message: string;
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      message = `a quote opened here is never closed; ${rest}`;
      break;
    case 'CSV_MAX_RECORD_SIZE':
      message = `a row longer than ${MAX_CSV_RECORD_SIZE / 1024 / 1024} MB, most likely an unclosed quote; ${rest}`;
      break;
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      message = `text after a closing quote (write "" for a quote inside a quoted cell); ${rest}`;
      break;
    default:
      message = `invalid CSV (${error.code}); ${rest}`;
  }
  return problem(`${label} line ${line}`, message, firstContentLine(raw));
}

// ---------------------------------------------------------------------------------------------------
// Combining

/** The sources one after the other; each is only started once the previous one is exhausted. */
export async function* concatSources(...sources: AsyncIterable<SelectionEvent>[]): AsyncGenerator<SelectionEvent> {
  for (const source of sources) yield* source;
}

export interface DedupeOptions {
  /** Called for each ref dropped because an equal one came earlier (e.g. to count them in the plan). */
  onDuplicate?: (item: SelectionItem) => void;
}

/**
 * Each order once: the same gid, or the same name ignoring case and a leading `#` (`refKey`). Problems
 * pass through. Memory: one short string per unique ref. An id and a name of the same order cannot be
 * matched here (that needs the store); the resolver collapses those.
 */
export async function* dedupe(events: AsyncIterable<SelectionEvent>, options: DedupeOptions = {}): AsyncGenerator<SelectionEvent> {
  const seen = new Set<string>();
  for await (const event of events) {
    if (event.type === 'ref') {
      const key = refKey(event.item.ref);
      if (seen.has(key)) {
        options.onDuplicate?.(event.item);
        continue;
      }
      seen.add(key);
    }
    yield event;
  }
}
