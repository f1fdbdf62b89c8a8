// After a run: input problems, the failures CSV, --json on stdout, the result on stderr, the exit code.
import type { Context } from '../../context.js';
import { ExitCode } from '../../errors.js';
import { defaultFailuresCsvPath, writeFailuresCsv } from '../../report/failures-csv.js';
import { failureGroups, readOutcomes, readReportOrders } from '../../journal/outcomes.js';
import { writeJsonReport } from '../../report/json-report.js';
import type { RunReport } from '../../run/runner.js';
import { formatResult } from '../../ui/result-view.js';
import { safeForTerminal } from '../../ui/terminal-text.js';

const SHOWN_PROBLEMS = 20;

export interface ReportRequest {
  action: { name: string; doneVerb: string };
  report: RunReport;
  problems: string[];
  json: boolean;
  failuresPath: string | undefined;
  /** The action's flags that reproduce this run's options, for the retry command. */
  actionFlags: string[];
}

export async function reportRun(ctx: Context, { action, report, problems, json, failuresPath, actionFlags }: ReportRequest): Promise<number> {
  // A problem names its input (a path as typed) and may quote what the store or a CSV cell said.
  for (const problem of problems.slice(0, SHOWN_PROBLEMS)) ctx.stderr.write(`${safeForTerminal(problem)}\n`);
  if (problems.length > SHOWN_PROBLEMS) ctx.stderr.write(`… and ${problems.length - SHOWN_PROBLEMS} more input problems\n`);
  const failed = [];
  // Done orders told apart by how they were done (cancel-request: "withdrawn" or "cancellation requested").
  const doneWays = new Map<string, number>();
  for await (const outcome of readOutcomes(report.journal)) {
    if (outcome.outcome === 'failed' || outcome.outcome === 'unknown') failed.push(outcome);
    else if (outcome.outcome === 'done' && outcome.message) doneWays.set(outcome.message, (doneWays.get(outcome.message) ?? 0) + 1);
  }
  let failuresCsv: string | null = null;
  if (failed.length && !report.dryRun) {
    failuresCsv = failuresPath ?? defaultFailuresCsvPath(report.journal);
    await writeFailuresCsv(failuresCsv, failed);
  }
  if (json) await writeJsonReport(ctx.stdout, report, readReportOrders(report.journal, { dryRun: report.dryRun }), { command: action.name });
  if (!ctx.globals.quiet || failed.length) {
    const retryCommand = failuresCsv
      ? ['bulkfill', action.name, '--csv', failuresCsv, '--store', report.store, ...actionFlags].map(shellWord).join(' ')
      : null;
    const details = { failures: failureGroups(failed), failuresCsv, retryCommand, command: action.name, doneVerb: action.doneVerb, doneWays };
    ctx.stderr.write(`${formatResult(report, details, ctx.chalk.stderr)}\n`);
  }
  if (report.stopped === 'interrupted') return ctx.interrupts.kind === 'SIGTERM' ? ExitCode.Sigterm : ExitCode.Sigint;
  if (report.stopped === 'declined') return ExitCode.Ok;
  return failed.length || problems.length ? ExitCode.RunFailed : ExitCode.Ok;
}

const shellWord = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`);
