// The recorded runs as `bulkfill runs` shows them: each run's header, its counts and its status.
//
// Listing reads each journal's first line and tail (the journal store's listRuns); a finished run's counts are
// on its `finished` line, so only runs that have not finished are read whole (tallyJournal, streamed).
// Whether a run that has not finished is still going is told by its lock: held by a live process of
// this host (or by any process of another host, which cannot be checked from here) means running.

import { heldLocks } from '../run/lock.js';
import type { RunCounts } from '../journal/format.js';
import { tallyJournal, type JournalTally, type RunHeader } from '../journal/outcomes.js';
import { listRuns, type RecordedRun } from '../journal/store.js';

/**
 * - finished: the run (or its last resume) wrote its final summary;
 * - interrupted: stopped by Ctrl-C or SIGTERM; `--resume` carries on;
 * - running: its lock is held by a live process;
 * - resumable: killed or crashed after its plan was complete; `--resume` carries on;
 * - incomplete: killed or crashed while planning (nothing was changed; start it again), or a
 *   dry run that did not finish.
 */
export type RunStatus = 'finished' | 'interrupted' | 'running' | 'resumable' | 'incomplete';

export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
}

export interface RunListing {
  runId: string;
  journal: string;
  command: string;
  store: string | null;
  apiVersion: string | null;
  user: string | null;
  host: string | null;
  startedAt: string | null;
  /** When the run (or its last resume) finished or was interrupted; null while it has not. */
  endedAt: string | null;
  dryRun: boolean;
  status: RunStatus;
  counts: RunCounts;
  /** The process holding the run's lock, when running. */
  holder: LockHolder | null;
}

/** Everything `runs show` says: the listing plus what only a whole pass over the journal tells. */
export interface RunDetails extends RunListing {
  options: Record<string, unknown>;
  tally: JournalTally;
}

export interface HistoryDeps {
  stateDir: string;
  /** This host's name: locks of other hosts cannot be checked for liveness. */
  hostname: string;
  isProcessAlive(pid: number): boolean;
}

/** The `limit` newest runs, newest first. */
export async function recentRuns(deps: HistoryDeps, limit: number): Promise<RunListing[]> {
  const stored = (await listRuns(deps.stateDir)).slice(0, limit);
  const locks = await liveLocks(deps);
  const listings: RunListing[] = [];
  for (const run of stored) {
    const holder = locks.get(run.runId) ?? null;
    if (run.status === 'finished' && run.summary) {
      listings.push(listingOf(run, 'finished', countsOf(run.summary), holder));
      continue;
    }
    // Not finished: its counts are in its outcome lines.
    const tally = await tallyJournal(run.path);
    const status = holder ? 'running' : unfinishedStatus(run.status === 'interrupted', tally, isDryRun(run.header.options));
    listings.push(listingOf(run, status, tally.counts, holder));
  }
  return listings;
}

/** One run in full, from one pass over its journal; `journal` must exist (see resolveRunId). */
export async function runDetails(deps: HistoryDeps, runId: string, journal: string): Promise<RunDetails | null> {
  const tally = await tallyJournal(journal);
  const header = tally.header;
  if (!header) return null;
  const holder = (await liveLocks(deps)).get(runId) ?? null;
  const ending = tally.ending;
  const options = tally.planOptions ?? header.options;
  const dryRun = isDryRun(options);
  const status: RunStatus =
    ending?.kind === 'finished' ? 'finished' : holder ? 'running' : unfinishedStatus(ending?.kind === 'interrupted', tally, dryRun);
  const counts = ending?.kind === 'finished' ? countsOf(ending.summary, tally.counts) : tally.counts;
  return {
    ...fromHeader(runId, journal, header),
    endedAt: ending?.at ?? null,
    dryRun,
    status,
    counts,
    holder: status === 'running' ? holder : null,
    options,
    tally,
  };
}

/** Whether `bulkfill <command> --resume <id>` has anything to do for a run in this state. */
export function canResume(run: Pick<RunListing, 'status' | 'counts' | 'dryRun'>): boolean {
  if (run.dryRun) return false;
  if (run.status === 'interrupted' || run.status === 'resumable') return true;
  // A finished run's unknown orders were sent but not confirmed: a resume settles them.
  return run.status === 'finished' && run.counts.unknown > 0;
}

export function resumeCommand(run: Pick<RunListing, 'command' | 'runId'>): string {
  return `bulkfill ${run.command} --resume ${run.runId}`;
}

function unfinishedStatus(interrupted: boolean, tally: JournalTally, dryRun: boolean): RunStatus {
  if (dryRun) return interrupted ? 'interrupted' : 'incomplete';
  if (interrupted) return 'interrupted';
  return tally.planComplete ? 'resumable' : 'incomplete';
}

function listingOf(run: RecordedRun, status: RunStatus, counts: RunCounts, holder: LockHolder | null): RunListing {
  const { header } = run;
  return {
    runId: run.runId,
    journal: run.path,
    command: header.command,
    store: header.store,
    apiVersion: typeof header.apiVersion === 'string' ? header.apiVersion : null,
    user: typeof header.user === 'string' ? header.user : null,
    host: typeof header.host === 'string' ? header.host : null,
    startedAt: header.startedAt,
    endedAt: status === 'finished' || status === 'interrupted' ? (run.endedAt ?? null) : null,
    dryRun: isDryRun(header.options),
    status,
    counts,
    holder: status === 'running' ? holder : null,
  };
}

function fromHeader(
  runId: string,
  journal: string,
  header: RunHeader,
): Pick<RunListing, 'runId' | 'journal' | 'command' | 'store' | 'apiVersion' | 'user' | 'host' | 'startedAt'> {
  return {
    runId,
    journal,
    command: header.command,
    store: header.store,
    apiVersion: header.apiVersion,
    user: header.user,
    host: header.host,
    startedAt: header.startedAt,
  };
}

/** The counts a `finished` line recorded; `fallback` fills any it lacks. */
function countsOf(summary: Record<string, unknown>, fallback?: RunCounts): RunCounts {
  const count = (key: keyof RunCounts): number => {
    const value = summary[key];
    return Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : (fallback?.[key] ?? 0);
  };
  return {
    selected: count('selected'),
    done: count('done'),
    already: count('already'),
    skipped: count('skipped'),
    failed: count('failed'),
    unknown: count('unknown'),
  };
}

function isDryRun(options: Record<string, unknown>): boolean {
  return options.dryRun === true;
}

/** The runs whose lock is held (src/run/lock.ts), by run id. */
async function liveLocks(deps: HistoryDeps): Promise<Map<string, LockHolder>> {
  const held = await heldLocks(deps.stateDir, deps.hostname, deps.isProcessAlive);
  return new Map(held.map((lock) => [lock.runId, { pid: lock.pid, host: lock.host, startedAt: lock.startedAt }]));
}
