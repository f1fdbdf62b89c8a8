// How numbers read wherever people see them (plan, progress, result, `runs`): counts with thousands
// separators, money in the currency's own decimals, durations, and the padding of aligned tables.
// One module, so the same count or amount never reads two ways. Always en-US: output must not depend
// on the machine's locale (logs and tests compare it).

/** 1234 → "1,234". */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 0 });
}

/** "1 order", "1,234 orders". */
export function countOf(n: number, noun: string): string {
  return `${formatCount(n)} ${plural(n, noun)}`;
}

export function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}

/** 1234.5, "USD" → "1,234.50" (the currency's own number of decimals; 2 when unknown). Tables put the currency in a unit column. */
export function formatMoney(amount: number, currency: string): string {
  let digits = 2;
  try {
    digits = new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    // not an ISO 4217 code: keep 2
  }
  return amount.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** 1234.5, "USD" → "USD 1,234.50": an amount in a sentence (a question, a confirmation). */
export function moneyOf(amount: number, currency: string): string {
  return `${currency} ${formatMoney(amount, currency)}`;
}

/** A time taken. 41234 → "41.2s"; 125000 → "2m 05s"; 3725000 → "1h 02m". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) ms = 0;
  if (ms < 60_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)}s`;
  return minutesAndHours(Math.floor(ms / 1000));
}

/** A time still to go, in whole seconds (tenths would only flicker). null → "--"; 21000 → "21s"; 83000 → "1m 23s"; 7380000 → "2h 03m". */
export function formatEta(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '--';
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  return minutesAndHours(seconds);
}

/** From a minute on: "2m 05s", then "1h 02m". */
function minutesAndHours(seconds: number): string {
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h ${String(Math.floor(seconds / 60) % 60).padStart(2, '0')}m`;
}

// Tables are aligned on plain text (colour is added after padding), so they read the same without colour.

export type Align = 'left' | 'right';

export function pad(text: string, width: number, align: Align = 'left'): string {
  return align === 'right' ? text.padStart(width) : text.padEnd(width);
}

/** The length of the longest text; 0 for none. */
export function widest(texts: Iterable<string>): number {
  let width = 0;
  for (const text of texts) width = Math.max(width, text.length);
  return width;
}

/** Cut to `width` characters, the last one an ellipsis when cut. */
export function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

export interface ReasonRow {
  /** Already safe for the terminal. */
  reason: string;
  count: number;
  /** Order names, already safe for the terminal. */
  sample: readonly string[];
}

/**
 * Failures grouped by reason, one line each: "  reason  count  #1001, #1002, ...", reasons and counts
 * aligned. `ellipsis` ends a sample that leaves orders out; `dim` styles the sample.
 */
export function reasonLines(groups: readonly ReasonRow[], style: { ellipsis: string; dim(text: string): string }): string[] {
  const reasonWidth = widest(groups.map((g) => g.reason));
  const countWidth = widest(groups.map((g) => formatCount(g.count)));
  return groups.map((group) => {
    const more = group.count > group.sample.length ? `, ${style.ellipsis}` : '';
    const sample = group.sample.length ? style.dim(`  ${group.sample.join(', ')}${more}`) : '';
    return `  ${pad(group.reason, reasonWidth)}  ${pad(formatCount(group.count), countWidth, 'right')}${sample}`;
  });
}
