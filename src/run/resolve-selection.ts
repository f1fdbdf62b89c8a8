// From what the user named to order GIDs: ids pass through, order names are looked up in batches
// (`name:"#1001" OR name:"#1002" …`, matched exactly), and a search query is paged through.
import { ORDERS_BY_QUERY } from '../shopify/documents/selection.js';
import type { SelectionEvent, SelectionProblem } from '../selection/sources.js';
import type { Requester } from './requester.js';

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
const QUERY_PAGE_SIZE = 250;

interface NameRef {
  name: string;
  origin: string;
}

export async function* resolveSelection(
  events: AsyncIterable<SelectionEvent>,
  requester: Requester,
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

async function* resolveNames(refs: NameRef[], requester: Requester, signal: AbortSignal, report: SelectionReport): AsyncGenerator<SelectedOrder> {
  const query = refs.map((ref) => `name:${quoted(ref.name)}`).join(' OR ');
  const answer = await requester.read(ORDERS_BY_QUERY, { query, first: QUERY_PAGE_SIZE }, QUERY_PAGE_SIZE + 2, signal);
  const found = new Map<string, { id: string; name: string }>();
  for (const node of answer.data?.orders?.nodes ?? []) found.set(normalName(String(node.name)), { id: String(node.id), name: String(node.name) });
  for (const ref of refs) {
    const match = found.get(normalName(ref.name));
    if (match) yield { gid: match.id, name: match.name, origin: ref.origin };
    else report.notFound(ref.origin, `order ${ref.name}`);
  }
}

/** Every order a search query selects, page by page (Shopify stops paging at 25,000). */
export async function* ordersFromQuery(query: string, requester: Requester, signal: AbortSignal): AsyncGenerator<SelectedOrder> {
  let after: string | null = null;
  do {
    const answer = await requester.read(ORDERS_BY_QUERY, { query, first: QUERY_PAGE_SIZE, after }, QUERY_PAGE_SIZE + 2, signal);
    const page = answer.data?.orders;
    for (const node of page?.nodes ?? []) yield { gid: String(node.id), name: String(node.name), origin: 'query' };
    after = page?.pageInfo?.hasNextPage ? String(page.pageInfo.endCursor) : null;
  } while (after);
}
