// Orders named by id, read in bulk: when a selection names more orders than the rate-limit bucket can
// spare lookups for (a CSV of thousands on a standard plan), their lookup facts come from bulk query
// exports of `id:1 OR id:2 …` searches — free of the bucket the mutations need — instead of `nodes`
// lookups that cost points per order. Orders an export does not return go on without facts, so the
// planner's `nodes` lookup reads (or misses) them exactly as before. While points are plentiful (a
// small selection, a big plan) lookups are faster than an export's start-up, and are used.
import { exportOrders, type BulkExportDeps } from './bulk-export.js';
import type { SelectedOrder } from '../resolve-selection.js';

export interface ExportSelectedOptions {
  /** Ids per export: each becomes an `id:` term of one search. */
  chunk: number;
  /** Exports running at once (Shopify runs up to 5 bulk queries per shop at a time). */
  parallel: number;
  /** Asked for each chunk: true when looking its orders up one by one would cost points the run needs. */
  worthExporting(orders: number): boolean;
}

// Four at once leaves Shopify's fifth bulk-query slot to the run's confirmations or another app.
export const EXPORT_SELECTED_DEFAULTS: Omit<ExportSelectedOptions, 'worthExporting'> = { chunk: 250, parallel: 4 };

const ORDER_GID = /^gid:\/\/shopify\/Order\/(\d+)$/;

export async function* exportSelected(
  selection: AsyncIterable<SelectedOrder>,
  template: { template: string; children?: string },
  deps: BulkExportDeps,
  options: ExportSelectedOptions,
): AsyncGenerator<SelectedOrder> {
  const waiting: SelectedOrder[] = [];
  // Exports started and not yet handed on, oldest first; a few run while the planner reads the first.
  const running: Promise<SelectedOrder[]>[] = [];
  // Exports still running when the planner stops early (--limit) are not waited for.
  const stop = new AbortController();
  const chunkDeps = { ...deps, signal: AbortSignal.any([deps.signal, stop.signal]) };
  const start = () => {
    const chunk = exportChunk(waiting.splice(0, options.chunk), template, chunkDeps);
    chunk.catch(() => {}); // awaited in turn below; until then a failure must not count as unhandled
    running.push(chunk);
  };
  try {
    for await (const selected of selection) {
      // Orders that need no export wait their turn too: the plan reads in selection order.
      if ((selected.node !== undefined || !ORDER_GID.test(selected.gid)) && waiting.length === 0 && running.length === 0) {
        yield selected;
        continue;
      }
      waiting.push(selected);
      if (waiting.length < options.chunk) continue;
      if (options.worthExporting(options.chunk)) start();
      else {
        while (running.length) yield* await running.shift()!;
        yield* waiting.splice(0);
      }
      if (running.length >= options.parallel) yield* await running.shift()!;
    }
    if (waiting.length && running.length > 0) start(); // the tail of an exported selection goes the same way
    while (running.length) yield* await running.shift()!;
    yield* waiting;
  } finally {
    stop.abort();
  }
}

/** The chunk, in its order, with the facts its export found; the rest (not visible to the export, or no such order) go on without, for the planner to look up one by one. */
async function exportChunk(
  chunk: SelectedOrder[],
  template: { template: string; children?: string },
  deps: BulkExportDeps,
): Promise<SelectedOrder[]> {
  const wanted = chunk.filter((selected) => selected.node === undefined && ORDER_GID.test(selected.gid));
  if (wanted.length === 0) return chunk;
  const search = wanted.map((selected) => `id:${ORDER_GID.exec(selected.gid)![1]}`).join(' OR ');
  const found = new Map<string, SelectedOrder>();
  for await (const exported of exportOrders(template, search, deps)) found.set(exported.gid, exported);
  return chunk.map((selected) => {
    const exported = selected.node === undefined ? found.get(selected.gid) : undefined;
    return exported ? { ...selected, name: exported.name ?? selected.name, node: exported.node } : selected;
  });
}
