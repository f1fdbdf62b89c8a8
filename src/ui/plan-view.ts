// The plan, as people read it on stderr before anything changes: how many orders will be acted on,
// how many are already in the target state, skipped (by reason) or not found, and the action's facts
// (refund totals for cancel). A compact two-column table, aligned on plain text so it reads the same
// without colour; colour only highlights.

import type { ChalkInstance } from 'chalk';

import type { PlanFacts } from '../actions/action.js';
import type { PlanTotals } from '../run/planner.js';
import { formatCount, formatMoney, plural } from './format.js';
import { safeForTerminal } from './terminal-text.js';

export interface PlanViewOptions {
  /** The command, e.g. "cancel". */
  action: string;
  dryRun: boolean;
  chalk: ChalkInstance;
  /** The action's own words (its labels.ts): the row to act on, and its fact groups' headings. */
  labels?: { act: string; factGroups?: Readonly<Record<string, string>> };
}

/** One row of facts: an item of a group (a currency, a service), or a plain count (group null). */
interface Fact {
  group: string | null;
  item: string;
  value: number;
}

function factsOf(facts: PlanFacts): Fact[] {
  return Object.entries(facts).flatMap(([group, value]): Fact[] => {
    if (typeof value === 'number') return [{ group: null, item: group, value }];
    return Object.entries(value ?? {}).flatMap(([item, n]) => (typeof n === 'number' ? [{ group, item, value: n }] : []));
  });
}

const sortKey = (fact: Fact) => (fact.group === null ? fact.item : `${fact.group}:${fact.item}`);

/** Reasons the planner gives to orders it could not plan (failures), as opposed to skips. */
export const PLAN_FAILURE_REASONS: ReadonlySet<string> = new Set(['not-found']);

type Tone = 'plain' | 'good' | 'warn' | 'bad' | 'dim';

interface Row {
  label: string;
  value: string;
  unit: string;
  tone: Tone;
  /** Indented detail row (a reason under its total). */
  detail?: boolean;
}

export function formatPlan(totals: PlanTotals, options: PlanViewOptions): string {
  const { chalk } = options;
  const rows: Row[] = [];
  // Labels and units can come from the store (service handles, delivery methods, currencies, reasons):
  // sanitised here, before alignment and colour.
  const add = (label: string, value: number | string, unit = '', tone: Tone = 'plain', detail = false) =>
    rows.push({
      label: safeForTerminal(label),
      value: typeof value === 'number' ? formatCount(value) : safeForTerminal(value),
      unit: safeForTerminal(unit),
      tone,
      detail,
    });

  const { skips, failures } = splitReasons(totals);

  add('Selected', totals.selected, plural(totals.selected, 'order'));
  add(options.labels?.act ?? `To ${options.action}`, totals.act, '', totals.act > 0 ? 'good' : 'plain');
  if (totals.already > 0) add('Already in target state', totals.already);
  if (totals.skipped > 0 || skips.length > 0) {
    add('Skipped', totals.skipped, '', 'warn');
    for (const [reason, count] of skips) add(reason, count, '', 'warn', true);
  }
  if (totals.failed > 0 || failures.length > 0) {
    add('Not found / failed', totals.failed, '', 'bad');
    for (const [reason, count] of failures) add(reason, count, '', 'bad', true);
  }
  const groupsShown = new Set<string>();
  // Refunds first (by currency), then the other facts: plain counts, and groups under their heading.
  const isRefund = (fact: Fact) => fact.group === 'refund' || fact.group === 'store-credit';
  const isNothingToRefund = (fact: Fact) => fact.group === null && fact.item === 'nothing-to-refund';
  const factOrder = (fact: Fact) => (isRefund(fact) ? 0 : isNothingToRefund(fact) ? 1 : 2);
  for (const fact of factsOf(totals.facts).sort((a, b) => factOrder(a) - factOrder(b) || compare(sortKey(a), sortKey(b)))) {
    if (isRefund(fact)) {
      add(fact.group === 'store-credit' ? 'Refund as store credit' : 'Refund now', formatMoney(fact.value, fact.item), fact.item);
    } else if (isNothingToRefund(fact)) {
      add('Nothing to refund', fact.value, plural(fact.value, 'order'), 'dim');
    } else if (fact.group === null) {
      add(fact.item, fact.value);
    } else {
      if (!groupsShown.has(fact.group)) add(options.labels?.factGroups?.[fact.group] ?? fact.group, '');
      groupsShown.add(fact.group);
      add(fact.item, fact.value, '', 'plain', true);
    }
  }

  const labelWidth = Math.max(...rows.map((r) => (r.detail ? 4 : 2) + r.label.length));
  const valueWidth = Math.max(...rows.map((r) => r.value.length));
  const paint = (tone: Tone, text: string): string =>
    tone === 'good'
      ? chalk.green(text)
      : tone === 'warn'
        ? chalk.yellow(text)
        : tone === 'bad'
          ? chalk.red(text)
          : tone === 'dim'
            ? chalk.dim(text)
            : text;

  const lines = [chalk.bold(`Plan: ${safeForTerminal(options.action)}`)];
  for (const row of rows) {
    const label = `${row.detail ? '    ' : '  '}${row.label}`.padEnd(labelWidth);
    const value = row.value.padStart(valueWidth);
    const line = `${row.detail ? chalk.dim(label) : label}  ${paint(row.tone, value)}${row.unit ? ` ${row.unit}` : ''}`;
    lines.push(line.trimEnd());
  }
  if (totals.limited) lines.push(chalk.yellow('  stopped at --limit: more orders matched than will be acted on'));
  if (options.dryRun) lines.push(chalk.cyan('  (dry run: nothing will change)'));
  return `${lines.join('\n')}\n`;
}

/**
 * PlanTotals keeps skip and failure reasons in one map. Reasons the planner uses for failures go to
 * failures; when only one kind has orders, every reason belongs to it.
 */
function splitReasons(totals: PlanTotals): { skips: [string, number][]; failures: [string, number][] } {
  const skips: [string, number][] = [];
  const failures: [string, number][] = [];
  for (const entry of totals.reasons) {
    if (entry[1] <= 0) continue;
    const isFailure = totals.skipped === 0 ? totals.failed > 0 : totals.failed > 0 && PLAN_FAILURE_REASONS.has(entry[0]);
    (isFailure ? failures : skips).push(entry);
  }
  const byCount = (a: [string, number], b: [string, number]) => b[1] - a[1] || compare(a[0], b[0]);
  return { skips: skips.sort(byCount), failures: failures.sort(byCount) };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
