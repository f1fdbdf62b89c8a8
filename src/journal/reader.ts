// Reading a journal back, streamed line by line so a 100,000-order run never sits in memory whole.
// A kill can only tear the line being written, which is always the last one. Two modes:
// - strict (resume): entries checked for the fields resume relies on; a torn last line is skipped, and
//   any other bad line is damage, thrown with its line number.
// - lenient (history: reports, `bulkfill runs`): every line that is a JSON object, unchecked beyond
//   that; other lines are skipped, and reported (but for the last, a torn write) so a listing can
//   warn rather than fail on one damaged journal.

import { createReadStream } from 'node:fs';

import { JournalCorruptError, UsageError } from '../errors.js';
import { JOURNAL_FORMAT, parseJournalLine, parseJournalObject, type HeaderEntry, type JournalEntry, type JournalLine } from './format.js';

const NEWLINE = 0x0a;

export interface LenientOptions {
  /** Read from this byte on; the line it cuts into (up to the first newline) is skipped. */
  from?: number;
  /** Each line that is not a JSON object, by its 1-based number, except the last (a torn write). */
  onDamaged?(line: number): void;
}

/**
 * The entries of a journal. strict (the default): an unterminated last line is a torn write and
 * skipped, unless it is a whole entry that only lost its newline; any other bad line throws
 * JournalCorruptError. lenient: see LenientOptions.
 */
export function readJournal(path: string, mode?: 'strict'): AsyncGenerator<JournalEntry>;
export function readJournal(path: string, mode: 'lenient', options?: LenientOptions): AsyncGenerator<JournalLine>;
export function readJournal(
  path: string,
  mode: 'strict' | 'lenient' = 'strict',
  options: LenientOptions = {},
): AsyncGenerator<JournalEntry | JournalLine> {
  return mode === 'strict' ? strictEntries(path) : lenientLines(path, options);
}

async function* strictEntries(path: string): AsyncGenerator<JournalEntry> {
  for await (const { text, number, terminated } of journalTextLines(path, 0)) {
    if (text.trim() === '') continue;
    const entry = parseJournalLine(text);
    if (typeof entry !== 'string') yield entry;
    else if (terminated) throw new JournalCorruptError(path, number, entry);
  }
}

async function* lenientLines(path: string, { from = 0, onDamaged }: LenientOptions): AsyncGenerator<JournalLine> {
  // An unreadable line is damage only once another line follows it.
  let suspect: number | undefined;
  for await (const { text, number } of journalTextLines(path, from)) {
    if (suspect !== undefined) onDamaged?.(suspect);
    suspect = undefined;
    if (text.trim() === '') continue;
    const line = parseJournalObject(text);
    if (typeof line === 'string') suspect = number;
    else yield line;
  }
}

interface TextLine {
  text: string;
  /** 1-based, counted from `from`. */
  number: number;
  /** Ended by a newline; only the file's last line may not be. */
  terminated: boolean;
}

// Split on the newline byte rather than with readline: whether the last line was terminated decides
// if a bad line is a torn write or damage, and readline does not say. A line ending in CR keeps it;
// JSON.parse takes it for whitespace.
async function* journalTextLines(path: string, from: number): AsyncGenerator<TextLine> {
  let pending: Buffer[] = [];
  let lineNumber = 0;
  let skipping = from > 0;
  for await (const chunk of createReadStream(path, { start: from, highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, end);
      const line = pending.length > 0 ? Buffer.concat([...pending, piece]) : piece;
      pending = [];
      start = end + 1;
      if (skipping) {
        skipping = false;
        continue;
      }
      yield { text: line.toString('utf8'), number: ++lineNumber, terminated: true };
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  }
  if (pending.length > 0 && !skipping) yield { text: Buffer.concat(pending).toString('utf8'), number: ++lineNumber, terminated: false };
}

/** The header a journal starts with, checked like checkedHeader. */
export async function readJournalHeader(path: string): Promise<HeaderEntry> {
  for await (const entry of readJournal(path)) return checkedHeader(entry, path);
  throw new JournalCorruptError(path, 1, 'the run header is missing');
}

/** `entry`, the first of the journal at `path`, as a header in a format this version can read. */
export function checkedHeader(entry: JournalEntry, path: string): HeaderEntry {
  if (entry.t !== 'header') throw new JournalCorruptError(path, 1, `a "${entry.t}" entry where the run header belongs`);
  if (entry.version > JOURNAL_FORMAT) {
    throw new UsageError(
      `The run journal ${path} was written by a newer bulkfill (journal format ${entry.version}; this one reads ${JOURNAL_FORMAT}).`,
      'Use the newer bulkfill for this run.',
    );
  }
  return entry;
}
