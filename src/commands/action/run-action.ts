// The one flow behind every action command: check the flags, connect, select, plan, ask, run, report.
// An action command supplies only its action, its own flags and how they become options.
import type { BulkAction, OrderSnapshot } from '../../actions/action.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { EventHub } from '../../run/events.js';
import { readJournalHeader } from '../../run/journal.js';
import { journalPath, resolveRunId } from '../../run/run-store.js';
import { DEFAULT_ENGINE_SETTINGS, resumeRun, startRun, storeOf, type RunReport, type RunSpec } from '../../run/runner.js';
import { resolveConnection, type Connection } from '../../shopify/credentials.js';
import { formatPlan } from '../../ui/plan-view.js';
import { createProgress } from '../../ui/progress.js';
import type { CommonFlags } from './flags.js';
import { reportRun } from './report-run.js';
import { namesAnyOrders, selectOrders } from './select-orders.js';

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

export function runActionCommand<Flags extends CommonFlags, Options>(
  ctx: Context,
  spec: ActionCommandSpec<Flags, Options>,
  flags: Flags,
  positional: string[],
): Promise<number> {
  const command = new ActionCommand(ctx, spec, flags);
  return flags.resume === undefined ? command.start(positional) : command.resume(flags.resume);
}

class ActionCommand<Flags extends CommonFlags, Options> {
  constructor(
    private readonly ctx: Context,
    private readonly spec: ActionCommandSpec<Flags, Options>,
    private readonly flags: Flags,
  ) {}

  async start(positional: string[]): Promise<number> {
    this.checkFlags(positional);
    const connection = await resolveConnection(this.flags, this.ctx.env, this.ctx.cwd);
    const options = this.spec.options(this.flags, connection);
    const problems: string[] = [];
    const report = await this.observed(this.flags.dryRun === true, connection, options, (runSpec) =>
      startRun(this.ctx, runSpec, (requester, signal) =>
        selectOrders(this.ctx, this.flags, positional, requester, signal, problems, this.spec.action.lookup(options).export),
      ),
    );
    return this.report(report, options, problems);
  }

  async resume(idOrLast: string): Promise<number> {
    if (this.flags.dryRun) throw new UsageError('--dry-run cannot be combined with --resume: a resumed run carries on acting.');
    if (!this.ctx.canPrompt() && !this.flags.yes) {
      throw new UsageError('Missing --yes.', 'Not running interactively (no terminal, CI, or --no-input), so --resume needs --yes.');
    }
    const runId = await resolveRunId(this.ctx.stateDir, idOrLast);
    const header = await readJournalHeader(journalPath(this.ctx.stateDir, runId));
    if (header.command !== this.spec.action.name) {
      throw new UsageError(`Run ${runId} is a ${header.command} run.`, `Resume it with: bulkfill ${header.command} --resume ${runId}`);
    }
    const flags = { ...this.flags, store: this.flags.store ?? header.store, apiVersion: header.apiVersion };
    const connection = await resolveConnection(flags, this.ctx.env, this.ctx.cwd);
    if (storeOf(connection) !== header.store) {
      throw new UsageError(`Run ${runId} was against ${header.store}, not ${storeOf(connection)}.`);
    }
    const options = this.spec.restore(header.options, connection);
    const report = await this.observed(false, connection, options, (runSpec, progress) =>
      resumeRun(this.ctx, runSpec, runId, (total) => progress.setTotal(total)),
    );
    return this.report(report, options, []);
  }

  /** Everything wrong with the flags at once: selection, the action's own, and --yes off a terminal. */
  private checkFlags(positional: string[]): void {
    if (!namesAnyOrders(this.flags, positional)) {
      throw new UsageError('No orders selected.', 'Pass order ids or names, --ids, --csv <file|->, or --query "<search>".');
    }
    const missing = this.spec.missingFlags(this.flags);
    const interactive = this.ctx.canPrompt() && this.flags.csv !== '-';
    if (!interactive && !this.flags.dryRun && !this.flags.yes) missing.push('--yes');
    if (missing.length) {
      throw new UsageError(
        `Missing ${missing.join(', ')}.`,
        interactive ? undefined : 'Not running interactively (no terminal, CI, or --no-input), so these must be given as flags.',
      );
    }
  }

  /** Runs `body` with the progress display following the run's events. */
  private async observed(
    dryRun: boolean,
    connection: Connection,
    options: Options,
    body: (spec: RunSpec<Options>, progress: ReturnType<typeof createProgress>) => Promise<RunReport>,
  ): Promise<RunReport> {
    const events = new EventHub();
    const progress = createProgress(this.ctx, { label: this.spec.label });
    events.on((event) => progress.onEvent(event));
    const { ctx, flags, spec } = this;
    const runSpec: RunSpec<Options> = {
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
        ...(flags.settleDeadline !== undefined ? { settleDeadlineMs: flags.settleDeadline } : {}),
      },
      events,
      showPlan: (plan) => {
        progress.pause();
        if (!ctx.globals.quiet) ctx.stderr.write(`${formatPlan(plan, { action: spec.action.name, dryRun, chalk: ctx.chalk.stderr })}\n`);
      },
      approve: async () =>
        flags.yes === true || ctx.prompter.confirm({ message: 'Go ahead? This cannot be undone.', default: false }),
    };
    try {
      return await body(runSpec, progress);
    } finally {
      progress.stop();
    }
  }

  private report(report: RunReport, options: Options, problems: string[]): Promise<number> {
    return reportRun(this.ctx, {
      action: this.spec.action,
      report,
      problems,
      json: this.flags.json === true,
      failuresPath: this.flags.failures,
      actionFlags: this.spec.flagsFor(options),
    });
  }
}
