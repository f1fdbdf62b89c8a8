// The orders a command names, in every way it can name them: arguments and --ids, a CSV (file or
// stdin), and a search query with --older-than's bound, deduplicated and resolved to GIDs.
import type { Context } from '../../context.js';
import type { Requester } from '../../run/requester.js';
import { exportOrders } from '../../selection/export/bulk-export.js';
import { EXPORT_SELECTED_DEFAULTS, exportSelected } from '../../selection/export/export-selected.js';
import { ordersFromQuery, resolveSelection, type SelectedOrder } from '../../selection/resolve-selection.js';
import type { CsvInput } from '../../selection/open-input.js';
import { strictSelection } from '../../selection/strict.js';
import { concatSources, dedupe, refsFromArguments, refsFromCsv, type SelectionEvent } from '../../selection/sources.js';
import type { CommonFlags } from './flags.js';

export function namesAnyOrders(flags: CommonFlags, positional: string[]): boolean {
  return positional.length > 0 || (flags.ids?.length ?? 0) > 0 || flags.csv !== undefined || flags.query !== undefined || flags.olderThan !== undefined;
}

/** Input problems (bad rows, unknown names) are kept for the end: a live progress bar owns the terminal meanwhile. */
export function selectOrders(
  ctx: Context,
  flags: CommonFlags,
  positional: string[],
  requester: Requester,
  signal: AbortSignal,
  problems: string[],
  lookup: { export?: { template: string; children: string }; document: { costPerOrder: number } },
  /** --csv, opened (and checked) before anything connected. */
  csv: CsvInput | null,
): AsyncIterable<SelectedOrder> {
  const exportTemplate = lookup.export;
  const lookupCostPerOrder = lookup.document.costPerOrder;
  const sources: AsyncIterable<SelectionEvent>[] = [refsFromArguments(positional, flags.ids ?? [])];
  if (csv) sources.push(refsFromCsv(csv.stream, csv.label));
  const byRef = resolveSelection(dedupe(strictSelection(concatSources(...sources), flags.strict === true)), requester, signal, {
    problem: (p) => problems.push(`${p.origin}: ${p.message}`),
    notFound: (origin, what) => problems.push(`${origin}: ${what} not found`),
  });
  const exportDeps = { requester, downloadLines: ctx.network.downloadLines, sleep: ctx.sleep, signal };
  // Many orders named by id are read through bulk exports too, when the action can read its facts that way.
  const named = exportTemplate
    ? exportSelected(byRef, exportTemplate, exportDeps, {
        ...EXPORT_SELECTED_DEFAULTS,
        worthExporting: (orders) => !requester.canSpare(orders * lookupCostPerOrder),
      })
    : byRef;
  const query = searchQuery(ctx.now(), flags);
  if (query === null) return named;
  // A search is exported in bulk when the action can read its facts that way: no rate-limit cost, no 25,000 cap.
  const bySearch = exportTemplate ? exportOrders(exportTemplate, query, exportDeps) : ordersFromQuery(query, requester, signal);
  return (async function* () {
    yield* named;
    yield* bySearch;
  })();
}

/** The search query, with --older-than's created_at bound computed now. */
export function searchQuery(now: number, flags: CommonFlags): string | null {
  const bound = flags.olderThan === undefined ? null : `created_at:<'${new Date(now - flags.olderThan).toISOString()}'`;
  if (flags.query === undefined) return bound;
  return bound ? `(${flags.query}) ${bound}` : flags.query;
}
