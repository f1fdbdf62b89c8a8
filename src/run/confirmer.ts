// Settles asynchronous steps (orderCancel runs as a job): polls what Shopify accepted, in batches, until
// each is done, failed, or past the deadline (then `unknown`, which a later resume settles). The cheap
// check settles most; a step still pending after a few polls is asked about with the explaining check.
import type { Confirmation, ConfirmationCheck } from '../actions/action.js';
import { RunError, type Requester } from './requester.js';

export type Settled = { kind: 'done' } | { kind: 'failed'; reason: string; message: string } | { kind: 'unknown'; message: string };

interface Waiting<Step> {
  step: Step;
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
  /** Overrides the action's deadline for confirming a step (ms after it was accepted). */
  deadlineMs: number;
  /** Runs a bulk export and returns the GIDs it lists (for `confirmation.bulk`). */
  exportGids?(template: string, search: string, signal: AbortSignal): Promise<Set<string>>;
  /** When the run started: confirmed states since then are ours to look for. */
  since: number;
}

const POLLS_BEFORE_EXPLAINING = 2;
const MAX_POLL_INTERVAL_MS = 10_000;
const MIN_POLL_GAP_MS = 500;
/** Below this many due steps, a point each is cheaper than an export's fixed cost (about 15 points). */
const BULK_CONFIRM_MIN = 50;

export class Confirmer<Step> {
  private readonly waiting = new Set<Waiting<Step>>();
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(private readonly deps: ConfirmerDeps<Step>) {}

  /** Resolves when the step is settled. */
  confirm(step: Step, accepted: unknown, signal: AbortSignal): Promise<Settled> {
    const now = this.deps.now();
    const { firstPollMs } = this.deps.confirmation;
    const { deadlineMs } = this.deps;
    return new Promise((settle) => {
      this.waiting.add({ step, accepted, dueAt: now + firstPollMs, deadline: now + deadlineMs, polls: 0, settle });
      this.wake?.();
      this.ensureLoop(signal);
    });
  }

  private ensureLoop(signal: AbortSignal): void {
    this.loop ??= this.run(signal).catch(() =>
      this.settleAll({ kind: 'unknown', message: 'stopped before Shopify confirmed it; resume the run to check' }),
    );
  }

  private async run(signal: AbortSignal): Promise<void> {
    try {
      await this.pollUntilSettled(signal);
    } finally {
      this.loop = null;
      // A confirm() that arrived while this loop was finishing found it still set: pick it up.
      if (this.waiting.size > 0 && !signal.aborted) this.ensureLoop(signal);
    }
  }

  private async pollUntilSettled(signal: AbortSignal): Promise<void> {
    let lastPoll = -Infinity;
    while (this.waiting.size > 0) {
      const now = this.deps.now();
      const due = [...this.waiting].filter((w) => w.dueAt <= now);
      // Small polls cost a request each: unless a full batch is due, let steps gather for a moment.
      const gathering = due.length < this.deps.batchSize && now - lastPoll < MIN_POLL_GAP_MS;
      if (due.length === 0 || gathering) {
        const next = gathering ? lastPoll + MIN_POLL_GAP_MS : Math.min(...[...this.waiting].map((w) => w.dueAt));
        await Promise.race([this.deps.sleep(Math.max(1, next - now), signal), new Promise<void>((resolve) => (this.wake = resolve))]);
        this.wake = null;
        continue;
      }
      lastPoll = now;
      const { check, explain, bulk } = this.deps.confirmation;
      // Steps still pending after a few polls are asked about one by one: the explaining check if
      // there is one, else the plain check (an export would keep missing them the same way).
      const late = due.filter((w) => w.polls >= POLLS_BEFORE_EXPLAINING);
      let fresh = due.filter((w) => w.polls < POLLS_BEFORE_EXPLAINING);
      if (bulk && this.deps.exportGids && fresh.length >= BULK_CONFIRM_MIN) {
        await this.pollByExport(bulk, fresh, signal);
        fresh = [];
      }
      for (const [which, group] of [[check, fresh], [explain ?? check, late]] as const) {
        for (let i = 0; i < group.length; i += this.deps.batchSize) {
          await this.poll(which, group.slice(i, i + this.deps.batchSize), signal);
        }
      }
    }
  }

  /** One export confirms every listed step; the others wait for the next poll, as after a check. */
  private async pollByExport(bulk: NonNullable<Confirmation<Step>['bulk']>, due: Waiting<Step>[], signal: AbortSignal): Promise<void> {
    let confirmed = new Set<string>();
    try {
      // A minute of slack: the store's clock and ours need not agree to the second.
      confirmed = await this.deps.exportGids!(bulk.template, bulk.search(new Date(this.deps.since - 60_000).toISOString()), signal);
    } catch (error) {
      if (!(error instanceof RunError)) throw error; // a failed export is a poll without news
    }
    const { check } = this.deps.confirmation;
    this.settleBatch(due, (waiting) => (confirmed.has(check.target(waiting.step, waiting.accepted)) ? { kind: 'done' } : { kind: 'pending' }));
  }

  private async poll(check: ConfirmationCheck<Step>, batch: Waiting<Step>[], signal: AbortSignal): Promise<void> {
    let nodes: unknown[] = [];
    try {
      const ids = batch.map((w) => check.target(w.step, w.accepted));
      nodes = await this.deps.requester.readNodes(check.document.text, ids, check.document.costPerNode, signal);
    } catch (error) {
      if (!(error instanceof RunError)) throw error; // a failed poll is just a poll without news
    }
    this.settleBatch(batch, (_, i) => check.read(nodes[i] ?? null));
  }

  private settleBatch(batch: Waiting<Step>[], read: (waiting: Waiting<Step>, i: number) => ReturnType<ConfirmationCheck<Step>['read']>): void {
    const now = this.deps.now();
    batch.forEach((waiting, i) => {
      const result = read(waiting, i);
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
