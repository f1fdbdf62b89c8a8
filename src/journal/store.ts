// The recorded runs: one journal per run under `<stateDir>/runs/`. Listing reads only each journal's
// first line (who ran what) and its tail (how it ended), so `bulkfill runs` stays quick however large
// the journals grow. A journal being written right now, or cut short by a kill, lists as incomplete.

import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

import { UsageError } from '../errors.js';
import { checkJournalEntry, type HeaderEntry, type JournalEntry } from './format.js';
import { readJournal } from './reader.js';
import { isRunId } from './run-id.js';

/** A recorded run as listed: its header and how its journal ends. */
export interface RecordedRun {
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
export async function listRuns(stateDir: string): Promise<RecordedRun[]> {
  const runs: RecordedRun[] = [];
  for (const runId of await recordedRunIds(stateDir)) {
    const run = await readRecordedRun(runId, journalPath(stateDir, runId));
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
  return names
    .filter((name) => name.endsWith(EXTENSION))
    .map((name) => name.slice(0, -EXTENSION.length))
    .filter(isRunId);
}

async function readRecordedRun(runId: string, path: string): Promise<RecordedRun | undefined> {
  const { size } = await stat(path);
  const tailStart = Math.max(0, size - TAIL_BYTES);
  const tail = await readEntries(path, tailStart);
  const header = tailStart === 0 ? tail[0] : await readFirstEntry(path);
  if (header?.t !== 'header') return undefined;
  return { runId, path, header, ...howItEnded(tail) };
}

function howItEnded(entries: JournalEntry[]): Pick<RecordedRun, 'status' | 'endedAt' | 'summary'> {
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i]!;
    if (entry.t === 'finished') return { status: 'finished', endedAt: entry.at, summary: entry.summary };
    if (entry.t === 'interrupted') return { status: 'interrupted', endedAt: entry.at };
    if (entry.t === 'resumed' || entry.t === 'header') break;
  }
  return { status: 'incomplete' };
}

/**
 * The entries on the whole lines from byte `from` on; a line cut by `from` is skipped. Bad lines are
 * skipped too: a listing shows what it can rather than failing on one damaged journal.
 */
async function readEntries(path: string, from: number): Promise<JournalEntry[]> {
  const entries: JournalEntry[] = [];
  for await (const line of readJournal(path, 'lenient', { from })) {
    const entry = checkJournalEntry(line);
    if (typeof entry !== 'string') entries.push(entry);
  }
  return entries;
}

// The header is the first entry; it is small unless the run's options are large (many ids as arguments).
async function readFirstEntry(path: string): Promise<JournalEntry | undefined> {
  for await (const line of readJournal(path, 'lenient')) {
    const entry = checkJournalEntry(line);
    return typeof entry === 'string' ? undefined : entry;
  }
  return undefined;
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
