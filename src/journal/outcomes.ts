// Each order's fate, read back from a run's journal (format.ts) for the reports: the failures CSV,
// the grouped failure summary, the --json document and `bulkfill runs`.
//
// The journal is read line by line, leniently; nothing but one small record per order is kept (a Map,
// in the order orders first appear), so 100,000 orders stay cheap. A resumed run appends a second
// outcome for an order that ended `unknown`: the LAST outcome of an order wins. A torn last line (a
// write cut by kill -9) is ignored; so is any other line that is not a usable entry — a report must
// not fail where the strict reader (resume) is the one to complain.

import { isOrderOutcome, type JournalLine, type OrderOutcome, type RunCounts } from './format.js';
import { readJournal } from './reader.js';
import { isRecord } from '../util/is-record.js';

/** One order's final outcome. */
export interface OrderRecord {
  /** The order's GID. */
  order: string;
  name: string | null;
  outcome: OrderOutcome;
  reason?: string;
  message?: string;
}

/**
 * An order as the --json report lists it. Besides the five outcomes:
 * - `planned`: a dry run's order that the run would act on (the plan said "act");
 * - `not-started`: a planned order a real run never got to (declined, interrupted before it).
 */
export type ReportOutcome = OrderOutcome | 'planned' | 'not-started';

export interface ReportOrder {
  order: string;
  name: string | null;
  outcome: ReportOutcome;
  reason?: string;
  message?: string;
}

/** What the journal's header says about the run, as far as it is readable (a HeaderEntry, leniently). */
export interface RunHeader {
  runId: string;
  command: string;
  store: string | null;
  apiVersion: string | null;
  startedAt: string | null;
  options: Record<string, unknown>;
  user: string | null;
  host: string | null;
  pid: number | null;
}

export interface FailureGroup {
  /** The reason code (for an outcome without one: the outcome itself). */
  reason: string;
  count: number;
  /** Up to SAMPLE_SIZE order names (the GID when the order has no name), in journal order. */
  sample: string[];
  /** What Shopify (or the engine) said for the first of them. */
  message?: string;
}

export const SAMPLE_SIZE = 3;

interface Slot {
  name: string | null;
  /** null: planned, no outcome yet. */
  outcome: OrderOutcome | null;
  reason: string | undefined;
  message: string | undefined;
}

interface LineHooks {
  /** Every entry, before it is used for the orders. */
  entry?(entry: JournalLine): void;
  /** A line that is not a JSON object, by its 1-based number; not the last line (a torn write). */
  damaged?(line: number): void;
}

/** The orders of a journal, in the order first seen, with their last outcome. */
async function loadOrders(journalPath: string, hooks: LineHooks = {}): Promise<Map<string, Slot>> {
  const orders = new Map<string, Slot>();
  for await (const entry of readJournal(journalPath, 'lenient', { onDamaged: hooks.damaged })) {
    hooks.entry?.(entry);
    const { t, order } = entry;
    if (typeof order !== 'string') continue;
    const name = typeof entry.name === 'string' ? entry.name : null;
    if (t === 'planned') {
      const slot = orders.get(order);
      if (!slot) orders.set(order, { name, outcome: null, reason: undefined, message: undefined });
      else if (slot.name === null) slot.name = name;
    } else if (t === 'outcome' && isOrderOutcome(entry.outcome)) {
      const previous = orders.get(order);
      const record: Slot = {
        name: name ?? previous?.name ?? null,
        outcome: entry.outcome,
        reason: typeof entry.reason === 'string' ? entry.reason : undefined,
        message: typeof entry.message === 'string' ? entry.message : undefined,
      };
      // Map.set on an existing key keeps its first position: orders stay in the order first seen.
      orders.set(order, record);
    }
  }
  return orders;
}

function recordOf(order: string, slot: Slot, outcome: ReportOutcome): ReportOrder {
  return {
    order,
    name: slot.name,
    outcome,
    ...(slot.reason !== undefined ? { reason: slot.reason } : {}),
    ...(slot.message !== undefined ? { message: slot.message } : {}),
  };
}

/** The final outcome of every order that has one (the last outcome line per order wins). */
export async function* readOutcomes(journalPath: string): AsyncGenerator<OrderRecord> {
  const orders = await loadOrders(journalPath);
  for (const [order, slot] of orders) {
    if (slot.outcome !== null) yield recordOf(order, slot, slot.outcome) as OrderRecord;
  }
}

/**
 * Every order of the run for the --json report: final outcomes, and planned orders that have none —
 * `planned` in a dry run, `not-started` otherwise.
 */
export async function* readReportOrders(journalPath: string, options: { dryRun: boolean }): AsyncGenerator<ReportOrder> {
  const orders = await loadOrders(journalPath);
  for (const [order, slot] of orders) {
    yield recordOf(order, slot, slot.outcome ?? (options.dryRun ? 'planned' : 'not-started'));
  }
}

/** The journal's header line, or null when the file has none (or cannot be read). */
export async function readRunHeader(journalPath: string): Promise<RunHeader | null> {
  try {
    for await (const entry of readJournal(journalPath, 'lenient')) return headerOf(entry);
  } catch {
    return null;
  }
  return null;
}

function headerOf(entry: JournalLine): RunHeader | null {
  if (entry.t !== 'header' || typeof entry.runId !== 'string' || typeof entry.command !== 'string') return null;
  return {
    runId: entry.runId,
    command: entry.command,
    store: text(entry.store),
    apiVersion: text(entry.apiVersion),
    startedAt: text(entry.startedAt),
    options: isRecord(entry.options) ? entry.options : {},
    user: text(entry.user),
    host: text(entry.host),
    pid: Number.isSafeInteger(entry.pid) ? (entry.pid as number) : null,
  };
}

/** How a run (or the last resume of it) ended, as its journal says. */
export type RunEnding =
  { kind: 'finished'; at: string; summary: Record<string, unknown> } | { kind: 'interrupted'; at: string; signal: string | null };

/** Everything `bulkfill runs show` says about a run, from one pass over its journal. */
export interface JournalTally {
  /** null when the first line is not a readable header. */
  header: RunHeader | null;
  /** Counted from the orders' last outcomes (planned orders without one count as selected only). */
  counts: RunCounts;
  /** Planned orders that have no outcome yet. */
  notStarted: number;
  /** The plan was written completely (a run stopped before that cannot be resumed). */
  planComplete: boolean;
  /** Options chosen once the selection was read, recorded with the completed plan (they replace the header's). */
  planOptions: Record<string, unknown> | null;
  /** The last `finished` or `interrupted` after the last resume; null when the run has not ended. */
  ending: RunEnding | null;
  /** Each time the run was carried on. */
  resumes: { at: string; user: string | null; host: string | null }[];
  failures: FailureGroup[];
  /** Line numbers of unreadable lines, not counting a torn last line (the mark of a kill mid-write). */
  damagedLines: number[];
}

/** One streamed pass over the journal; tolerant of damaged lines (see damagedLines). */
export async function tallyJournal(journalPath: string, sampleSize: number = SAMPLE_SIZE): Promise<JournalTally> {
  const seen = {
    first: true,
    header: null as RunHeader | null,
    planComplete: false,
    planOptions: null as Record<string, unknown> | null,
    ending: null as RunEnding | null,
    resumes: [] as JournalTally['resumes'],
    damaged: [] as number[],
  };
  const orders = await loadOrders(journalPath, {
    entry(entry) {
      // The header is the first line, or there is none.
      if (seen.first && seen.damaged.length === 0) seen.header = headerOf(entry);
      seen.first = false;
      const at = text(entry.at);
      if (entry.t === 'plan-complete') {
        seen.planComplete = true;
        if (isRecord(entry.options)) seen.planOptions = entry.options;
      } else if (entry.t === 'resumed') {
        // What the earlier part of the run ended with no longer says how the run ended.
        seen.ending = null;
        seen.resumes.push({ at: at ?? '', user: text(entry.user), host: text(entry.host) });
      } else if (entry.t === 'finished' && at !== null) {
        seen.ending = { kind: 'finished', at, summary: isRecord(entry.summary) ? entry.summary : {} };
      } else if (entry.t === 'interrupted' && at !== null) {
        seen.ending = { kind: 'interrupted', at, signal: text(entry.signal) };
      }
    },
    damaged: (line) => seen.damaged.push(line),
  });

  const counts: RunCounts = { selected: 0, done: 0, already: 0, skipped: 0, failed: 0, unknown: 0 };
  let notStarted = 0;
  const grouper = new FailureGrouper(sampleSize);
  for (const [order, slot] of orders) {
    counts.selected++;
    if (slot.outcome === null) {
      notStarted++;
    } else {
      counts[slot.outcome]++;
      grouper.add(recordOf(order, slot, slot.outcome));
    }
  }
  return {
    header: seen.header,
    counts,
    notStarted,
    planComplete: seen.planComplete,
    planOptions: seen.planOptions,
    ending: seen.ending,
    resumes: seen.resumes,
    failures: grouper.groups(),
    damagedLines: seen.damaged,
  };
}

export function isFailure(outcome: ReportOutcome): outcome is 'failed' | 'unknown' {
  return outcome === 'failed' || outcome === 'unknown';
}

/**
 * Failed and unknown orders grouped by reason: most frequent first (then by reason), each with its
 * count and up to SAMPLE_SIZE sample order names. Synchronous for an array (any Iterable), a Promise
 * for an AsyncIterable (e.g. straight from readOutcomes()).
 */
export function failureGroups(outcomes: Iterable<ReportOrder>, sampleSize?: number): FailureGroup[];
export function failureGroups(outcomes: AsyncIterable<ReportOrder>, sampleSize?: number): Promise<FailureGroup[]>;
export function failureGroups(
  outcomes: Iterable<ReportOrder> | AsyncIterable<ReportOrder>,
  sampleSize: number = SAMPLE_SIZE,
): FailureGroup[] | Promise<FailureGroup[]> {
  const grouper = new FailureGrouper(sampleSize);
  if (Symbol.asyncIterator in outcomes) {
    return (async () => {
      for await (const record of outcomes) grouper.add(record);
      return grouper.groups();
    })();
  }
  for (const record of outcomes) grouper.add(record);
  return grouper.groups();
}

class FailureGrouper {
  private readonly byReason = new Map<string, FailureGroup>();

  constructor(private readonly sampleSize: number) {}

  add(record: ReportOrder): void {
    if (!isFailure(record.outcome)) return;
    const reason = record.reason ?? record.outcome;
    let group = this.byReason.get(reason);
    if (!group) this.byReason.set(reason, (group = { reason, count: 0, sample: [], ...(record.message ? { message: record.message } : {}) }));
    group.count++;
    if (group.sample.length < this.sampleSize) group.sample.push(record.name ?? record.order);
  }

  groups(): FailureGroup[] {
    return [...this.byReason.values()].sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
  }
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
