// The result, as people read it on stderr when a run ends (docs/shopify-behaviour.md#run-result):
//   - success: one line with the counts and the duration;
//   - failures: how many orders failed or are unknown, their reasons grouped (count + sample names),
//     where the failures CSV is, and the command that retries exactly those orders;
//   - interrupted: what is left and how to resume; declined: that nothing changed.
// Glyphs only with colour (chalk level > 0); plain ASCII otherwise, so cron logs stay clean.

import type { ChalkInstance } from 'chalk';

import type { FailureGroup } from '../journal/outcomes.js';
import { summarizeRun, type RunReport } from '../run/runner.js';
import { countOf, formatCount, formatDuration, reasonLines } from './format.js';
import { safeForTerminal } from './terminal-text.js';

export interface ResultDetails {
  failures: FailureGroup[];
  /** Where the failures CSV was written, or null when none was. */
  failuresCsv: string | null;
  /** A command that retries exactly the failed orders (e.g. `bulkfill cancel --csv <file> ...`). */
  retryCommand: string | null;
  /** The command, for the resume hint (e.g. "cancel"). */
  command?: string;
  /** The action's past-tense verb (e.g. "cancelled"); default "done". */
  doneVerb?: string;
  /** Done orders by how they were done, when an action does them more than one way ("withdrawn": 3). */
  doneWays?: ReadonlyMap<string, number>;
}

export function formatResult(report: RunReport, details: ResultDetails, chalk: ChalkInstance): string {
  const color = chalk.level > 0;
  const glyph = {
    ok: color ? chalk.green('✔') : 'OK',
    fail: color ? chalk.red('✖') : 'FAIL',
  };
  const verb = details.doneVerb ?? 'done';
  const summary = summarizeRun(report);
  const duration = formatDuration(Date.parse(report.finishedAt) - Date.parse(report.startedAt));
  const lines: string[] = [];

  const counts = (): string => {
    const parts: string[] = [];
    const ways = [...(details.doneWays ?? [])].map(([way, n]) => `${formatCount(n)} ${safeForTerminal(way)}`).join(', ');
    if (summary.done > 0 || (summary.already === 0 && summary.skipped === 0))
      parts.push(`${formatCount(summary.done)} ${verb}${ways ? ` (${ways})` : ''}`);
    if (summary.already > 0) parts.push(`${formatCount(summary.already)} already ${verb}`);
    if (summary.skipped > 0) parts.push(`${formatCount(summary.skipped)} skipped`);
    return parts.join(', ');
  };
  const resume = `bulkfill ${details.command ?? '<command>'} --resume ${report.runId}`;

  if (report.dryRun) {
    const failed = summary.failed > 0 ? `, ${formatCount(summary.failed)} not found or failed` : '';
    lines.push(
      `${glyph.ok} Dry run: nothing changed. ${formatCount(report.plan.act)} to act on, ${formatCount(summary.already)} already ${verb}, ${formatCount(summary.skipped)} skipped${failed}.`,
    );
  } else if (summary.selected === 0) {
    lines.push(`${glyph.ok} No orders selected: nothing to do.`);
  } else if (report.stopped === 'declined') {
    lines.push(`Nothing changed: the plan was not confirmed.`);
  } else if (report.stopped === 'interrupted') {
    const notStarted = report.execution?.notStarted ?? report.plan.act;
    lines.push(`${chalk.yellow('Stopped.')} ${countOf(notStarted, 'order')} not started. Resume with: ${chalk.bold(resume)}`);
    lines.push(`  So far: ${counts()} in ${duration}.`);
  } else if (summary.failed === 0 && summary.unknown === 0) {
    lines.push(`${glyph.ok} ${counts()} in ${duration}`);
  }

  const unsettled = summary.failed + summary.unknown;
  if (unsettled > 0 && !report.dryRun) {
    if (report.stopped === null) lines.push(`${counts()} in ${duration}`);
    const what = [
      summary.failed > 0 ? `${formatCount(summary.failed)} failed` : '',
      summary.unknown > 0 ? `${formatCount(summary.unknown)} unknown` : '',
    ]
      .filter(Boolean)
      .join(', ');
    lines.push(`${glyph.fail} ${chalk.red(what)} (of ${countOf(summary.selected, 'order')})`);
    // Reasons, names and messages come from the store (and the journal): sanitised before colouring.
    const groups = details.failures.map((g) => ({
      reason: safeForTerminal(g.reason),
      count: g.count,
      sample: g.sample.map((name) => safeForTerminal(name)),
      message: g.message ? safeForTerminal(g.message) : undefined,
    }));
    reasonLines(groups, { ellipsis: color ? '…' : '...', dim: (text) => chalk.dim(text) }).forEach((line, i) => {
      lines.push(line);
      const message = groups[i]!.message;
      if (message) lines.push(chalk.dim(`    ${message}`));
    });
    if (summary.unknown > 0 && report.stopped !== 'interrupted') {
      lines.push(`Unknown orders were sent but not confirmed; resuming settles them: ${resume}`);
    }
    if (details.failuresCsv) lines.push(`Failures written to: ${safeForTerminal(details.failuresCsv)}`);
    if (details.retryCommand) lines.push(`Retry them with: ${chalk.bold(safeForTerminal(details.retryCommand))}`);
  }
  return `${lines.join('\n')}\n`;
}
