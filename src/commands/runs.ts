// `bulkfill runs`: the history of runs from their journals in the state directory.
//   runs [list]         recent runs, newest first (a table, or --json an array)
//   runs show <id>      one run: who ran what, its counts, failures by reason, how to resume
//   runs failures <id>  the failed and unknown orders as the CSV `--csv` takes back, on stdout
// All of it is data the user asked for, so it goes to stdout; only "no runs yet" goes to stderr.

import { stat } from 'node:fs/promises';
import { join } from 'node:path';

import { Command, Option } from 'commander';

import { handle } from '../cli/handle.js';
import { integer } from '../util/option-parsers.js';
import type { Context } from '../context.js';
import { ExitCode, UsageError } from '../errors.js';
import { defaultFailuresCsvPath, printFailuresCsv } from '../report/failures-csv.js';
import { readOutcomes, readReportOrders } from '../journal/outcomes.js';
import { writeReportDocument } from '../report/json-report.js';
import { canResume, recentRuns, resumeCommand, runDetails, type HistoryDeps, type RunListing } from '../report/run-history.js';
import { journalPath, resolveRunId } from '../journal/store.js';
import { countOf } from '../ui/format.js';
import { formatRunDetails, formatRunsTable } from '../ui/runs-view.js';

const DEFAULT_LIMIT = 20;
const ID_ARGUMENT = ['<id>', 'a run id (see `bulkfill runs`), or "last" for the newest run'] as const;

export function runsCommand(ctx: Context): Command {
  const list = new Command('list')
    .summary('recent runs, newest first (the default)')
    .description('List recent runs, newest first: when, what, where, their counts and status.')
    .addOption(new Option('--limit <n>', 'how many runs to list').default(DEFAULT_LIMIT).argParser(integer(1)))
    .addOption(new Option('--json', 'print a JSON array on stdout'));
  handle(list, async () => listCommand(ctx, list.opts<{ limit: number; json?: boolean }>()));

  const show = new Command('show')
    .summary('one run in detail: options, counts, failures by reason, how to resume')
    .description('Show one run: who ran what with which options, its counts, failures grouped by reason, and how to resume it if it did not finish.')
    .argument(...ID_ARGUMENT)
    .addOption(new Option('--json', 'print one JSON document on stdout, shaped like the run’s own --json result'));
  handle(show, async () => showCommand(ctx, show.args[0]!, show.opts<{ json?: boolean }>().json === true));

  const failures = new Command('failures')
    .summary('print the failed and unknown orders of a run as a CSV that --csv takes back')
    .description('Print the failed and unknown orders of a run on stdout, as the CSV an action’s --csv takes back (header only when there are none).')
    .argument(...ID_ARGUMENT);
  handle(failures, async () => failuresCommand(ctx, failures.args[0]!));

  return new Command('runs')
    .summary('history of runs: list, show <id>, failures <id> (re-feedable CSV)')
    .description(`The runs recorded in the state directory (${ctx.stateDir}), with their journals.`)
    .addCommand(list, { isDefault: true })
    .addCommand(show)
    .addCommand(failures)
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ bulkfill runs',
        '  $ bulkfill runs --limit 5 --json',
        '  $ bulkfill runs show last',
        '  $ bulkfill runs failures 20261126-041530-k3f9 > failed.csv',
        '  $ bulkfill runs failures last | bulkfill cancel --csv - --reason fraud --refund now --restock --yes',
      ].join('\n'),
    );
}

function historyDeps(ctx: Context): HistoryDeps {
  return { stateDir: ctx.stateDir, hostname: ctx.system.hostname, isProcessAlive: (pid) => ctx.system.isProcessAlive(pid) };
}

async function listCommand(ctx: Context, flags: { limit: number; json?: boolean }): Promise<number> {
  const runs = await recentRuns(historyDeps(ctx), flags.limit);
  if (flags.json) {
    ctx.stdout.write(`${JSON.stringify(runs.map(listingJson), null, 2)}\n`);
    return ExitCode.Ok;
  }
  if (runs.length === 0) {
    ctx.stderr.write(`No runs yet (looked in ${journalDir(ctx)}). A run is recorded as soon as a bulk action starts.\n`);
    return ExitCode.Ok;
  }
  ctx.stdout.write(
    formatRunsTable(runs, {
      now: ctx.now(),
      relative: ctx.isStdoutTTY,
      chalk: ctx.chalk.stdout,
      ...(ctx.isStdoutTTY ? { width: ctx.columns('stdout') ?? 80 } : {}),
    }),
  );
  return ExitCode.Ok;
}

/** `bulkfill runs --json`: one element per run; `summary` has the keys of a run's --json summary. */
function listingJson(run: RunListing) {
  return {
    id: run.runId,
    command: run.command,
    store: run.store,
    apiVersion: run.apiVersion,
    startedAt: run.startedAt,
    finishedAt: run.endedAt,
    dryRun: run.dryRun,
    status: run.status,
    user: run.user,
    host: run.host,
    summary: run.counts,
    resumeCommand: canResume(run) ? resumeCommand(run) : null,
    journal: run.journal,
  };
}

async function showCommand(ctx: Context, idOrLast: string, json: boolean): Promise<number> {
  const runId = await resolveRunId(ctx.stateDir, idOrLast);
  const journal = journalPath(ctx.stateDir, runId);
  const run = await runDetails(historyDeps(ctx), runId, journal);
  if (!run) throw unreadableJournal(runId, journal);
  const defaultCsv = defaultFailuresCsvPath(journal);
  const failuresCsv = (await isFile(defaultCsv)) ? defaultCsv : null;

  if (json) {
    const { summary: _counts, ...listed } = listingJson(run);
    const document = { ...listed, options: run.options, failuresCsv };
    await writeReportDocument(ctx.stdout, document, run.counts, readReportOrders(journal, { dryRun: run.dryRun }));
    return ExitCode.Ok;
  }
  ctx.stdout.write(formatRunDetails(run, { now: ctx.now(), chalk: ctx.chalk.stdout, failuresCsv }));
  return ExitCode.Ok;
}

async function failuresCommand(ctx: Context, idOrLast: string): Promise<number> {
  const runId = await resolveRunId(ctx.stateDir, idOrLast);
  const rows = await printFailuresCsv(ctx.stdout, readOutcomes(journalPath(ctx.stateDir, runId)));
  if (ctx.isStderrTTY && !ctx.globals.quiet) {
    ctx.stderr.write(
      rows === 0 ? `Run ${runId} has no failed or unknown orders.\n` : `${countOf(rows, 'failed or unknown order')} of run ${runId}.\n`,
    );
  }
  return ExitCode.Ok;
}

function unreadableJournal(runId: string, journal: string): UsageError {
  return new UsageError(
    `The journal of run ${runId} does not start with a readable header: ${journal}.`,
    'bulkfill writes the header first, so the file was cut short while being created or changed by something else.',
  );
}

function journalDir(ctx: Context): string {
  return join(ctx.stateDir, 'runs');
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
