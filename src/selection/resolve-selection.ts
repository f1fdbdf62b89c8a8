// From what the user named to order GIDs: ids pass through, order names are looked up in batches
// (`name:"#1001" OR name:"#1002" …`, matched exactly), and a search query is paged through.
import { ORDERS_BY_QUERY, ORDERS_BY_QUERY_PAGE_COST, ORDERS_BY_QUERY_PAGE_SIZE } from '../shopify/documents/selection.js';
import type { SelectionEvent, SelectionProblem } from './sources.js';
import type { AdminReader } from '../shopify/admin-reader.js';
import { isRecord } from '../util/is-record.js';

export interface SelectedOrder {
  gid: string;
  name: string | null;
  origin: string;
  /** The action's lookup fields, when the selection already read them (a bulk export). */
  node?: unknown;
}

export interface SelectionReport {
  problem(problem: SelectionProblem): void;
  notFound(origin: string, what: string): void;
}

const NAMES_PER_QUERY = 25;

interface NameRef {
  name: string;
  origin: string;
}

export async function* resolveSelection(
  events: AsyncIterable<SelectionEvent>,
  requester: AdminReader,
  signal: AbortSignal,
  report: SelectionReport,
): AsyncGenerator<SelectedOrder> {
  let names: NameRef[] = [];
  for await (const event of events) {
    if (event.type === 'problem') {
      report.problem(event.problem);
      continue;
    }
    const { ref, origin } = event.item;
    if (ref.kind === 'id') {
      yield { gid: ref.gid, name: null, origin };
      continue;
    }
    names.push({ name: ref.name, origin });
    if (names.length >= NAMES_PER_QUERY) {
      yield* resolveNames(names, requester, signal, report);
      names = [];
    }
  }
  if (names.length) yield* resolveNames(names, requester, signal, report);
}

const normalName = (name: string) => name.replace(/^#/, '').toLowerCase();
const quoted = (value: string) => `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;

async function* resolveNames(refs: NameRef[], requester: AdminReader, signal: AbortSignal, report: SelectionReport): AsyncGenerator<SelectedOrder> {
  const query = refs.map((ref) => `name:${quoted(ref.name)}`).join(' OR ');
  const answer = await requester.read(ORDERS_BY_QUERY, { query, first: ORDERS_BY_QUERY_PAGE_SIZE }, ORDERS_BY_QUERY_PAGE_COST, signal);
  const found = new Map<string, { id: string; name: string }>();
  for (const node of orderNodes(answer.data?.orders)) found.set(normalName(node.name), node);
  for (const ref of refs) {
    const match = found.get(normalName(ref.name));
    if (match) yield { gid: match.id, name: match.name, origin: ref.origin };
    else report.notFound(ref.origin, `order ${ref.name}`);
  }
}

/** Every order a search query selects, page by page (Shopify stops paging at 25,000). */
export async function* ordersFromQuery(query: string, requester: AdminReader, signal: AbortSignal): AsyncGenerator<SelectedOrder> {
  let after: string | null = null;
  do {
    const answer = await requester.read(ORDERS_BY_QUERY, { query, first: ORDERS_BY_QUERY_PAGE_SIZE, after }, ORDERS_BY_QUERY_PAGE_COST, signal);
    const page = answer.data?.orders;
    for (const node of orderNodes(page)) yield { gid: node.id, name: node.name, origin: 'query' };
    after = page?.pageInfo?.hasNextPage && typeof page.pageInfo.endCursor === 'string' ? page.pageInfo.endCursor : null;
  } while (after);
}

/** The orders of a connection's page that Shopify gave in full: a null or id-less node names no order. */
function orderNodes(page: unknown): { id: string; name: string }[] {
  const nodes: unknown[] = isRecord(page) && Array.isArray(page.nodes) ? page.nodes : [];
  return nodes.flatMap((node) => {
    if (!isRecord(node)) return [];
    const { id, name } = node;
    return typeof id === 'string' && id.startsWith('gid://shopify/Order/') && typeof name === 'string' ? [{ id, name }] : [];
  });
}
