// Writes what classifyError decided to stderr and returns the exit code.

import type { Context } from '../context.js';
import { classifyError, ExitCode } from '../errors.js';
import { redactTokens } from '../shopify/redact.js';
import { safeForTerminal } from '../ui/terminal-text.js';

export function reportError(error: unknown, ctx: Context): number {
  const report = classifyError(error, ctx.interrupts.kind);
  const style = ctx.chalk.stderr;
  // Messages can quote Shopify ("Shopify refused a query: …"), a server's HTTP error text, a path or a
  // CSV cell: escape sequences and control characters go before colouring; our own line breaks stay.
  // An unexpected error may quote anything, the token included: it is taken out first.
  const safe = (text: string) => safeForTerminal(redactTokens(text, [ctx.env.SHOPIFY_ACCESS_TOKEN?.trim()]), { multiline: true });
  const lines: string[] = [];
  if (report.message !== undefined) {
    const interrupted = report.exitCode === ExitCode.Sigint || report.exitCode === ExitCode.Sigterm;
    const message = safe(report.message);
    lines.push(interrupted ? style.dim(message) : `${style.red('error:')} ${message}`);
  }
  if (report.hint) lines.push(style.dim(`hint: ${safe(report.hint)}`));
  if (report.stack) {
    lines.push(
      ctx.globals.verbose
        ? style.dim(safe(report.stack))
        : style.dim('This looks like a bug in bulkfill. Run again with --verbose to see the stack trace.'),
    );
  }
  if (lines.length > 0) ctx.stderr.write(`${lines.join('\n')}\n`);
  return report.exitCode;
}
