// Writes what classifyError decided to stderr and returns the exit code.

import type { Context } from '../context.js';
import { classifyError, ExitCode } from '../errors.js';

export function reportError(error: unknown, ctx: Context): number {
  const report = classifyError(error, ctx.interrupts.kind);
  const style = ctx.chalk.stderr;
  const lines: string[] = [];
  if (report.message !== undefined) {
    const interrupted = report.exitCode === ExitCode.Sigint || report.exitCode === ExitCode.Sigterm;
    lines.push(interrupted ? style.dim(report.message) : `${style.red('error:')} ${report.message}`);
  }
  if (report.hint) lines.push(style.dim(`hint: ${report.hint}`));
  if (report.stack) {
    lines.push(
      ctx.globals.verbose
        ? style.dim(report.stack)
        : style.dim('This looks like a bug in bulkfill. Run again with --verbose to see the stack trace.'),
    );
  }
  if (lines.length > 0) ctx.stderr.write(`${lines.join('\n')}\n`);
  return report.exitCode;
}
