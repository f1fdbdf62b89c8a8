// The orders a command names, in every way it can name them (registry.ts): order references from
// arguments, --ids and a CSV (file or stdin), deduplicated and resolved to GIDs, then the orders one
// search selects (--query with --older-than's bound).
import type { AdminReader } from '../shopify/admin-reader.js';
import { exportOrders } from './export/bulk-export.js';
import { EXPORT_SELECTED_DEFAULTS, exportSelected } from './export/export-selected.js';
import type { CsvInputContext } from './open-input.js';
import { SELECTION_SOURCES, type OpenedSource, type SelectionFlagValues } from './registry.js';
import { ordersFromQuery, resolveSelection, type SelectedOrder } from './resolve-selection.js';
import { strictSelection } from './strict.js';
import { concatSources, dedupe } from './sources.js';

/** What reading the selection needs of the process besides the requester. */
export interface SelectOrdersContext {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  network: { downloadLines(url: string, signal: AbortSignal): AsyncIterable<string> };
}

/** Every given source, opened before anything connects: a CSV that cannot be read fails here. */
export function openSelection(flags: SelectionFlagValues, positional: readonly string[], ctx: CsvInputContext): OpenedSource[] {
  return SELECTION_SOURCES.filter((source) => source.given(flags, positional)).map((source) => source.open(flags, positional, ctx));
}

/** Input problems (bad rows, unknown names) are kept for the end: a live progress bar owns the terminal meanwhile. */
export function selectOrders(
  ctx: SelectOrdersContext,
  opened: readonly OpenedSource[],
  strict: boolean,
  requester: AdminReader,
  signal: AbortSignal,
  problems: string[],
  lookup: { export?: { template: string; children: string }; document: { costPerOrder: number } },
): AsyncIterable<SelectedOrder> {
  const exportTemplate = lookup.export;
  const lookupCostPerOrder = lookup.document.costPerOrder;
  const refs = opened.flatMap((source) => (source.kind === 'refs' ? [source.events] : []));
  const byRef = resolveSelection(dedupe(strictSelection(concatSources(...refs), strict)), requester, signal, {
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
  const query = searchQuery(ctx.now(), opened);
  if (query === null) return named;
  // A search is exported in bulk when the action can read its facts that way: no rate-limit cost, no 25,000 cap.
  const bySearch = exportTemplate ? exportOrders(exportTemplate, query, exportDeps) : ordersFromQuery(query, requester, signal);
  return (async function* () {
    yield* named;
    yield* bySearch;
  })();
}

/** The one search the given search sources make together (--query, then --older-than's bound computed now). */
export function searchQuery(now: number, opened: readonly OpenedSource[]): string | null {
  const terms = opened.flatMap((source) => (source.kind === 'search' ? [source.term(now)] : []));
  if (terms.length <= 1) return terms[0]?.text ?? null;
  return terms.map((term) => (term.atomic ? term.text : `(${term.text})`)).join(' ');
}
