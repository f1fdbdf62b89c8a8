// Settles asynchronous steps (orderCancel runs as a job): polls what Shopify accepted, in batches, until
// each is done, failed, or past the deadline (then `unknown`, which a later resume settles). The cheap
// check settles most; a step still pending after a few polls is asked about with the explaining check.
// A bulk export confirms many steps for a few points, but it takes a while and lists every order
// confirmed since the run started: it is used only while points are scarce.
import type { Confirmation, ConfirmationCheck } from '../actions/action.js';
import type { Clock } from '../context.js';
import { RunError } from '../errors.js';
import type { Requester } from './requester.js';

export type Settled = { kind: 'done' } | { kind: 'failed'; reason: string; message: string } | { kind: 'unknown'; message: string };

interface Waiting<Step> {
  step: Step;
  accepted: unknown;
  acceptedAt: number;
  dueAt: number;
  deadline: number;
  polls: number;
  settle(result: Settled): void;
}

export interface ConfirmerDeps<Step> extends Clock {
  confirmation: Confirmation<Step>;
  requester: Requester;
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
/** Once nothing more will be sent, the first look at the last steps comes this soon after they were accepted. */
const TAIL_FIRST_POLL_MS = 150;
/** While points are scarce, how long due steps may gather for an export (they are accepted; only the report waits). */
const SCARCE_GATHER_MS = 5_000;

export class Confirmer<Step> {
  private readonly waiting = new Set<Waiting<Step>>();
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  /** While the loop naps: when it will look again by itself. */
  private napUntil = Infinity;
  /** Set once no step will be handed over any more: nothing is left to gather for. */
  private complete = false;

  constructor(private readonly deps: ConfirmerDeps<Step>) {}

  /** Resolves when the step is settled. */
  confirm(step: Step, accepted: unknown, signal: AbortSignal): Promise<Settled> {
    const now = this.deps.now();
    const { firstPollMs } = this.deps.confirmation;
    const { deadlineMs } = this.deps;
    return new Promise((settle) => {
      const dueAt = now + firstPollMs;
      this.waiting.add({ step, accepted, acceptedAt: now, dueAt, deadline: now + deadlineMs, polls: 0, settle });
      // A napping loop is only woken when it would look too late for this step.
      if (dueAt < this.napUntil) this.wake?.();
      this.ensureLoop(signal);
    });
  }

  /** No more confirm() calls will come: the steps left gather only with each other, not for the full gap. */
  noMoreSteps(): void {
    this.complete = true;
    // Only the report waits for these now, and points are plentiful again: look at them sooner.
    for (const waiting of this.waiting) {
      if (waiting.polls === 0) waiting.dueAt = Math.min(waiting.dueAt, waiting.acceptedAt + TAIL_FIRST_POLL_MS);
    }
    this.wake?.();
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
      // Small polls cost a request each: unless a full batch is due — or every step left, once no more
      // will come — let steps gather for a moment. While points are scarce (the mutations use the whole
      // budget), gather for longer, enough for one export to confirm them all for a few points.
      const everyStepLeft = this.complete && due.length === this.waiting.size;
      const scarce = this.canExport() && !this.deps.requester.canSpare(Math.max(1, due.length) * this.deps.confirmation.check.document.costPerNode);
      const [enough, gap] = scarce ? [BULK_CONFIRM_MIN, SCARCE_GATHER_MS] : [this.deps.batchSize, MIN_POLL_GAP_MS];
      const gathering = !everyStepLeft && due.length < enough && now - lastPoll < gap;
      if (due.length === 0 || gathering) {
        await this.nap(this.nextLook(now, due.length, gathering ? lastPoll + gap : Infinity, enough), signal);
        continue;
      }
      lastPoll = now;
      const { check, explain, bulk } = this.deps.confirmation;
      // Steps still pending after a few polls are asked about one by one: the explaining check if
      // there is one, else the plain check (an export would keep missing them the same way).
      const late = due.filter((w) => w.polls >= POLLS_BEFORE_EXPLAINING);
      let fresh = due.filter((w) => w.polls < POLLS_BEFORE_EXPLAINING);
      if (bulk && this.canExport() && fresh.length >= BULK_CONFIRM_MIN && !this.deps.requester.canSpare(fresh.length * check.document.costPerNode)) {
        await this.pollByExport(bulk, fresh, signal);
        fresh = [];
      }
      for (const [which, group] of [
        [check, fresh],
        [explain ?? check, late],
      ] as const) {
        for (let i = 0; i < group.length; i += this.deps.batchSize) {
          await this.poll(which, group.slice(i, i + this.deps.batchSize), signal);
        }
      }
    }
  }

  /**
   * When to look again, with `dueCount` steps due now: while gathering, when enough are due to fill a
   * batch (or, once no more steps will come, when the last one is), at the latest at `gatheredBy`;
   * otherwise (none due) when the first one is.
   */
  private nextLook(now: number, dueCount: number, gatheredBy: number, enough: number): number {
    const later: number[] = [];
    for (const waiting of this.waiting) if (waiting.dueAt > now) later.push(waiting.dueAt);
    later.sort((a, b) => a - b);
    if (gatheredBy === Infinity) return later[0] ?? now;
    const fillsBatch = later[enough - dueCount - 1] ?? (this.complete ? later.at(-1) : undefined) ?? Infinity;
    return Math.min(gatheredBy, fillsBatch);
  }

  /**
   * Sleeps until `until` or until confirm()/noMoreSteps() wakes it. The timer is cleared on waking,
   * so a finished run does not wait for it to exit; an abort of `signal` still rejects.
   */
  private async nap(until: number, signal: AbortSignal): Promise<void> {
    const woken = new AbortController();
    const wake = new Promise<void>((resolve) => (this.wake = resolve));
    this.napUntil = until;
    const timer = this.deps.sleep(Math.max(1, until - this.deps.now()), AbortSignal.any([signal, woken.signal]));
    try {
      await Promise.race([timer, wake]);
    } catch (error) {
      if (!woken.signal.aborted) throw error;
    } finally {
      this.wake = null;
      this.napUntil = Infinity;
      woken.abort();
      timer.catch(() => {});
    }
  }

  private canExport(): boolean {
    return this.deps.confirmation.bulk !== undefined && this.deps.exportGids !== undefined;
  }

  /** One export confirms every listed step; the others wait for the next poll, as after a check. */
  private async pollByExport(bulk: NonNullable<Confirmation<Step>['bulk']>, due: Waiting<Step>[], signal: AbortSignal): Promise<void> {
    const askedAt = this.deps.now();
    let confirmed = new Set<string>();
    try {
      // A minute of slack: the store's clock and ours need not agree to the second.
      confirmed = await this.deps.exportGids!(bulk.template, bulk.search(new Date(this.deps.since - 60_000).toISOString()), signal);
    } catch (error) {
      if (!(error instanceof RunError)) throw error; // a failed export is a poll without news
    }
    const { check } = this.deps.confirmation;
    this.settleBatch(askedAt, due, (waiting) =>
      confirmed.has(check.target(waiting.step, waiting.accepted)) ? { kind: 'done' } : { kind: 'pending' },
    );
  }

  private async poll(check: ConfirmationCheck<Step>, batch: Waiting<Step>[], signal: AbortSignal): Promise<void> {
    const askedAt = this.deps.now();
    let nodes: unknown[] = [];
    try {
      const ids = batch.map((w) => check.target(w.step, w.accepted));
      nodes = await this.deps.requester.readNodes(check.document.text, ids, check.document.costPerNode, signal);
    } catch (error) {
      if (!(error instanceof RunError)) throw error; // a failed poll is just a poll without news
    }
    this.settleBatch(askedAt, batch, (_, i) => check.read(nodes[i] ?? null));
  }

  /**
   * `askedAt`: when the poll was sent. A step still pending is given up only if its deadline had passed
   * by then — a slow answer (a big export) must not cost the steps that finished while it ran.
   */
  private settleBatch(
    askedAt: number,
    batch: Waiting<Step>[],
    read: (waiting: Waiting<Step>, i: number) => ReturnType<ConfirmationCheck<Step>['read']>,
  ): void {
    const now = this.deps.now();
    batch.forEach((waiting, i) => {
      const result = read(waiting, i);
      if (result.kind !== 'pending') return this.finish(waiting, result);
      if (askedAt >= waiting.deadline) {
        return this.finish(waiting, {
          kind: 'unknown',
          message: 'Shopify accepted it but did not confirm it in time; resume the run to check again',
        });
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
