// Carries out the plan: a pool of workers takes planned orders in turn and runs their steps (paced by
// the cost gate, exactly once each — step-executor.ts). Asynchronous steps are handed to the confirmer
// and the worker moves on; each order's outcome is journaled before anyone is told about it. Whatever
// happens to one order — a lost answer, an interrupt, an error — it ends with an outcome; an error no
// order can survive (the token revoked, the shop locked) stops every worker and is raised at the end.
import type { OrderOutcome } from '../journal/format.js';
import { isFatal, RunError } from '../errors.js';
import type { Confirmer, Settled } from './confirmer.js';
import type { RunEvents } from './events.js';
import type { JournalWriter } from '../journal/writer.js';
import type { PlannedOrder } from './planner.js';
import type { StepExecutor, StepResult } from './step-executor.js';

export interface ExecutionTotals {
  done: number;
  already: number;
  /** Refused orders whose state had changed since the plan (see `replan`). */
  skipped: number;
  failed: number;
  unknown: number;
  reasons: Map<string, number>;
  /** Planned orders not started because the run was stopped. */
  notStarted: number;
}

export interface ExecutorDeps<Step> {
  steps: StepExecutor<unknown, Step>;
  confirmer: Confirmer<Step> | null;
  journal: JournalWriter;
  events: RunEvents;
  now(): number;
  workers: number;
  /** Aborted on the first interrupt: no new order is started. */
  stop: AbortSignal;
  /** Aborted when in-flight work must end too. */
  abort: AbortSignal;
  /**
   * Asked about an order Shopify refused: if it now plans as skipped or already done (its state changed
   * since the plan — say a service accepted it meanwhile), that is the truer outcome.
   */
  replan?(order: PlannedOrder<Step>): Promise<{ outcome: 'skipped' | 'already' | 'failed'; reason: string | null; message: string } | null>;
}

type Final = { outcome: OrderOutcome; reason: string | null; message: string | null };

export async function executePlan<Step>(planned: readonly PlannedOrder<Step>[], deps: ExecutorDeps<Step>): Promise<ExecutionTotals> {
  const totals: ExecutionTotals = { done: 0, already: 0, skipped: 0, failed: 0, unknown: 0, reasons: new Map(), notStarted: 0 };
  // Outcomes still settling; each leaves the set when done, so 100,000 orders hold none of them at the end.
  const settling = new Set<Promise<void>>();
  let fatal: unknown = null;
  let next = 0;

  const finish = (order: PlannedOrder<Step>, final: Final) => {
    deps.journal.append({
      t: 'outcome',
      order: order.order,
      name: order.name,
      outcome: final.outcome,
      ...(final.reason ? { reason: final.reason } : {}),
      ...(final.message ? { message: final.message } : {}),
      at: new Date(deps.now()).toISOString(),
    });
    totals[final.outcome]++;
    if (final.reason) totals.reasons.set(final.reason, (totals.reasons.get(final.reason) ?? 0) + 1);
    deps.events.emit({ type: 'outcome', order: order.order, name: order.name, ...final });
  };

  const settle = async (order: PlannedOrder<Step>, results: Promise<StepResult | Settled>[]): Promise<Final> => {
    const settled = await Promise.all(results);
    const final = combine(settled);
    // A fresh plan says what changed since the plan, only for an order none of whose steps took effect:
    // otherwise it would see this run's own progress as a change.
    const progressed = settled.some((r) => r.kind === 'done' || r.kind === 'already');
    if (final.outcome !== 'failed' || !deps.replan || progressed) return final;
    const truer = await deps.replan(order).catch(() => null);
    return truer ? { ...truer, message: `${truer.message} (changed since the plan; Shopify said: ${final.message})` } : final;
  };

  const runOrder = async (order: PlannedOrder<Step>) => {
    const results: Promise<StepResult | Settled>[] = [];
    try {
      for (const [index, step] of order.steps.entries()) {
        const accepted = order.accepted?.get(index);
        if (accepted !== undefined && deps.confirmer) {
          results.push(deps.confirmer.confirm(step, accepted, deps.abort));
          continue;
        }
        const result = await deps.steps.run(order.order, index, step, order.sent?.get(index) ?? null, deps.abort);
        if (result.kind === 'accepted' && deps.confirmer) {
          if (index === 0) deps.events.emit({ type: 'accepted', order: order.order });
          results.push(deps.confirmer.confirm(step, result.accepted, deps.abort));
        } else results.push(Promise.resolve(result));
        if (result.kind === 'failed' || result.kind === 'unknown') break; // later steps wait for a retry of this one
      }
    } catch (error) {
      if (isFatal(error)) fatal ??= error;
      else if (!(error instanceof RunError) && !deps.abort.aborted && !deps.stop.aborted) fatal ??= error;
      // The step may have been sent: `unknown` makes a resume read it back before anything else.
      const why = deps.abort.aborted || deps.stop.aborted ? 'interrupted before Shopify answered' : errorMessage(error);
      results.push(Promise.resolve({ kind: 'unknown', message: `${why}; resume the run to settle it` }));
    }
    const outcome = settle(order, results)
      .then(
        (final) => final,
        (error: unknown): Final => ({ outcome: 'unknown', reason: 'unconfirmed', message: errorMessage(error) }),
      )
      .then((final) => finish(order, final));
    settling.add(outcome);
    outcome.finally(() => settling.delete(outcome)).catch(() => {}); // its failure is seen by allSettled below
  };

  // Long-lived workers sharing one cursor rather than a limiter with every order queued up front (p-limit):
  // nothing is held for orders not started, and stopping is simply not taking the next one.
  const worker = async () => {
    while (next < planned.length && !deps.stop.aborted && fatal === null) {
      const order = planned[next++]!;
      await runOrder(order);
    }
  };

  await Promise.allSettled(Array.from({ length: Math.max(1, deps.workers) }, worker));
  deps.confirmer?.noMoreSteps();
  totals.notStarted = planned.length - next;
  // Confirmations settle even when the run is cut short (as unknown), so every outcome is journaled.
  await Promise.allSettled([...settling]);
  if (fatal !== null) throw fatal;
  return totals;

  function combine(results: (StepResult | Settled)[]): Final {
    const failed = results.find((r) => r.kind === 'failed');
    if (failed?.kind === 'failed') return { outcome: 'failed', reason: failed.reason, message: failed.message };
    const unknown = results.find((r) => r.kind === 'unknown');
    if (unknown?.kind === 'unknown') return { outcome: 'unknown', reason: 'unconfirmed', message: unknown.message };
    if (results.length > 0 && results.every((r) => r.kind === 'already')) {
      const first = results[0] as { message: string };
      return { outcome: 'already', reason: null, message: first.message };
    }
    // How the order was done, when its steps say (e.g. "withdrawn"), for reports to tell ways apart.
    const notes = [...new Set(results.flatMap((r) => (r.kind === 'done' && 'note' in r && r.note ? [r.note] : [])))];
    return { outcome: 'done', reason: null, message: notes.length ? notes.join('; ') : null };
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
