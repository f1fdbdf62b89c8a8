// The one flow behind every action command: check the flags, connect, select, plan, ask, run, report.
// An action command supplies only its action, its own flags and how they become options.
import type { ActionCommandSpec } from '../../actions/definition.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { EventHub } from '../../run/events.js';
import { readJournalHeader } from '../../journal/reader.js';
import { summarizeJournal } from '../../journal/resume-state.js';
import { journalPath, resolveRunId } from '../../journal/store.js';
import { DEFAULT_ENGINE_SETTINGS, resumeRun, startRun, storeOf, type RunReport, type RunSpec } from '../../run/runner.js';
import { resolveConnection, type Connection } from '../../config/credentials.js';
import { formatPlan } from '../../ui/plan-view.js';
import { createProgress } from '../../ui/progress.js';
import { isDeferred, type DeferredOptions } from '../../run/planner.js';
import type { CommonFlags } from '../../actions/common-flags.js';
import { reportRun } from './report-run.js';
import { preflightSelection } from '../../selection/preflight.js';
import { SELECTION_SOURCES, selectionReadsStdin, selectsOrders } from '../../selection/registry.js';
import { openSelection, selectOrders } from '../../selection/select-orders.js';

export function runActionCommand<Flags extends CommonFlags, Options>(
  ctx: Context,
  spec: ActionCommandSpec<Flags, Options>,
  flags: Flags,
  positional: string[],
): Promise<number> {
  const command = new ActionCommand(ctx, spec, flags);
  return flags.resume === undefined ? command.start(positional) : command.resume(flags.resume, positional);
}

class ActionCommand<Flags extends CommonFlags, Options> {
  constructor(
    private readonly ctx: Context,
    private readonly spec: ActionCommandSpec<Flags, Options>,
    private readonly flags: Flags,
  ) {}

  async start(positional: string[]): Promise<number> {
    // Where the run would go is checked first: a store that must not get the token is refused outright.
    const connection = await resolveConnection(this.flags, this.ctx.env, this.ctx.cwd, this.ctx.configDir);
    const interactive = this.checkFlags(positional);
    // Input that cannot be right fails before anything connects.
    preflightSelection(this.flags, positional);
    const selection = openSelection(this.flags, positional, this.ctx);
    const { spec, flags } = this;
    let chosen: Options | null = null;
    // Whatever the flags left open is asked once the selection is read, offering what it holds.
    const asks = interactive && (spec.missingFlags(flags).length > 0 || spec.asksAnyway?.(flags) === true);
    const options: Options | DeferredOptions<Options> = !asks
      ? (chosen = spec.options(flags, connection))
      : {
          known: spec.known?.(flags) ?? {},
          choose: async (survey) => (chosen = spec.options(await spec.ask(flags, survey, this.ctx.prompter), connection)),
        };
    const problems: string[] = [];
    const report = await this.observed(flags.dryRun === true, connection, options, (runSpec, progress) =>
      startRun(this.ctx, { ...runSpec, options: withPause(options, progress) }, (requester, signal) =>
        selectOrders(
          this.ctx,
          selection,
          flags.strict === true,
          requester,
          signal,
          problems,
          spec.action.lookup(chosen ?? spec.known?.(flags) ?? {}),
        ),
      ),
    );
    return this.report(report, chosen, problems);
  }

  async resume(idOrLast: string, positional: string[]): Promise<number> {
    if (this.flags.dryRun) throw new UsageError('--dry-run cannot be combined with --resume: a resumed run carries on acting.');
    if (selectsOrders(this.flags, positional)) {
      const names = SELECTION_SOURCES.map((source) => source.name);
      throw new UsageError(
        `--resume carries on with the orders of the run it resumes; it takes no ${names.slice(0, -1).join(', ')} or ${names.at(-1)}.`,
      );
    }
    if (!this.ctx.canPrompt() && !this.flags.yes) {
      throw new UsageError('Missing --yes.', 'Not running interactively (no terminal, CI, or --no-input), so --resume needs --yes.');
    }
    const runId = await resolveRunId(this.ctx.stateDir, idOrLast);
    const header = await readJournalHeader(journalPath(this.ctx.stateDir, runId));
    if (header.command !== this.spec.action.name) {
      throw new UsageError(`Run ${runId} is a ${header.command} run.`, `Resume it with: bulkfill ${header.command} --resume ${runId}`);
    }
    if (header.options.dryRun === true) {
      throw new UsageError(
        `Run ${runId} was a dry run: there is nothing to resume.`,
        `Run it for real with: bulkfill ${header.command} … without --dry-run`,
      );
    }
    const flags = { ...this.flags, store: this.flags.store ?? header.store, apiVersion: header.apiVersion };
    const connection = await resolveConnection(flags, this.ctx.env, this.ctx.cwd, this.ctx.configDir);
    if (storeOf(connection) !== header.store) {
      throw new UsageError(`Run ${runId} was against ${header.store}, not ${storeOf(connection)}.`);
    }
    const options = this.spec.restore((await summarizeJournal(journalPath(this.ctx.stateDir, runId))).options, connection);
    const report = await this.observed(false, connection, options, (runSpec, progress) =>
      resumeRun(this.ctx, runSpec, runId, (total) => progress.setTotal(total)),
    );
    return this.report(report, options, []);
  }

  /**
   * Everything wrong with the flags at once: selection, the action's own, and --yes off a terminal.
   * True when the run may ask questions (a terminal, and stdin is not the CSV).
   */
  private checkFlags(positional: string[]): boolean {
    if (!selectsOrders(this.flags, positional)) {
      const usages = SELECTION_SOURCES.map((source) => source.usage);
      throw new UsageError('No orders selected.', `Pass ${usages.slice(0, -1).join(', ')}, or ${usages.at(-1)}.`);
    }
    const interactive = this.ctx.canPrompt() && !selectionReadsStdin(this.flags);
    if (interactive) return true; // what is missing is asked once the selection is read
    const missing = this.spec.missingFlags(this.flags);
    if (!this.flags.dryRun && !this.flags.yes) missing.push('--yes');
    if (missing.length) {
      throw new UsageError(
        `Missing ${missing.join(', ')}.`,
        'Not running interactively (no terminal, CI, or --no-input, or stdin is the CSV), so these must be given as flags.',
      );
    }
    return false;
  }

  /** Runs `body` with the progress display following the run's events. */
  private async observed<Given extends Options | DeferredOptions<Options>>(
    dryRun: boolean,
    connection: Connection,
    options: Given,
    body: (spec: RunSpec<Options> & { options: Given }, progress: ReturnType<typeof createProgress>) => Promise<RunReport>,
  ): Promise<RunReport> {
    const events = new EventHub();
    const progress = createProgress(this.ctx, { label: this.spec.labels.progress, keys: !selectionReadsStdin(this.flags) });
    events.on((event) => progress.onEvent(event));
    const { ctx, flags, spec } = this;
    const runSpec: RunSpec<Options> & { options: Given } = {
      action: spec.action,
      options,
      record: (chosen) => spec.record(chosen),
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
      showPlan: (plan, chosen) => {
        progress.pause();
        if (ctx.globals.quiet) return;
        const notes = chosen && plan.act > 0 ? (spec.planNotes?.(chosen) ?? []) : [];
        const style = ctx.chalk.stderr;
        const plain = formatPlan(plan, { action: spec.action.name, labels: spec.labels, dryRun, chalk: style });
        ctx.stderr.write(`${plain}${notes.map((note) => `  ${style.yellow(note)}\n`).join('')}\n`);
      },
      approve: async (plan, chosen) => flags.yes === true || ctx.prompter.confirm({ message: spec.confirmation(plan, chosen), default: false }),
    };
    try {
      return await body(runSpec, progress);
    } finally {
      progress.stop();
    }
  }

  /** `options` is null when no order was selected to ask about. */
  private report(report: RunReport, options: Options | null, problems: string[]): Promise<number> {
    return reportRun(this.ctx, {
      action: this.spec.action,
      report,
      problems,
      json: this.flags.json === true,
      failuresPath: this.flags.failures,
      actionFlags: [...(options ? this.spec.flagsFor(options) : []), ...this.connectionFlags()],
    });
  }

  /** What the retry command needs besides the action's options to run as this one did. */
  private connectionFlags(): string[] {
    const { profile, tokenFile, apiVersion, yes } = this.flags;
    return [
      ...(profile ? ['--profile', profile] : []),
      ...(tokenFile ? ['--token-file', tokenFile] : []),
      ...(apiVersion ? ['--api-version', apiVersion] : []),
      ...(yes ? ['--yes'] : []),
    ];
  }
}

/** The live line must leave the terminal before anyone is asked anything. */
function withPause<Options>(options: Options | DeferredOptions<Options>, progress: { pause(): void }): Options | DeferredOptions<Options> {
  if (!isDeferred(options)) return options;
  return { known: options.known, choose: (survey) => (progress.pause(), options.choose(survey)) };
}
