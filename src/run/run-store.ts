// The recorded runs: one journal per run under `<stateDir>/runs/`. Listing reads only each journal's
// first line (who ran what) and its tail (how it ended), so `bulkfill runs` stays quick however large
// the journals grow. A journal being written right now, or cut short by a kill, lists as incomplete.

import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

import { UsageError } from '../errors.js';
import { parseJournalLine, type HeaderEntry, type JournalEntry } from './journal-entry.js';
import { isRunId } from './run-id.js';

export interface RunSummary {
  runId: string;
  path: string;
  header: HeaderEntry;
  /** interrupted: stopped by a signal; incomplete: still running, or killed or crashed. */
  status: 'finished' | 'interrupted' | 'incomplete';
  /** When it finished or was interrupted. */
  endedAt?: string;
  /** The final counts, once finished. */
  summary?: Record<string, number>;
}

const EXTENSION = '.jsonl';
// Enough for the lines an interrupted run writes after `interrupted` while its in-flight orders drain.
const TAIL_BYTES = 128 * 1024;

export function journalPath(stateDir: string, runId: string): string {
  if (!isRunId(runId)) throw new Error(`Not a run id: ${JSON.stringify(runId)}`);
  return join(runsDir(stateDir), `${runId}${EXTENSION}`);
}

/** Newest first. Journals without a readable header (killed while being created) are left out. */
export async function listRuns(stateDir: string): Promise<RunSummary[]> {
  const runs: RunSummary[] = [];
  for (const runId of await recordedRunIds(stateDir)) {
    const run = await readRunSummary(runId, journalPath(stateDir, runId));
    if (run) runs.push(run);
  }
  return runs.sort((a, b) => compareDescending(a.header.startedAt, b.header.startedAt) || compareDescending(a.runId, b.runId));
}

/** A run id as typed by the user, or `last` for the newest run. */
export async function resolveRunId(stateDir: string, idOrLast: string): Promise<string> {
  if (idOrLast === 'last') {
    const [newest] = await listRuns(stateDir);
    if (!newest) throw new UsageError(`No runs are recorded yet (in ${runsDir(stateDir)}).`, 'A run is recorded as soon as a bulk action starts.');
    return newest.runId;
  }
  if (isRunId(idOrLast) && (await isFile(journalPath(stateDir, idOrLast)))) return idOrLast;
  throw new UsageError(
    `There is no run ${JSON.stringify(idOrLast)} (looked in ${runsDir(stateDir)}).`,
    'See the recorded runs and their ids with: bulkfill runs',
  );
}

function runsDir(stateDir: string): string {
  return join(stateDir, 'runs');
}

async function recordedRunIds(stateDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(runsDir(stateDir));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names.filter((name) => name.endsWith(EXTENSION)).map((name) => name.slice(0, -EXTENSION.length)).filter(isRunId);
}

async function readRunSummary(runId: string, path: string): Promise<RunSummary | undefined> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const tailStart = Math.max(0, size - TAIL_BYTES);
    const tail = await readEntries(file, tailStart, size, size);
    const header = tailStart === 0 ? tail[0] : await readFirstEntry(file, size);
    if (header?.t !== 'header') return undefined;
    return { runId, path, header, ...howItEnded(tail) };
  } finally {
    await file.close();
  }
}

function howItEnded(entries: JournalEntry[]): Pick<RunSummary, 'status' | 'endedAt' | 'summary'> {
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i]!;
    if (entry.t === 'finished') return { status: 'finished', endedAt: entry.at, summary: entry.summary };
    if (entry.t === 'interrupted') return { status: 'interrupted', endedAt: entry.at };
    if (entry.t === 'resumed' || entry.t === 'header') break;
  }
  return { status: 'incomplete' };
}

/**
 * The entries on the whole lines within [from, to). A line cut by `from` is skipped, and so is one
 * cut by `to` unless `to` is the end of the file and the line parses. Bad lines are skipped too:
 * a listing shows what it can rather than failing on one damaged journal.
 */
async function readEntries(file: FileHandle, from: number, to: number, size: number): Promise<JournalEntry[]> {
  const buffer = Buffer.alloc(to - from);
  const { bytesRead } = await file.read(buffer, 0, buffer.length, from);
  const lines = buffer.subarray(0, bytesRead).toString('utf8').split('\n');
  if (from > 0) lines.shift();
  if (to < size) lines.pop();
  const entries: JournalEntry[] = [];
  for (const line of lines) {
    const entry = line.trim() === '' ? undefined : parseJournalLine(line);
    if (entry !== undefined && typeof entry !== 'string') entries.push(entry);
  }
  return entries;
}

// The header is the first line; it is small unless the run's options are large (many ids as arguments).
async function readFirstEntry(file: FileHandle, size: number): Promise<JournalEntry | undefined> {
  for (let length = Math.min(size, 16 * 1024); ; length = Math.min(size, length * 4)) {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await file.read(buffer, 0, length, 0);
    const end = buffer.subarray(0, bytesRead).indexOf(0x0a);
    if (end !== -1) {
      const entry = parseJournalLine(buffer.toString('utf8', 0, end));
      return typeof entry === 'string' ? undefined : entry;
    }
    if (length >= size) return undefined;
  }
}

function compareDescending(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
