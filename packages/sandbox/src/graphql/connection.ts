// Relay connections with Shopify's pagination rules: first or last (at most 250), opaque cursors that
// stay valid while the list changes underneath (they encode the sort position, not an index), and
// no paging past 25,000 objects (docs/shopify-behaviour.md#pagination).
import { GraphQLError } from 'graphql';

export const MAX_PAGE_SIZE = 250;
export const MAX_PAGINATION_DEPTH = 25_000;

export interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
}

/** A position in a sorted list: the sort value, then the id as a tie-breaker. */
export type SortPosition = [value: string | number, id: number];

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

export function encodeCursor(position: SortPosition): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

function decodeCursor(cursor: string): SortPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[1] === 'number') return value as SortPosition;
  } catch {
    // fall through to the error below
  }
  throw new GraphQLError(`Invalid cursor for current pagination sort.`, { extensions: { code: 'BAD_REQUEST' } });
}

export function comparePositions(a: SortPosition, b: SortPosition): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] - b[1];
}

export function checkPageArgs(args: PageArgs): number {
  const first = args.first ?? null;
  const last = args.last ?? null;
  if (first === null && last === null) throw new GraphQLError('you must provide one of first or last');
  if (first !== null && last !== null) throw new GraphQLError('providing both first and last is not supported');
  const size = (first ?? last)!;
  if (size < 0) throw new GraphQLError(`${first !== null ? 'first' : 'last'} must be greater than or equal to 0`);
  if (size > MAX_PAGE_SIZE) {
    throw new GraphQLError(`The ${first !== null ? 'first' : 'last'} argument must be less than or equal to ${MAX_PAGE_SIZE}`);
  }
  return size;
}

/**
 * Pages through `items`, which must already be sorted ascending by `positionOf`; `reverse` flips the order.
 * `all` (bulk query exports) returns every item: first/last/after/before and the 25,000 cap do not apply.
 */
export function paginate<T, N>(
  items: readonly T[],
  args: PageArgs,
  positionOf: (item: T) => SortPosition,
  toNode: (item: T) => N,
  options: { all?: boolean } = {},
): Connection<N> {
  if (options.all) {
    const ordered = args.reverse ? [...items].reverse() : items;
    const edges = ordered.map((item) => ({ cursor: encodeCursor(positionOf(item)), node: toNode(item) }));
    return {
      edges,
      nodes: edges.map((e) => e.node),
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }
  const size = checkPageArgs(args);
  const direction = args.reverse ? -1 : 1;
  const ordered = args.reverse ? [...items].reverse() : items;
  const cmp = (item: T, cursor: SortPosition) => direction * comparePositions(positionOf(item), cursor);
  const limit = Math.min(ordered.length, MAX_PAGINATION_DEPTH);
  let start = 0;
  let end = limit;
  if (args.after) {
    const after = decodeCursor(args.after);
    while (start < end && cmp(ordered[start]!, after) <= 0) start++;
  }
  if (args.before) {
    const before = decodeCursor(args.before);
    let i = start;
    while (i < end && cmp(ordered[i]!, before) < 0) i++;
    end = i;
  }
  let from = start;
  let to = end;
  if (args.first != null) to = Math.min(end, start + size);
  else from = Math.max(start, end - size);
  const page = ordered.slice(from, to);
  const edges = page.map((item) => ({ cursor: encodeCursor(positionOf(item)), node: toNode(item) }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage: to < limit,
      hasPreviousPage: from > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
