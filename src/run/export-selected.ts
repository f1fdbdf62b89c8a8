// Orders named by id, read in bulk: when a selection names more orders than the rate-limit bucket can
// spare lookups for (a CSV of thousands on a standard plan), their lookup facts come from bulk query
// exports of `id:1 OR id:2 …` searches — free of the bucket the mutations need — instead of `nodes`
// lookups that cost points per order. Orders an export does not return go on without facts, so the
// planner's `nodes` lookup reads (or misses) them exactly as before. While points are plentiful (a
// small selection, a big plan) lookups are faster than an export's start-up, and are used.
import { exportOrders, type BulkExportDeps } from './bulk-export.js';
import type { SelectedOrder } from './resolve-selection.js';

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
  const start = () => {
    const chunk = exportChunk(waiting.splice(0, options.chunk), template, deps);
    chunk.catch(() => {}); // awaited in turn below; until then a failure must not count as unhandled
    running.push(chunk);
  };
  for await (const selected of selection) {
    if (selected.node !== undefined || !ORDER_GID.test(selected.gid)) {
      yield selected;
      continue;
    }
    waiting.push(selected);
    if (waiting.length < options.chunk) continue;
    if (options.worthExporting(options.chunk)) start();
    else {
      // Exports already running hand on their orders first: the plan reads in selection order.
      while (running.length) yield* await running.shift()!;
      yield* waiting.splice(0);
    }
    if (running.length >= options.parallel) yield* await running.shift()!;
  }
  if (waiting.length && running.length > 0) start(); // the tail of an exported selection goes the same way
  while (running.length) yield* await running.shift()!;
  yield* waiting;
}

async function exportChunk(chunk: SelectedOrder[], template: { template: string; children?: string }, deps: BulkExportDeps): Promise<SelectedOrder[]> {
  const byGid = new Map(chunk.map((selected) => [selected.gid, selected]));
  const search = chunk.map((selected) => `id:${ORDER_GID.exec(selected.gid)![1]}`).join(' OR ');
  const out: SelectedOrder[] = [];
  for await (const found of exportOrders(template, search, deps)) {
    const selected = byGid.get(found.gid);
    if (!selected) continue; // not one of ours (a search matches nothing else, but be sure)
    byGid.delete(found.gid);
    out.push({ ...selected, name: found.name ?? selected.name, node: found.node });
  }
  // Not exported (not visible to the export, or no such order): the planner looks them up one by one.
  return [...out, ...byGid.values()];
}
