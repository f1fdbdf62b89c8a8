// Settles asynchronous steps (orderCancel runs as a job): polls what Shopify accepted, in batches, until
// each is done, failed, or past the deadline (then `unknown`, which a later resume settles). The cheap
// check settles most; a step still pending after a few polls is asked about with the explaining check.
import type { Confirmation, ConfirmationCheck } from '../actions/action.js';
import { RunError, type Requester } from './requester.js';
import type { SettleTime } from './settle-time.js';

export type Settled = { kind: 'done' } | { kind: 'failed'; reason: string; message: string } | { kind: 'unknown'; message: string };

interface Waiting<Step> {
  step: Step;
  since: number;
  accepted: unknown;
  dueAt: number;
  deadline: number;
  polls: number;
  settle(result: Settled): void;
}

export interface ConfirmerDeps<Step> {
  confirmation: Confirmation<Step>;
  requester: Requester;
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** The most ids in one poll (Shopify's nodes() takes at most 250; the query cost cap may say fewer). */
  batchSize: number;
  /** Told how long each confirmed step took to settle. */
  settleTime: SettleTime;
}

const POLLS_BEFORE_EXPLAINING = 2;
const MAX_POLL_INTERVAL_MS = 10_000;

export class Confirmer<Step> {
  private readonly waiting = new Set<Waiting<Step>>();
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(private readonly deps: ConfirmerDeps<Step>) {}

  /** Resolves when the step is settled. */
  confirm(step: Step, accepted: unknown, signal: AbortSignal): Promise<Settled> {
    const now = this.deps.now();
    const { firstPollMs, deadlineMs } = this.deps.confirmation;
    return new Promise((settle) => {
      this.waiting.add({ step, since: now, accepted, dueAt: now + firstPollMs, deadline: now + deadlineMs, polls: 0, settle });
      this.wake?.();
      this.loop ??= this.run(signal)
        .catch(() => this.settleAll({ kind: 'unknown', message: 'stopped before Shopify confirmed it; resume the run to check' }))
        .finally(() => {
          this.loop = null;
        });
    });
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (this.waiting.size > 0) {
      const now = this.deps.now();
      const due = [...this.waiting].filter((w) => w.dueAt <= now);
      if (due.length === 0) {
        const next = Math.min(...[...this.waiting].map((w) => w.dueAt));
        await Promise.race([this.deps.sleep(Math.max(1, next - now), signal), new Promise<void>((resolve) => (this.wake = resolve))]);
        this.wake = null;
        continue;
      }
      const { check, explain } = this.deps.confirmation;
      const explaining = explain ? due.filter((w) => w.polls >= POLLS_BEFORE_EXPLAINING) : [];
      const checking = due.filter((w) => !explaining.includes(w));
      for (const [which, group] of [[check, checking], [explain, explaining]] as const) {
        for (let i = 0; which && i < group.length; i += this.deps.batchSize) {
          await this.poll(which, group.slice(i, i + this.deps.batchSize), signal);
        }
      }
    }
  }

  private async poll(check: ConfirmationCheck<Step>, batch: Waiting<Step>[], signal: AbortSignal): Promise<void> {
    let nodes: unknown[] = [];
    try {
      const ids = batch.map((w) => check.target(w.step, w.accepted));
      const answer = await this.deps.requester.read(check.document.text, { ids }, check.document.costPerNode * ids.length + 2, signal);
      nodes = Array.isArray(answer.data?.nodes) ? answer.data.nodes : [];
    } catch (error) {
      if (!(error instanceof RunError)) throw error; // a failed poll is just a poll without news
    }
    const now = this.deps.now();
    batch.forEach((waiting, i) => {
      const result = check.read(nodes[i] ?? null);
      if (result.kind === 'done') this.deps.settleTime.observe(now - waiting.since);
      if (result.kind !== 'pending') return this.finish(waiting, result);
      if (now >= waiting.deadline) {
        return this.finish(waiting, { kind: 'unknown', message: 'Shopify accepted it but did not confirm it in time; resume the run to check again' });
      }
      waiting.polls++;
      // Soon at first, then less often: jobs usually finish within seconds.
      waiting.dueAt = now + Math.min(MAX_POLL_INTERVAL_MS, this.deps.confirmation.firstPollMs * 2 ** Math.min(waiting.polls - 1, 4));
    });
  }

  private settleAll(result: Settled): void {
    for (const waiting of [...this.waiting]) this.finish(waiting, result);
  }

  private finish(waiting: Waiting<Step>, result: Settled): void {
    this.waiting.delete(waiting);
    waiting.settle(result);
  }
}
