// Selecting by search through a bulk query export: Shopify runs the action's lookup over every order
// the search matches and writes JSONL, charging only the requests that start and watch it. So the
// plan's reads cost (almost) nothing from the budget the mutations need, and there is no 25,000 cap.
import { BULK_EXPORT_STATUS, BULK_EXPORT_STATUS_COST, RUN_BULK_EXPORT, RUN_BULK_EXPORT_COST } from '../../shopify/documents/bulk-export.js';
import { AuthError, RunError, UsageError } from '../../errors.js';
import { isRecord } from '../../util/is-record.js';
import type { AdminReader } from '../../shopify/admin-reader.js';
import type { SelectedOrder } from '../resolve-selection.js';

export interface BulkExportDeps {
  requester: AdminReader;
  downloadLines(url: string, signal: AbortSignal): AsyncIterable<string>;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  signal: AbortSignal;
}

const SEARCH_PLACEHOLDER = '"__SEARCH__"';
const FIRST_POLL_MS = 100;
/** BulkOperationUserError codes that mean "too many running now", and how often to wait for a free slot. */
const BUSY = new Set(['LIMIT_REACHED', 'OPERATION_IN_PROGRESS']);
const BUSY_RETRIES = 8;
const MAX_POLL_MS = 5_000;

/** The export query for one search: the template with the search as a GraphQL string literal. */
export function exportQuery(template: string, search: string): string {
  if (!template.includes(SEARCH_PLACEHOLDER)) throw new Error('bulk export template has no "__SEARCH__" placeholder');
  // A JSON string is a valid GraphQL string literal.
  return template.replace(SEARCH_PLACEHOLDER, JSON.stringify(search));
}

export async function* exportOrders(
  template: { template: string; children?: string },
  search: string,
  deps: BulkExportDeps,
): AsyncGenerator<SelectedOrder> {
  const url = await runExport(exportQuery(template.template, search), deps);
  if (url === null) return; // Shopify gives no file when nothing matched
  let current: Record<string, unknown> | null = null;
  let children: unknown[] = [];
  const complete = (): SelectedOrder | null => {
    if (!current) return null;
    const node = template.children ? { ...current, [template.children]: { nodes: children } } : current;
    return { gid: String(node.id), name: typeof node.name === 'string' ? node.name : null, origin: '--query', node };
  };
  let lineNumber = 0;
  for await (const line of deps.downloadLines(url, deps.signal)) {
    lineNumber++;
    const object = parseLine(line, lineNumber);
    if (typeof object.__parentId === 'string') {
      // Children follow their parent in Shopify's JSONL.
      if (current && object.__parentId === current.id) children.push(object);
      continue;
    }
    const done = complete();
    if (done) yield done;
    current = object;
    children = [];
  }
  const last = complete();
  if (last) yield last;
}

/** One line of the export's JSONL: an object, or the export is unreadable (a cut-off download). */
function parseLine(line: string, lineNumber: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    value = undefined;
  }
  if (!isRecord(value)) {
    throw new RunError(`The bulk export's file is unreadable at line ${lineNumber}; nothing was changed. Run the command again.`);
  }
  return value;
}

/** Starts the export and waits for it; the result file's URL, or null when nothing matched. */
async function runExport(query: string, deps: BulkExportDeps): Promise<string | null> {
  let payload;
  // Shopify runs a few bulk queries per shop at once (other apps' count too): when they are all busy,
  // wait for one to finish rather than fail the run.
  for (let busy = 0; ; busy++) {
    const started = await deps.requester.read(RUN_BULK_EXPORT, { query }, RUN_BULK_EXPORT_COST, deps.signal);
    payload = started.data?.bulkOperationRunQuery;
    const problem = payload?.userErrors?.[0];
    if (!problem) break;
    const message = `Shopify refused the bulk export: ${problem.message}`;
    if (problem.code === 'INVALID') throw new UsageError(message);
    if (!BUSY.has(problem.code) || busy >= BUSY_RETRIES) throw new RunError(message);
    await deps.sleep(Math.min(MAX_POLL_MS, 500 * 2 ** busy), deps.signal);
  }
  const id = payload?.bulkOperation?.id;
  if (typeof id !== 'string') throw new RunError('Shopify started no bulk export.');
  for (let wait = FIRST_POLL_MS; ; wait = Math.min(MAX_POLL_MS, wait * 2)) {
    await deps.sleep(wait, deps.signal);
    const answer = await deps.requester.read(BULK_EXPORT_STATUS, { id }, BULK_EXPORT_STATUS_COST, deps.signal);
    const operation = answer.data?.bulkOperation;
    switch (operation?.status) {
      case 'COMPLETED':
        return typeof operation.url === 'string' ? operation.url : null;
      case 'CREATED':
      case 'RUNNING':
        continue;
      default:
        if (operation?.errorCode === 'ACCESS_DENIED') {
          throw new AuthError('The bulk export was denied access.', 'Grant the app read_orders (and read_all_orders for older orders).');
        }
        throw new RunError(
          `The bulk export ended ${String(operation?.status ?? 'missing').toLowerCase()}${operation?.errorCode ? ` (${operation.errorCode})` : ''}.`,
        );
    }
  }
}
