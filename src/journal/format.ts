// The journal's line format: one JSON object per line, told apart by `t`. A run's journal is its
// audit trail and what `--resume` rebuilds from, so every line read back is checked for the fields
// resume relies on before anyone trusts it.

import type { InterruptKind } from '../errors.js';
import { isRecord } from '../util/is-record.js';

/** The journal format, recorded as the header's `version`: a newer one is refused, not misread. */
export const JOURNAL_FORMAT = 1;

/** Every final state of one order in a run, as journaled and reported (docs/shopify-behaviour.md#order-outcomes). */
export const OUTCOMES = ['done', 'already', 'skipped', 'failed', 'unknown'] as const;

/** Final state of one order in a run. */
export type OrderOutcome = (typeof OUTCOMES)[number];

const OUTCOME_SET: ReadonlySet<string> = new Set(OUTCOMES);

export function isOrderOutcome(value: unknown): value is OrderOutcome {
  return typeof value === 'string' && OUTCOME_SET.has(value);
}

/** A run's counts, as its `finished` line and the --json report's `summary` record them. */
export interface RunCounts {
  selected: number;
  done: number;
  already: number;
  skipped: number;
  failed: number;
  unknown: number;
}

/** Who ran what: the journal's first line. */
export interface HeaderEntry {
  t: 'header';
  runId: string;
  command: string;
  /** The run's options, never a secret: the access token is not an option. */
  options: Record<string, unknown>;
  store: string;
  apiVersion: string;
  user: string;
  host: string;
  pid: number;
  /** ISO 8601, like every `at` below. */
  startedAt: string;
  /** JOURNAL_FORMAT when written. */
  version: number;
}

/** Who carried a run on after it stopped: appended by a resume, before anything else. */
export interface ResumedEntry {
  t: 'resumed';
  at: string;
  user: string;
  host: string;
  pid: number;
}

export interface PlannedEntry {
  t: 'planned';
  /** The order's GID. */
  order: string;
  name: string | null;
  /** Action-specific; the journal only stores them. */
  steps: unknown[];
}

/** Written before a mutation is sent: after a crash it means "maybe applied, verify first". */
export interface SentEntry {
  t: 'sent';
  order: string;
  /** Index into the order's planned steps. */
  step: number;
  attempt: number;
  at: string;
}

/** The mutation was answered; `data` is what finishing the step needs (e.g. the cancel job id). */
export interface AcceptedEntry {
  t: 'accepted';
  order: string;
  step: number;
  at: string;
  data?: unknown;
}

export interface OutcomeEntry {
  t: 'outcome';
  order: string;
  name: string | null;
  outcome: OrderOutcome;
  reason?: string;
  message?: string;
  at: string;
  detail?: unknown;
}

export interface PlanCompleteEntry {
  t: 'plan-complete';
  at: string;
  summary: Record<string, number>;
  /** The options, when they were chosen after the selection was read (the header could not hold them). */
  options?: Record<string, unknown>;
}

export interface InterruptedEntry {
  t: 'interrupted';
  at: string;
  signal: InterruptKind;
}

export interface FinishedEntry {
  t: 'finished';
  at: string;
  summary: Record<string, number>;
}

export type JournalEntry =
  HeaderEntry | ResumedEntry | PlannedEntry | SentEntry | AcceptedEntry | OutcomeEntry | PlanCompleteEntry | InterruptedEntry | FinishedEntry;

/** A line that is a JSON object, not checked any further: what the lenient reader yields. */
export type JournalLine = Record<string, unknown>;

/** The entry on one line, or (a string) what is wrong with it. */
export function parseJournalLine(text: string): JournalEntry | string {
  const value = parseJournalObject(text);
  return typeof value === 'string' ? value : checkJournalEntry(value);
}

/** The JSON object on one line, or (a string) what is wrong with it. */
export function parseJournalObject(text: string): JournalLine | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not valid JSON';
  }
  return isRecord(value) ? value : 'not a JSON object';
}

/** `value` as an entry, once it has the fields readers rely on; or (a string) what it lacks. */
export function checkJournalEntry(value: JournalLine): JournalEntry | string {
  const { t } = value;
  const checks = typeof t === 'string' ? CHECKS.get(t) : undefined;
  if (!checks) return `unknown entry type ${JSON.stringify(t) ?? 'undefined'}`;
  for (const [field, check] of checks) {
    if (!check(value[field])) return `a "${String(t)}" entry without a valid "${field}"`;
  }
  return value as unknown as JournalEntry;
}

type FieldCheck = (value: unknown) => boolean;

const isString: FieldCheck = (value) => typeof value === 'string';
const isNameField: FieldCheck = (value) => value === null || typeof value === 'string';
const isCount: FieldCheck = (value) => Number.isSafeInteger(value) && (value as number) >= 0;

// Only what a reader relies on; anything else an entry carries is passed through untouched.
const REQUIRED: Readonly<Record<JournalEntry['t'], Readonly<Record<string, FieldCheck>>>> = {
  header: { runId: isString, command: isString, store: isString, startedAt: isString, version: isCount, options: isRecord },
  resumed: { at: isString },
  planned: { order: isString, name: isNameField, steps: Array.isArray },
  sent: { order: isString, step: isCount, at: isString },
  accepted: { order: isString, step: isCount, at: isString },
  outcome: { order: isString, name: isNameField, outcome: isOrderOutcome, at: isString },
  'plan-complete': { at: isString, summary: isRecord },
  interrupted: { at: isString, signal: isString },
  finished: { at: isString, summary: isRecord },
};
const CHECKS = new Map(Object.entries(REQUIRED).map(([t, checks]) => [t, Object.entries(checks)]));
