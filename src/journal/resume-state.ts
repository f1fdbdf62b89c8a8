// What `--resume` needs from a journal: for every order, the latest facts. A settled order keeps only
// its outcome; the planned steps, sends and answers are kept only while the order is still open, so a
// run of 100,000 orders is summarised in a few tens of megabytes.

import { JournalCorruptError } from '../errors.js';
import type { HeaderEntry, OrderOutcome } from './format.js';
import { checkedHeader, readJournal } from './reader.js';

export interface OutcomeFact {
  readonly outcome: OrderOutcome;
  readonly reason?: string;
  readonly message?: string;
}

export interface OrderResumeState {
  readonly name: string | null;
  /** The planned steps; absent once the order is settled. */
  readonly steps?: unknown[];
  /** Steps whose mutation may have been applied: verify before sending any again. */
  /** Steps that may have been sent, with when they were last sent (ISO). */
  readonly sentSteps: ReadonlyMap<number, string>;
  /** Answered steps and their data (e.g. the cancel job id to poll). */
  readonly accepted: ReadonlyMap<number, unknown>;
  /** The latest outcome. `unknown` is not settled: steps, sends and answers are kept for it. */
  readonly outcome?: OutcomeFact;
}

export interface JournalState {
  header: HeaderEntry;
  /** The journal's last entry is `finished`. */
  finished: boolean;
  planComplete: boolean;
  /** The run's options: the header's, or those chosen during planning. */
  options: Record<string, unknown>;
  /** Keyed by order GID, in the order the orders first appear. */
  orders: Map<string, OrderResumeState>;
}

/**
 * Settled: nothing more will be done for the order in this run. `unknown` stays open because a
 * resume must verify it.
 */
export function isSettled(outcome: OrderOutcome): boolean {
  return outcome !== 'unknown';
}

// Most orders have no sends, no answers or no reason; they all share these instead of each holding
// empty collections and identical outcome objects.
const NONE_SENT: ReadonlyMap<number, string> = new Map();
const NONE_ACCEPTED: ReadonlyMap<number, unknown> = new Map();

class OrderFacts implements OrderResumeState {
  steps: unknown[] | undefined = undefined;
  sentSteps: ReadonlyMap<number, string> = NONE_SENT;
  accepted: ReadonlyMap<number, unknown> = NONE_ACCEPTED;
  outcome: OutcomeFact | undefined = undefined;

  constructor(public name: string | null) {}

  markSent(step: number, at: string): void {
    if (this.sentSteps === NONE_SENT) this.sentSteps = new Map();
    (this.sentSteps as Map<number, string>).set(step, at);
    // A send after an outcome starts a new attempt whose result is not known yet.
    this.outcome = undefined;
  }

  markAccepted(step: number, data: unknown): void {
    if (this.accepted === NONE_ACCEPTED) this.accepted = new Map();
    (this.accepted as Map<number, unknown>).set(step, data);
  }

  settle(outcome: OutcomeFact): void {
    this.outcome = outcome;
    if (!isSettled(outcome.outcome)) return;
    this.steps = undefined;
    this.sentSteps = NONE_SENT;
    this.accepted = NONE_ACCEPTED;
  }
}

export async function summarizeJournal(path: string): Promise<JournalState> {
  let header: HeaderEntry | undefined;
  let finished = false;
  let planComplete = false;
  let options: Record<string, unknown> | undefined;
  const orders = new Map<string, OrderFacts>();
  const outcomes = new OutcomeInterner();
  const factsOf = (order: string, name: string | null): OrderFacts => {
    let facts = orders.get(order);
    if (!facts) orders.set(order, (facts = new OrderFacts(name)));
    return facts;
  };

  for await (const entry of readJournal(path)) {
    if (!header) {
      header = checkedHeader(entry, path);
      continue;
    }
    finished = entry.t === 'finished';
    switch (entry.t) {
      case 'planned': {
        const facts = factsOf(entry.order, entry.name);
        facts.name = entry.name;
        // A settled order is never planned again by the same run; keep what settled it.
        if (!facts.outcome || !isSettled(facts.outcome.outcome)) facts.steps = entry.steps;
        break;
      }
      case 'sent':
        factsOf(entry.order, null).markSent(entry.step, entry.at);
        break;
      case 'accepted':
        factsOf(entry.order, null).markAccepted(entry.step, entry.data);
        break;
      case 'outcome': {
        const facts = factsOf(entry.order, entry.name);
        if (entry.name !== null) facts.name = entry.name;
        facts.settle(outcomes.get(entry.outcome, entry.reason, entry.message));
        break;
      }
      case 'plan-complete':
        planComplete = true;
        if (entry.options) options = entry.options;
        break;
      case 'header': // the first one names the run; reading on is all a resume needs
      case 'resumed':
      case 'interrupted':
      case 'finished':
        break;
    }
  }
  if (!header) throw new JournalCorruptError(path, 1, 'the run header is missing');
  return { header, finished, planComplete, options: options ?? header.options, orders };
}

/** One shared object per (outcome, reason) pair without a message. */
class OutcomeInterner {
  private readonly shared = new Map<string, OutcomeFact>();

  get(outcome: OrderOutcome, reason: string | undefined, message: string | undefined): OutcomeFact {
    if (message !== undefined) return reason === undefined ? { outcome, message } : { outcome, reason, message };
    const key = reason === undefined ? outcome : `${outcome}:${reason}`;
    let fact = this.shared.get(key);
    if (!fact) this.shared.set(key, (fact = Object.freeze(reason === undefined ? { outcome } : { outcome, reason })));
    return fact;
  }
}
