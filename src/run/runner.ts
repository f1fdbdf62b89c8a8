// One run, start to finish: connect and check the token, take the store+action lock, open the journal,
// plan (or, on resume, read the plan back), confirm, execute, and finish the journal. Everything shown
// to people goes through the RunEvents and the returned report; this file never prints.
import { setMaxListeners } from 'node:events';
import type { BulkAction, OrderSnapshot } from '../actions/action.js';
import type { RunContext } from '../context.js';
import { AuthError, ShopUnavailableError, UsageError } from '../errors.js';
import { SHOP_INFO, SHOP_INFO_COST } from '../shopify/documents/shop.js';
import type { Connection } from '../config/credentials.js';
import type { Transport } from '../shopify/transport.js';
import { Confirmer } from './confirmer.js';
import { CostGate } from './cost-gate.js';
import type { RunEvents } from './events.js';
import { exportOrders } from '../selection/export/bulk-export.js';
import { executePlan, type ExecutionTotals } from './executor.js';
import { JournalWriter } from '../journal/writer.js';
import { isSettled, summarizeJournal, type JournalState } from '../journal/resume-state.js';
import type { RunCounts } from '../journal/format.js';
import { acquireLock, type Lock } from './lock.js';
import { emptyPlanTotals, isDeferred, planOrders, refineSnapshots, type DeferredOptions, type PlannedOrder, type PlanTotals } from './planner.js';
import { Requester } from './requester.js';
import type { SelectedOrder } from '../selection/resolve-selection.js';
import { DEFAULT_RETRY_LIMITS } from './retry-policy.js';
import { newRunId } from '../journal/run-id.js';
import { journalPath } from '../journal/store.js';
import { StepExecutor } from './step-executor.js';

export interface EngineSettings {
  /** Requests in flight at once (the cost gate decides the pace within it). */
  concurrency: number;
  timeoutMs: number;
  /** After the first interrupt, how long in-flight work may take before it is cut. */
  drainMs: number;
  /** How long an accepted asynchronous step may take to show; null: the action's own deadline. */
  settleDeadlineMs: number | null;
}

export const DEFAULT_ENGINE_SETTINGS: EngineSettings = { concurrency: 24, timeoutMs: 30_000, drainMs: 15_000, settleDeadlineMs: null };

export interface RunSpec<Options> {
  action: BulkAction<Options, OrderSnapshot, unknown>;
  /** Known, or chosen by a person once the selection is read (a new run only). */
  options: Options | DeferredOptions<Options>;
  /** What the journal records of the options (for `runs show` and resume); never secrets. */
  record(options: Options): Record<string, unknown>;
  connection: Connection;
  /** Scopes the token must hold; a write scope satisfies its read scope. */
  requiredScopes: string[];
  dryRun: boolean;
  limit: number | null;
  settings: EngineSettings;
  events: RunEvents;
  /** Told the plan once it is complete (and before any change). */
  showPlan(plan: PlanTotals, options: Options | null): void;
  /** Asked after the plan (unless a dry run): true to go ahead. */
  approve(plan: PlanTotals, options: Options): Promise<boolean>;
}

export interface RunReport {
  runId: string;
  journal: string;
  store: string;
  apiVersion: string;
  startedAt: string;
  finishedAt: string;
  dryRun: boolean;
  plan: PlanTotals;
  execution: ExecutionTotals | null;
  /** Set when the run stopped early: by an interrupt, or declined at the confirmation. */
  stopped: 'interrupted' | 'declined' | null;
  gate: ReturnType<CostGate['stats']>;
}

interface Session {
  transport: Transport;
  gate: CostGate;
  requester: Requester;
  lock: Lock;
  journal: JournalWriter;
  runId: string;
  startedAt: string;
}

export async function startRun<Options>(
  ctx: RunContext,
  spec: RunSpec<Options>,
  selection: (requester: Requester, signal: AbortSignal) => AsyncIterable<SelectedOrder>,
): Promise<RunReport> {
  const runId = newRunId(new Date(ctx.now()), ctx.random);
  return withSession(ctx, spec, runId, null, async (session) => {
    spec.events.emit({ type: 'phase', phase: 'selecting' });
    const { planned, totals, options } = await planOrders(selection(session.requester, ctx.interrupts.signal), {
      action: spec.action,
      options: spec.options,
      requester: session.requester,
      journal: session.journal,
      events: spec.events,
      now: ctx.now,
      signal: ctx.interrupts.signal,
      limit: spec.limit,
      keepPlanned: !spec.dryRun,
      record: (options) => ({ ...spec.record(options), dryRun: spec.dryRun, limit: spec.limit }),
    });
    return execute(ctx, spec, options, session, planned, totals, Date.parse(session.startedAt));
  });
}

/**
 * Carries on a run from its journal: orders with no final outcome, reading back whatever may have been
 * sent. The journal is read only once the lock is held, so a run still going cannot change it after.
 */
export async function resumeRun<Options>(
  ctx: RunContext,
  spec: RunSpec<Options> & { options: Options },
  runId: string,
  onTotal: (orders: number) => void = () => {},
): Promise<RunReport> {
  const path = journalPath(ctx.stateDir, runId);
  return withSession(ctx, spec, runId, path, async (session) => {
    const state = await summarizeJournal(path);
    if (!state.planComplete) {
      throw new UsageError(`Run ${runId} stopped while planning; nothing was changed.`, 'Start it again without --resume.');
    }
    const { planned, totals } = unsettledOrders(state, spec.action);
    onTotal(planned.length);
    return execute(ctx, { ...spec, showPlan: () => {} }, spec.options, session, planned, totals, Date.parse(state.header.startedAt));
  });
}

/** What a resume has left to do, with the plan facts (refunds…) of just that, for its confirmation. */
function unsettledOrders(
  state: JournalState,
  action: BulkAction<never, OrderSnapshot, unknown>,
): { planned: PlannedOrder<unknown>[]; totals: PlanTotals } {
  const planned: PlannedOrder<unknown>[] = [];
  const totals = emptyPlanTotals();
  for (const [order, facts] of state.orders) {
    totals.selected++;
    const unsettled = !facts.outcome || !isSettled(facts.outcome.outcome);
    if (!unsettled || !facts.steps) {
      // Settled by the earlier part of the run: counted, not touched again.
      const earlier = facts.outcome?.outcome;
      if (earlier === 'done') totals.done = (totals.done ?? 0) + 1;
      else if (earlier === 'already' || earlier === 'skipped' || earlier === 'failed') totals[earlier]++;
      continue;
    }
    totals.act++;
    for (const step of facts.steps) action.stepFacts?.(step, totals.facts);
    const sent = new Map([...facts.sentSteps].map(([step, at]) => [step, Date.parse(at)]));
    planned.push({ order, name: facts.name, steps: facts.steps, sent, accepted: facts.accepted });
  }
  return { planned, totals };
}

async function execute<Options>(
  ctx: RunContext,
  spec: RunSpec<Options>,
  /** Null when nothing was selected to decide on (no one was asked to choose). */
  options: Options | null,
  session: Session,
  planned: PlannedOrder<unknown>[],
  totals: PlanTotals,
  /** When the run first started (a resumed run's original start), ms. */
  runStartedAt: number,
): Promise<RunReport> {
  const report = (execution: ExecutionTotals | null, stopped: RunReport['stopped']): RunReport => ({
    runId: session.runId,
    journal: session.journal.path,
    store: storeOf(spec.connection),
    apiVersion: spec.connection.apiVersion,
    startedAt: session.startedAt,
    finishedAt: new Date(ctx.now()).toISOString(),
    dryRun: spec.dryRun,
    plan: totals,
    execution,
    stopped,
    gate: session.gate.stats(),
  });
  spec.showPlan(totals, options);
  if (spec.dryRun || planned.length === 0 || options === null) return report(null, null);
  if (!(await spec.approve(totals, options))) return report(null, 'declined');

  const drain = drainAfterInterrupt(ctx, spec.settings.drainMs);
  const abort = drain.signal;
  const confirmation = spec.action.confirmation?.(options) ?? null;
  const settleDeadlineMs = spec.settings.settleDeadlineMs ?? confirmation?.deadlineMs ?? 0;
  spec.events.emit({ type: 'phase', phase: 'executing' });
  const execution = await executePlan(planned, {
    steps: new StepExecutor({
      action: spec.action as BulkAction<unknown, OrderSnapshot, unknown>,
      options,
      requester: session.requester,
      journal: session.journal,
      now: ctx.now,
      sleep: ctx.sleep,
      random: ctx.random,
      limits: DEFAULT_RETRY_LIMITS,
      settleDeadlineMs,
    }),
    confirmer: confirmation
      ? new Confirmer({
          confirmation,
          requester: session.requester,
          now: ctx.now,
          sleep: ctx.sleep,
          deadlineMs: settleDeadlineMs,
          since: runStartedAt,
          exportGids: async (template, search, signal) => {
            const gids = new Set<string>();
            const deps = { requester: session.requester, downloadLines: ctx.network.downloadLines, sleep: ctx.sleep, signal };
            for await (const order of exportOrders({ template }, search, deps)) gids.add(order.gid);
            return gids;
          },
          batchSize: Math.min(
            250,
            Math.floor(990 / Math.max(confirmation.check.document.costPerNode, confirmation.explain?.document.costPerNode ?? 0)),
          ),
        })
      : null,
    journal: session.journal,
    events: spec.events,
    now: ctx.now,
    workers: spec.settings.concurrency,
    stop: ctx.interrupts.signal,
    abort,
    replan: (order) => replan(spec.action, options, session.requester, order.order, order.steps, abort),
  })
    .catch((error: unknown) => {
      throw withResumeHint(error, `bulkfill ${spec.action.name} --resume ${session.runId}`);
    })
    .finally(drain.dispose);
  return report(execution, ctx.interrupts.signal.aborted ? 'interrupted' : null);
}

async function withSession<Options>(
  ctx: RunContext,
  spec: RunSpec<Options>,
  runId: string,
  existingJournal: string | null,
  body: (session: Session) => Promise<RunReport>,
): Promise<RunReport> {
  spec.events.emit({ type: 'phase', phase: 'connecting' });
  setMaxListeners(0, ctx.interrupts.signal);
  const transport = ctx.network.createTransport({
    endpoint: spec.connection.endpoint,
    accessToken: spec.connection.accessToken,
    apiVersion: spec.connection.apiVersion,
    maxConnections: spec.settings.concurrency,
    userAgent: 'bulkfill',
  });
  try {
    const gate = new CostGate({ now: ctx.now, sleep: ctx.sleep, maxInFlight: spec.settings.concurrency });
    const requester = new Requester({
      transport,
      gate,
      sleep: ctx.sleep,
      random: ctx.random,
      timeoutMs: spec.settings.timeoutMs,
      limits: DEFAULT_RETRY_LIMITS,
      onAnswer: (outcome) => {
        spec.events.emit({ type: 'request', kind: outcome.kind });
        // The gate has just reconciled its bucket with this answer's throttleStatus.
        const { available, maximumAvailable } = gate.stats();
        spec.events.emit({ type: 'bucket', available, maximumAvailable });
      },
    });
    await checkAccess(requester, gate, spec.requiredScopes, ctx.interrupts.signal);
    const startedAt = new Date(ctx.now()).toISOString();
    const lock = await acquireLock(
      ctx.stateDir,
      `${spec.connection.endpoint.display}:${spec.action.name}`,
      { runId, pid: ctx.system.pid, host: ctx.system.hostname, startedAt },
      ctx.system.isProcessAlive,
    );
    try {
      const journal = existingJournal
        ? await JournalWriter.reopen(existingJournal)
        : await JournalWriter.create(ctx.stateDir, {
            t: 'header',
            runId,
            command: spec.action.name,
            // Options chosen after the selection is read are recorded with the completed plan.
            options: { ...(isDeferred(spec.options) ? {} : spec.record(spec.options)), dryRun: spec.dryRun, limit: spec.limit },
            store: storeOf(spec.connection),
            apiVersion: spec.connection.apiVersion,
            user: ctx.system.user,
            host: ctx.system.hostname,
            pid: ctx.system.pid,
            startedAt,
            version: 1,
          });
      if (existingJournal) journal.append({ t: 'resumed', at: startedAt, user: ctx.system.user, host: ctx.system.hostname, pid: ctx.system.pid });
      try {
        const report = await body({ transport, gate, requester, lock, journal, runId, startedAt });
        const at = new Date(ctx.now()).toISOString();
        if (report.stopped === 'interrupted') journal.append({ t: 'interrupted', at, signal: ctx.interrupts.kind ?? 'SIGINT' });
        else journal.append({ t: 'finished', at, summary: { ...summarizeRun(report) } });
        return report;
      } finally {
        journal.close();
      }
    } finally {
      await lock.release();
    }
  } finally {
    await transport.close();
  }
}

async function replan<Options>(
  action: BulkAction<Options, OrderSnapshot, unknown>,
  options: Options,
  requester: Requester,
  order: string,
  steps: readonly unknown[],
  signal: AbortSignal,
) {
  const lookup = action.lookup(options);
  const [node] = await requester.readNodes(lookup.document.text, [order], lookup.document.costPerOrder, signal, lookup.variables());
  const [snapshot] = await refineSnapshots(lookup, [lookup.parse(node)], requester, signal);
  if (!snapshot) return null;
  const decision = action.plan(snapshot, options);
  if (decision.kind === 'skip') return { outcome: 'skipped' as const, reason: decision.reason, message: decision.message };
  if (decision.kind === 'already') return { outcome: 'already' as const, reason: null, message: decision.message };
  // Still to do, but differently now (say a service accepted a request meanwhile): a new run plans it afresh.
  const planned = JSON.stringify(decision.steps);
  return planned === JSON.stringify(steps)
    ? null
    : { outcome: 'failed' as const, reason: 'changed-since-plan', message: 'run again to act on it as it is now' };
}

/**
 * A run stopped by an error no order could survive (the token revoked, the shop locked) is resumable:
 * the error's hint says how, once the cause is fixed. The journal already holds every outcome so far.
 */
function withResumeHint(error: unknown, resume: string): unknown {
  const hint = (error: AuthError | ShopUnavailableError) => `${error.hint ? `${error.hint} ` : ''}To carry on where this run stopped: ${resume}`;
  if (error instanceof AuthError) return new AuthError(error.message, hint(error), { cause: error });
  if (error instanceof ShopUnavailableError) return new ShopUnavailableError(error.message, hint(error), { cause: error });
  return error;
}

/** How runs name their store: the domain, or the whole URL of a local sandbox (so resume can reach it). */
export function storeOf(connection: Connection): string {
  return connection.endpoint.loopback ? connection.endpoint.origin : connection.endpoint.display;
}

/** Reads the shop once: proves the token works, seeds the cost gate, and checks the scopes. */
async function checkAccess(requester: Requester, gate: CostGate, required: string[], signal: AbortSignal): Promise<void> {
  const answer = await requester.read(SHOP_INFO, {}, SHOP_INFO_COST, signal);
  if (answer.cost?.throttleStatus) gate.observe(answer.cost.throttleStatus);
  const listed: unknown = answer.data?.currentAppInstallation?.accessScopes;
  // No list to check against: the first call a missing scope forbids says so (ACCESS_DENIED names it).
  if (!Array.isArray(listed)) return;
  const granted = new Set<string>(
    listed.flatMap((s: unknown) => (typeof (s as { handle?: unknown })?.handle === 'string' ? [(s as { handle: string }).handle] : [])),
  );
  const missing = required.filter((scope) => !granted.has(scope) && !granted.has(scope.replace(/^read_/, 'write_')));
  if (missing.length) {
    throw new AuthError(`The access token lacks ${missing.map((s) => `\`${s}\``).join(', ')}.`, 'Grant those scopes to the app and try again.');
  }
}

/** A signal aborted once the drain period after the first interrupt is over; dispose when done. */
function drainAfterInterrupt(ctx: Pick<RunContext, 'sleep' | 'interrupts'>, drainMs: number): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const done = new AbortController();
  // Every request in flight listens to these signals; dozens at once is expected, not a leak.
  setMaxListeners(0, controller.signal, ctx.interrupts.signal);
  const cut = () =>
    void ctx.sleep(drainMs, done.signal).then(
      () => controller.abort(ctx.interrupts.signal.reason),
      () => {},
    );
  if (ctx.interrupts.signal.aborted) cut();
  else ctx.interrupts.signal.addEventListener('abort', cut, { once: true, signal: done.signal });
  return { signal: controller.signal, dispose: () => done.abort() };
}

/** The run's counts, as the journal's `finished` line and --json record them. */
export function summarizeRun(report: RunReport): RunCounts {
  const execution = report.execution;
  return {
    selected: report.plan.selected,
    done: (report.plan.done ?? 0) + (execution?.done ?? 0),
    already: report.plan.already + (execution?.already ?? 0),
    skipped: report.plan.skipped + (execution?.skipped ?? 0),
    failed: report.plan.failed + (execution?.failed ?? 0),
    unknown: execution?.unknown ?? 0,
  };
}
