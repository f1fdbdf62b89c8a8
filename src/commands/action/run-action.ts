// The one flow behind every action command: check the flags, connect, select, plan, ask, run, report.
// An action command supplies only its action, its own flags and how they become options.
import { confirm } from '@inquirer/prompts';
import type { BulkAction, OrderSnapshot } from '../../actions/action.js';
import type { Context } from '../../context.js';
import { ExitCode, UsageError } from '../../errors.js';
import { failureGroups, readOutcomes, readReportOrders } from '../../report/journal-outcomes.js';
import { writeFailuresCsv } from '../../report/failures-csv.js';
import { writeJsonReport } from '../../report/json-report.js';
import { EventHub } from '../../run/events.js';
import { ordersFromQuery, resolveSelection, type SelectedOrder } from '../../run/resolve-selection.js';
import { DEFAULT_ENGINE_SETTINGS, resumeRun, startRun, storeOf, type RunReport, type RunSpec } from '../../run/runner.js';
import { journalPath, resolveRunId } from '../../run/run-store.js';
import { readJournalHeader } from '../../run/journal.js';
import { openCsvInput } from '../../selection/open-input.js';
import { concatSources, dedupe, refsFromArguments, refsFromCsv, type SelectionEvent } from '../../selection/sources.js';
import { resolveConnection, type Connection } from '../../shopify/credentials.js';
import { formatPlan } from '../../ui/plan-view.js';
import { createProgress, type Progress } from '../../ui/progress.js';
import { formatResult } from '../../ui/result-view.js';
import type { CommonFlags } from './flags.js';

export interface ActionCommandSpec<Flags, Options> {
  action: BulkAction<Options, OrderSnapshot, unknown>;
  /** For the progress bar: "Cancelling". */
  label: string;
  requiredScopes: string[];
  /** The action's flags that are missing and that a non-interactive run must be given. */
  missingFlags(flags: Flags): string[];
  options(flags: Flags, connection: Connection): Options;
  /** What the journal keeps of the options, and how a resumed run gets them back. */
  record(options: Options): Record<string, unknown>;
  restore(recorded: Record<string, unknown>, connection: Connection): Options;
  /** The action's flags that reproduce the options, for the "retry these" command. */
  flagsFor(options: Options): string[];
}

export async function runActionCommand<Flags extends CommonFlags, Options>(
  ctx: Context,
  spec: ActionCommandSpec<Flags, Options>,
  flags: Flags,
  positional: string[],
): Promise<number> {
  if (flags.resume !== undefined) return resume(ctx, spec, flags);
  checkFlags(ctx, spec, flags, positional);
  const connection = await resolveConnection(flags, ctx.env, ctx.cwd);
  const options = spec.options(flags, connection);
  const problems: string[] = [];
  const report = await run(ctx, spec, flags, connection, options, (requester, signal) => select(ctx, flags, positional, requester, signal, problems));
  return finish(ctx, spec, flags, options, report, problems);
}

async function resume<Flags extends CommonFlags, Options>(ctx: Context, spec: ActionCommandSpec<Flags, Options>, flags: Flags): Promise<number> {
  const runId = await resolveRunId(ctx.stateDir, flags.resume!);
  const header = await readJournalHeader(journalPath(ctx.stateDir, runId));
  if (header.command !== spec.action.name) {
    throw new UsageError(`Run ${runId} is a ${header.command} run.`, `Resume it with: bulkfill ${header.command} --resume ${runId}`);
  }
  const connection = await resolveConnection({ ...flags, store: flags.store ?? header.store, apiVersion: header.apiVersion }, ctx.env, ctx.cwd);
  if (storeOf(connection) !== header.store) {
    throw new UsageError(`Run ${runId} was against ${header.store}, not ${storeOf(connection)}.`);
  }
  const options = spec.restore(header.options, connection);
  const observers = observe(ctx, spec.label);
  try {
    const report = await resumeRun(ctx, specFor(ctx, spec, flags, connection, options, observers, false), runId, (total) => observers.progress.setTotal(total));
    return finish(ctx, spec, flags, options, report, []);
  } finally {
    observers.progress.stop();
  }
}

async function run<Flags extends CommonFlags, Options>(
  ctx: Context,
  spec: ActionCommandSpec<Flags, Options>,
  flags: Flags,
  connection: Connection,
  options: Options,
  selection: Parameters<typeof startRun>[2],
): Promise<RunReport> {
  const observers = observe(ctx, spec.label);
  try {
    return await startRun(ctx, specFor(ctx, spec, flags, connection, options, observers, flags.dryRun === true), selection);
  } finally {
    observers.progress.stop();
  }
}

function specFor<Flags extends CommonFlags, Options>(
  ctx: Context,
  spec: ActionCommandSpec<Flags, Options>,
  flags: Flags,
  connection: Connection,
  options: Options,
  { events, progress }: Observers,
  dryRun: boolean,
): RunSpec<Options> {
  return {
    action: spec.action,
    options,
    recordedOptions: spec.record(options),
    connection,
    requiredScopes: spec.requiredScopes,
    dryRun,
    limit: flags.limit ?? null,
    settings: {
      ...DEFAULT_ENGINE_SETTINGS,
      ...(flags.concurrency ? { concurrency: flags.concurrency } : {}),
      ...(flags.timeout ? { timeoutMs: flags.timeout } : {}),
    },
    events,
    showPlan: (plan) => {
      progress.pause();
      if (!ctx.globals.quiet) ctx.stderr.write(`${formatPlan(plan, { action: spec.action.name, dryRun, chalk: ctx.chalk.stderr })}\n`);
    },
    approve: async () => {
      if (flags.yes) return true;
      return confirm({ message: `Go ahead? This cannot be undone.`, default: false }, { input: ctx.stdin, output: ctx.stderr });
    },
  };
}

interface Observers {
  events: EventHub;
  progress: Progress;
}

function observe(ctx: Context, label: string): Observers {
  const events = new EventHub();
  const progress = createProgress(ctx, { label });
  events.on((event) => progress.onEvent(event));
  return { events, progress };
}

/** Everything wrong with the flags at once: selection, the action's own, and --yes off a terminal. */
function checkFlags<Flags extends CommonFlags, Options>(ctx: Context, spec: ActionCommandSpec<Flags, Options>, flags: Flags, positional: string[]): void {
  const selects = positional.length > 0 || (flags.ids?.length ?? 0) > 0 || flags.csv !== undefined || flags.query !== undefined || flags.olderThan !== undefined;
  if (!selects) throw new UsageError('No orders selected.', 'Pass order ids or names, --ids, --csv <file|->, or --query "<search>".');
  if (flags.csv === '-' && positional.includes('-')) throw new UsageError('Use --csv - to read orders from stdin.');
  const missing = spec.missingFlags(flags);
  const interactive = ctx.canPrompt() && flags.csv !== '-';
  if (!interactive && !flags.dryRun && !flags.yes) missing.push('--yes');
  if (missing.length) {
    throw new UsageError(
      `Missing ${missing.join(', ')}.`,
      interactive ? undefined : 'Not running interactively (no terminal, CI, or --no-input), so these must be given as flags.',
    );
  }
}

/** Input problems are kept for the end: a live progress bar owns the terminal meanwhile. */
function select(
  ctx: Context,
  flags: CommonFlags,
  positional: string[],
  requester: Parameters<typeof resolveSelection>[1],
  signal: AbortSignal,
  problems: string[],
): AsyncIterable<SelectedOrder> {
  const sources: AsyncIterable<SelectionEvent>[] = [refsFromArguments(positional, (flags.ids ?? []).flatMap((v) => v.split(',')))];
  if (flags.csv !== undefined) {
    const input = openCsvInput(flags.csv, ctx);
    sources.push(refsFromCsv(input.stream, input.label));
  }
  const byRef = resolveSelection(dedupe(concatSources(...sources)), requester, signal, {
    problem: (p) => problems.push(`${p.origin}: ${p.message}`),
    notFound: (origin, what) => problems.push(`${origin}: ${what} not found`),
  });
  const query = searchQuery(ctx, flags);
  if (query === null) return byRef;
  return (async function* () {
    yield* byRef;
    yield* ordersFromQuery(query, requester, signal);
  })();
}

/** The search query, with --older-than's created_at bound computed now. */
function searchQuery(ctx: Context, flags: CommonFlags): string | null {
  const bound = flags.olderThan === undefined ? null : `created_at:<'${new Date(ctx.now() - flags.olderThan).toISOString()}'`;
  if (flags.query === undefined) return bound;
  return bound ? `(${flags.query}) ${bound}` : flags.query;
}

const SHOWN_PROBLEMS = 20;

async function finish<Flags extends CommonFlags, Options>(
  ctx: Context,
  spec: ActionCommandSpec<Flags, Options>,
  flags: Flags,
  options: Options,
  report: RunReport,
  problems: string[],
): Promise<number> {
  for (const problem of problems.slice(0, SHOWN_PROBLEMS)) ctx.stderr.write(`${problem}\n`);
  if (problems.length > SHOWN_PROBLEMS) ctx.stderr.write(`… and ${problems.length - SHOWN_PROBLEMS} more input problems\n`);
  const outcomes = await collect(readOutcomes(report.journal));
  const failed = outcomes.filter((o) => o.outcome === 'failed' || o.outcome === 'unknown');
  let failuresCsv: string | null = null;
  if (failed.length && !report.dryRun) {
    failuresCsv = flags.failures ?? report.journal.replace(/\.jsonl$/, '.failures.csv');
    await writeFailuresCsv(failuresCsv, failed);
  }
  if (flags.json) await writeJsonReport(ctx.stdout, report, readReportOrders(report.journal, { dryRun: report.dryRun }), { command: spec.action.name });
  if (!ctx.globals.quiet || failed.length) {
    const retryCommand = failuresCsv
      ? ['bulkfill', spec.action.name, '--csv', failuresCsv, '--store', report.store, ...spec.flagsFor(options)].map(shellWord).join(' ')
      : null;
    const details = { failures: failureGroups(failed), failuresCsv, retryCommand, command: spec.action.name, doneVerb: spec.action.doneVerb };
    ctx.stderr.write(`${formatResult(report, details, ctx.chalk.stderr)}\n`);
  }
  if (report.stopped === 'interrupted') return ctx.interrupts.kind === 'SIGTERM' ? ExitCode.Sigterm : ExitCode.Sigint;
  if (report.stopped === 'declined') return ExitCode.Ok;
  return failed.length || problems.length ? ExitCode.RunFailed : ExitCode.Ok;
}

const shellWord = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`);

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
