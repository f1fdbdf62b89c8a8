// A run's append-only journal, `<stateDir>/runs/<runId>.jsonl`: the audit trail of who ran what and
// each order's fate, and what `--resume` carries on from. This is its writer; the line format is in
// format.ts, reading in reader.ts.
//
// Writes are synchronous and unbuffered: when append() returns, the line is in the operating
// system's hands and survives kill -9 of this process, so a "sent" entry is always on disk before
// its mutation leaves. A kill can only tear the line being written, the last one: readers skip it
// and reopen() trims it before appending.

import { closeSync, fstatSync, fsyncSync, ftruncateSync, open, readSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';

import { JOURNAL_FORMAT, parseJournalLine, type HeaderEntry, type JournalEntry } from './format.js';
import { readJournalHeader } from './reader.js';
import { journalPath } from './store.js';

const openFile = promisify(open);
const NEWLINE = 0x0a;

export class JournalWriter {
  private fd: number | undefined;
  private broken: Error | null = null;

  private constructor(
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /** Starts the journal of a new run with its header; never touches an existing file. */
  static async create(stateDir: string, header: HeaderEntry): Promise<JournalWriter> {
    if (header.version !== JOURNAL_FORMAT) throw new Error(`Journal headers are version ${JOURNAL_FORMAT}, not ${header.version}.`);
    const path = journalPath(stateDir, header.runId);
    await mkdir(dirname(path), { recursive: true });
    const writer = new JournalWriter(path, await openFile(path, 'wx'));
    writer.append(header);
    return writer;
  }

  /** Opens an existing journal to append to (resume), after cutting off a torn last line. */
  static async reopen(path: string): Promise<JournalWriter> {
    await readJournalHeader(path);
    const fd = await openFile(path, 'a+');
    try {
      endWithWholeLine(fd);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    return new JournalWriter(path, fd);
  }

  /** In the OS's hands when this returns; throws if the write fails (e.g. disk full). */
  append(entry: JournalEntry): void {
    if (this.fd === undefined) throw new Error(`The journal ${this.path} is closed.`);
    if (this.broken) throw this.broken;
    try {
      writeAll(this.fd, Buffer.from(`${JSON.stringify(entry)}\n`, 'utf8'));
    } catch (error) {
      // A line may be half written: nothing more may follow it (it would be glued on, mid-file), so
      // every later append fails too, and a resume (reopen) cuts the torn line off.
      this.broken = error instanceof Error ? error : new Error(String(error));
      throw error;
    }
  }

  /** Flushes to the disk and closes; later calls do nothing. */
  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

// Keeps a whole entry that lost only its newline (and terminates it) and cuts off a torn one, so the
// next append starts a line of its own — as readJournal reads them.
function endWithWholeLine(fd: number): void {
  const size = fstatSync(fd).size;
  const tailStart = startOfLastLine(fd, size);
  if (tailStart === size) return;
  const tail = Buffer.alloc(size - tailStart);
  readSync(fd, tail, 0, tail.length, tailStart);
  if (typeof parseJournalLine(tail.toString('utf8')) === 'string') ftruncateSync(fd, tailStart);
  else writeAll(fd, Buffer.from('\n'));
}

function startOfLastLine(fd: number, size: number): number {
  const block = Buffer.alloc(Math.min(size, 64 * 1024));
  for (let end = size; end > 0;) {
    const from = Math.max(0, end - block.length);
    readSync(fd, block, 0, end - from, from);
    const at = block.subarray(0, end - from).lastIndexOf(NEWLINE);
    if (at !== -1) return from + at + 1;
    end = from;
  }
  return 0;
}

function writeAll(fd: number, bytes: Buffer): void {
  for (let written = 0; written < bytes.length;) written += writeSync(fd, bytes, written, bytes.length - written);
}
