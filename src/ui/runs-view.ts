// `bulkfill runs` as people read it, on stdout: the list of recent runs as an aligned table, and one
// run in detail. Times are relative ("3h ago") on a terminal and ISO 8601 (UTC) otherwise, so piped
// output does not depend on when it was printed. Colour only via the chalk passed in (level 0 off a
// terminal); no tabs, so the table lines up in any pager or log.

import type { ChalkInstance } from 'chalk';

import type { RunDetails, RunListing, RunStatus } from '../report/run-history.js';
import { canResume, resumeCommand } from '../report/run-history.js';
import { countOf, formatCount, formatDuration, pad, reasonLines, truncate, widest, type Align } from './format.js';
import { safeForTerminal } from './terminal-text.js';

export interface TableOptions {
  now: number;
  /** Relative times ("3h ago"); ISO otherwise. */
  relative: boolean;
  chalk: ChalkInstance;
  /** Terminal width: the store column is shortened to fit. */
  width?: number;
}

interface Column {
  title: string;
  align: Align;
  cell(run: RunListing): string;
  style?(run: RunListing, text: string, chalk: ChalkInstance): string;
}

const COUNT_COLUMNS = ['done', 'already', 'skipped', 'failed', 'unknown'] as const;
const GAP = '  ';
const MIN_STORE_WIDTH = 12;

export function formatRunsTable(runs: readonly RunListing[], options: TableOptions): string {
  const { chalk } = options;
  const columns: Column[] = [
    { title: 'ID', align: 'left', cell: (run) => run.runId },
    { title: 'STARTED', align: 'left', cell: (run) => formatWhen(run.startedAt, options.now, options.relative) },
    { title: 'COMMAND', align: 'left', cell: (run) => run.command },
    { title: 'STORE', align: 'left', cell: (run) => run.store ?? '-' },
    ...COUNT_COLUMNS.map((key): Column => ({
      title: key.toUpperCase(),
      align: 'right',
      cell: (run) => formatCount(run.counts[key]),
      style: (run, text, c) => (run.counts[key] === 0 ? text : key === 'failed' ? c.red(text) : key === 'unknown' ? c.yellow(text) : text),
    })),
    { title: 'STATUS', align: 'left', cell: statusText, style: (run, text, c) => styleStatus(run.status, text, c) },
  ];
  // Journal fields (command, store, times) are data from a file: sanitised before widths and colour.
  const cells = runs.map((run) => columns.map((column) => safeForTerminal(column.cell(run))));
  const widths = columns.map((column, i) => widest([column.title, ...cells.map((row) => row[i]!)]));

  const storeIndex = columns.findIndex((column) => column.title === 'STORE');
  const total = widths.reduce((sum, w) => sum + w, 0) + GAP.length * (columns.length - 1);
  if (options.width !== undefined && total > options.width) {
    widths[storeIndex] = Math.max(MIN_STORE_WIDTH, widths[storeIndex]! - (total - options.width));
  }

  const last = columns.length - 1;
  // The last column is not padded, so no line ends in spaces.
  const line = (texts: string[], styled: (text: string, i: number) => string) =>
    texts.map((text, i) => styled(i === last ? text : pad(truncate(text, widths[i]!), widths[i]!, columns[i]!.align), i)).join(GAP);

  const lines = [
    line(
      columns.map((column) => column.title),
      (text) => chalk.dim(text),
    ),
  ];
  runs.forEach((run, r) => {
    lines.push(line(cells[r]!, (text, i) => columns[i]!.style?.(run, text, chalk) ?? text));
  });
  return `${lines.join('\n')}\n`;
}

export interface DetailsOptions {
  now: number;
  chalk: ChalkInstance;
  /** The run's failures CSV, when the file exists. */
  failuresCsv: string | null;
}

export function formatRunDetails(run: RunDetails, options: DetailsOptions): string {
  const { chalk, now } = options;
  const { tally } = run;
  const rows: [string, string][] = [];
  // Every field read from the journal is sanitised before it is coloured (`safe`): the journal holds
  // what the store said (names, messages) and is a file anyone could have edited.
  const safe = (text: string | null | undefined, absent = '-') => (text === null || text === undefined ? absent : safeForTerminal(text));
  const when = (at: string | null) => (at === null ? '-' : `${safe(at)}${relativeSuffix(at, now)}`);
  const who = (user: string | null | undefined, host: string | null | undefined) => `${safe(user, '?')}@${safe(host, '?')}`;

  rows.push(['Store', `${safe(run.store)}${run.apiVersion ? chalk.dim(`  (API ${safe(run.apiVersion)})`) : ''}`]);
  rows.push(['By', run.user || run.host ? who(run.user, run.host) : '-']);
  rows.push(['Started', when(run.startedAt)]);
  for (const resume of tally.resumes) rows.push(['Resumed', `${when(resume.at)} by ${who(resume.user, resume.host)}`]);
  if (run.status === 'finished' || run.status === 'interrupted') {
    // How long it took, unless resumes (and the pauses before them) are in between.
    const took =
      run.startedAt && run.endedAt && tally.resumes.length === 0
        ? chalk.dim(`  (${run.status === 'finished' ? 'took' : 'after'} ${formatDuration(Date.parse(run.endedAt) - Date.parse(run.startedAt))})`)
        : '';
    rows.push([run.status === 'finished' ? 'Finished' : 'Interrupted', `${safe(run.endedAt)}${took}`]);
  } else if (run.status === 'running' && run.holder) {
    rows.push(['Running', `pid ${run.holder.pid} on ${safe(run.holder.host)}`]);
  } else {
    rows.push(['Ended', chalk.yellow('no end recorded: killed, crashed or the machine stopped')]);
  }
  rows.push(['Dry run', run.dryRun ? 'yes (nothing was changed)' : 'no']);
  rows.push(['Options', safeForTerminal(formatOptions(run.options)) || '-']);
  rows.push(['Journal', safe(run.journal)]);

  const labelWidth = widest(rows.map(([label]) => label));
  const lines = [
    `${chalk.bold(`Run ${safe(run.runId)}`)}  ${safe(run.command)}  ${styleStatus(run.status, statusText(run), chalk)}`,
    ...rows.map(([label, value]) => `  ${chalk.dim(label.padEnd(labelWidth))}  ${value}`),
    '',
    formatCounts(run, chalk),
  ];

  const failing = run.counts.failed + run.counts.unknown;
  if (tally.failures.length > 0) {
    lines.push('', `${formatCount(failing)} failed or unknown, by reason:`);
    const groups = tally.failures.map((g) => ({
      reason: safeForTerminal(g.reason),
      count: g.count,
      sample: g.sample.map((name) => safeForTerminal(name)),
    }));
    lines.push(...reasonLines(groups, { ellipsis: '...', dim: (text) => chalk.dim(text) }));
  }
  if (options.failuresCsv) lines.push(`Failures CSV: ${safe(options.failuresCsv)}`);
  if (failing > 0) lines.push(`Print them as a CSV for --csv: bulkfill runs failures ${safe(run.runId)}`);

  if (tally.damagedLines.length > 0) {
    const shown = tally.damagedLines.slice(0, 5).join(', ');
    const more = tally.damagedLines.length > 5 ? ', ...' : '';
    lines.push('', chalk.yellow(`Warning: unreadable journal lines skipped (line ${shown}${more}); the counts may be incomplete.`));
  }

  const next = nextStep(run);
  if (next) lines.push('', next(chalk));
  return `${lines.join('\n')}\n`;
}

function formatCounts(run: RunDetails, chalk: ChalkInstance): string {
  const { counts } = run;
  const parts = [
    `${formatCount(counts.done)} done`,
    `${formatCount(counts.already)} already`,
    `${formatCount(counts.skipped)} skipped`,
    counts.failed > 0 ? chalk.red(`${formatCount(counts.failed)} failed`) : '0 failed',
    counts.unknown > 0 ? chalk.yellow(`${formatCount(counts.unknown)} unknown`) : '0 unknown',
  ];
  const notStarted = run.status === 'finished' ? 0 : run.tally.notStarted;
  const pending = notStarted > 0 ? `, ${formatCount(notStarted)} ${run.dryRun ? 'to act on' : 'not started'}` : '';
  return `${countOf(counts.selected, 'order')} selected: ${parts.join(', ')}${pending}`;
}

function nextStep(run: RunDetails): ((chalk: ChalkInstance) => string) | null {
  if (run.status === 'running') return () => `Still running. Follow it with: bulkfill runs show ${safeForTerminal(run.runId)}`;
  if (canResume(run)) {
    const why = run.status === 'finished' ? 'Unknown orders were sent but not confirmed; resuming settles them' : 'Not finished. Resume with';
    return (chalk) => `${why}: ${chalk.bold(safeForTerminal(resumeCommand(run)))}`;
  }
  if (run.status === 'incomplete') {
    return () =>
      run.dryRun
        ? 'This dry run did not finish; nothing was changed.'
        : 'Stopped while planning; nothing was changed. Start it again (without --resume).';
  }
  return null;
}

/**
 * `reason=fraud refund=now restock=true`: strings as they are (quoted, as JSON, when they hold spaces,
 * quotes or control characters, so those show escaped), the rest as JSON.
 */
export function formatOptions(options: Record<string, unknown>): string {
  return Object.entries(options)
    .filter(([key]) => key !== 'dryRun')
    .map(([key, value]) => {
      const text = typeof value === 'string' ? (/^[^\s"'\p{C}]+$/u.test(value) ? value : JSON.stringify(value)) : JSON.stringify(value);
      return `${key}=${text}`;
    })
    .join(' ');
}

function statusText(run: Pick<RunListing, 'status' | 'dryRun'>): string {
  return run.status === 'finished' && run.dryRun ? 'dry run' : run.status;
}

function styleStatus(status: RunStatus, text: string, chalk: ChalkInstance): string {
  switch (status) {
    case 'finished':
      return chalk.green(text);
    case 'running':
      return chalk.cyan(text);
    case 'interrupted':
    case 'resumable':
      return chalk.yellow(text);
    case 'incomplete':
      return chalk.dim(text);
  }
}

/** ISO 8601 to the second (UTC), or relative to `now` ("3h ago"). */
export function formatWhen(at: string | null, now: number, relative: boolean): string {
  if (at === null) return '-';
  const time = Date.parse(at);
  if (Number.isNaN(time)) return at;
  if (relative) {
    const age = formatAge(now - time);
    if (age) return age;
  }
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** 42s → "42s ago", "5m ago", "3h ago", "12d ago"; undefined for the future or a month and more. */
export function formatAge(ms: number): string | undefined {
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return seconds < 5 ? 'just now' : `${seconds}s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ago`;
  const days = Math.floor(hours / 24);
  return days < 31 ? `${days}d ago` : undefined;
}

function relativeSuffix(at: string, now: number): string {
  const age = formatAge(now - Date.parse(at));
  return age ? `  (${age})` : '';
}
