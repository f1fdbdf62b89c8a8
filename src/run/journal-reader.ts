// Reading a journal back, streamed line by line so a 100,000-order run never sits in memory whole.
// A kill can only tear the line being written, which is always the last one: it is skipped. Any
// other bad line is damage, reported with its line number.

import { createReadStream } from 'node:fs';

import { JournalCorruptError, UsageError } from '../errors.js';
import { JOURNAL_FORMAT, parseJournalLine, type HeaderEntry, type JournalEntry } from './journal-entry.js';

const NEWLINE = 0x0a;

/**
 * The entries of a journal. An unterminated last line is a torn write and skipped, unless it is a
 * whole entry that only lost its newline; any other bad line throws JournalCorruptError.
 */
export async function* readJournal(path: string): AsyncGenerator<JournalEntry> {
  // Split on the newline byte rather than with readline: whether the last line was terminated decides
  // if a bad line is a torn write or damage, and readline does not say.
  let pending: Buffer[] = [];
  let lineNumber = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, end);
      const line = pending.length > 0 ? Buffer.concat([...pending, piece]) : piece;
      pending = [];
      start = end + 1;
      lineNumber++;
      const text = line.toString('utf8');
      if (text.trim() === '') continue;
      const entry = parseJournalLine(text);
      if (typeof entry === 'string') throw new JournalCorruptError(path, lineNumber, entry);
      yield entry;
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  }
  if (pending.length > 0) {
    const entry = parseJournalLine(Buffer.concat(pending).toString('utf8'));
    if (typeof entry !== 'string') yield entry;
  }
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
