// One mutation step, exactly once. The rule: a step that may already have reached Shopify (a timeout,
// a reset, a 5xx, an unreadable answer — or a 'sent' line in the journal of a crashed run) is never
// simply resent. Its effect is read back first; only if it is not there is the step sent again.
import type { BulkAction, OrderSnapshot, StepAnswer, Verification } from '../actions/action.js';
import type { Clock } from '../context.js';
import { RunError } from '../errors.js';
import { mayHaveBeenApplied } from '../shopify/call-outcome.js';
import type { JournalWriter } from '../journal/writer.js';
import { describe, type Requester } from './requester.js';
import { backoffMs, type RetryLimits } from './retry-policy.js';

export type StepResult =
  | { kind: 'done'; note?: string }
  /** Shopify accepted an asynchronous step; the confirmer settles it. */
  | { kind: 'accepted'; accepted: unknown }
  | { kind: 'already'; message: string }
  | { kind: 'failed'; reason: string; message: string }
  | { kind: 'unknown'; message: string };

export interface StepExecutorDeps<Options, Step> extends Clock {
  action: BulkAction<Options, OrderSnapshot, Step>;
  options: Options;
  requester: Requester;
  journal: JournalWriter;
  random(): number;
  limits: RetryLimits;
  /**
   * For asynchronous actions (orderCancel's job): how long after a send its effect may still appear.
   * A send whose answer was lost is only ever repeated after this, so a slow job cannot be doubled.
   */
  settleDeadlineMs: number;
}

export class StepExecutor<Options, Step> {
  private readonly mutation;
  private readonly readback;
  private readonly asynchronous: boolean;

  constructor(private readonly deps: StepExecutorDeps<Options, Step>) {
    this.mutation = deps.action.mutation(deps.options);
    this.readback = deps.action.readback(deps.options);
    this.asynchronous = deps.action.confirmation?.(deps.options) != null;
  }

  /** `lastSentAt`: when an earlier, interrupted run last sent this step (from its journal), if it did. */
  async run(order: string, index: number, step: Step, lastSentAt: number | null, signal: AbortSignal): Promise<StepResult> {
    let sentAt = lastSentAt;
    let lastProblem = 'the answer was lost';
    for (let attempt = 1; ; attempt++) {
      if (sentAt !== null) {
        let seen: Verification;
        try {
          seen = await this.verify(step, sentAt, signal);
        } catch (error) {
          if (error instanceof RunError) return { kind: 'unknown', message: `sent, but could not read it back: ${error.message}` };
          throw error;
        }
        if (seen === 'applied') return this.done(step);
        if (seen === 'unknowable') {
          return { kind: 'unknown', message: `sent (${lastProblem}), and whether it took effect cannot be read back; check it in the admin` };
        }
      }
      if (attempt > this.deps.limits.transientRetries + 1) {
        return { kind: 'failed', reason: 'shopify-unavailable', message: `not applied after ${attempt - 1} attempts (${lastProblem})` };
      }
      // `sent` is journaled once the cost gate lets the request go (a run killed while it waited for the
      // rate limit has sent nothing), and always before it can reach Shopify.
      let now = this.deps.now();
      const document = this.mutation.document(step);
      const outcome = await this.deps.requester.attempt(document.text, this.mutation.variables(step), document.expectedCost, signal, () => {
        now = this.deps.now();
        this.deps.journal.append({ t: 'sent', order, step: index, attempt, at: new Date(now).toISOString() });
      });
      if (outcome.kind === 'ok') {
        const answer = this.mutation.read(outcome.data, step);
        // An answer that does not say what happened is as good as lost: read back before any resend.
        if (answer.kind !== 'unreadable') return this.settle(order, index, step, answer, sentAt !== null, signal);
        sentAt = now;
        lastProblem = answer.message;
        await this.deps.sleep(backoffMs(attempt, this.deps.limits, this.deps.random), signal);
        continue;
      }
      if (outcome.kind === 'aborted') signal.throwIfAborted();
      if (!mayHaveBeenApplied(outcome)) {
        return { kind: 'failed', reason: outcome.kind, message: outcomeMessage(outcome) };
      }
      sentAt = now;
      lastProblem = describe(outcome);
      await this.deps.sleep(backoffMs(attempt, this.deps.limits, this.deps.random), signal);
    }
  }

  private async settle(
    order: string,
    index: number,
    step: Step,
    answer: Exclude<StepAnswer, { kind: 'unreadable' }>,
    ambiguous: boolean,
    signal: AbortSignal,
  ): Promise<StepResult> {
    switch (answer.kind) {
      case 'applied':
        this.deps.journal.append({ t: 'accepted', order, step: index, at: new Date(this.deps.now()).toISOString(), data: answer.accepted });
        if (answer.accepted !== undefined && this.asynchronous) return { kind: 'accepted', accepted: answer.accepted };
        return this.done(step);
      case 'already':
        return ambiguous ? this.done(step) : { kind: 'already', message: answer.message };
      case 'rejected': {
        // Shopify refuses a step whose effect is already there (e.g. cancelling a cancelled order):
        // ours if an earlier attempt may have applied it, someone else's otherwise.
        let seen: Verification = 'not-applied';
        try {
          seen = await this.readOnce(step, signal);
        } catch (error) {
          if (!(error instanceof RunError)) throw error;
        }
        if (seen === 'applied') return ambiguous ? this.done(step) : { kind: 'already', message: answer.message };
        return { kind: 'failed', reason: answer.reason, message: answer.message };
      }
    }
  }

  private done(step: Step): StepResult {
    const note = this.mutation.note?.(step);
    return note ? { kind: 'done', note } : { kind: 'done' };
  }

  /**
   * Reads the step's effect back. An asynchronous effect may still appear until the settle deadline
   * after the send, so "not there yet" is only "not applied" once that deadline has passed.
   */
  private async verify(step: Step, sentAt: number, signal: AbortSignal): Promise<Verification> {
    const deadline = sentAt + (this.asynchronous ? this.deps.settleDeadlineMs : 0);
    for (let poll = 1; ; poll++) {
      const seen = await this.readOnce(step, signal);
      if (seen !== 'pending') return seen;
      const left = deadline - this.deps.now();
      if (left <= 0) return 'not-applied';
      await this.deps.sleep(Math.min(backoffMs(poll, this.deps.limits, this.deps.random), left), signal);
    }
  }

  private async readOnce(step: Step, signal: AbortSignal): Promise<Verification> {
    const { document, target, verify } = this.readback;
    const [node] = await this.deps.requester.readNodes(document.text, [target(step)], document.costPerNode, signal);
    return verify(node, step);
  }
}

function outcomeMessage(outcome: { kind: string; errors?: { message: string }[] }): string {
  if (outcome.errors?.length) return outcome.errors.map((e) => e.message).join('; ');
  return `Shopify did not run it (${outcome.kind})`;
}
