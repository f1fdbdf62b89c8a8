// One matcher per `orders(query:)` filter field. Each turns a parsed term into a predicate once, so
// matching many orders does no re-parsing. Values compare case-insensitively. A range comparator
// (`:<` etc.) on a field without an order (status, tag, email, …) matches nothing.

import type { TermNode } from './ast.js';
import type { OrderSearchFields } from './order-search-fields.js';
import { parseSearchDate } from './search-date.js';

export type OrderPredicate = (order: OrderSearchFields) => boolean;
type FieldCompiler = (term: TermNode, now: Date) => OrderPredicate;

const NEVER: OrderPredicate = () => false;

/** `:value` is case-insensitive equality, `:value*` a prefix match (`:*` = has any value). */
function textTest(term: TermNode): ((candidate: string) => boolean) | null {
  if (term.comparator !== 'eq') return null;
  const wanted = term.value.toLowerCase();
  return term.prefix ? (candidate) => candidate.startsWith(wanted) : (candidate) => candidate === wanted;
}

/** Matches when any of the order's values for the field passes the term. */
function textField(valuesOf: (order: OrderSearchFields) => readonly (string | null)[]): FieldCompiler {
  return (term) => {
    const test = textTest(term);
    if (!test) return NEVER;
    return (order) => valuesOf(order).some((value) => value !== null && test(value.toLowerCase()));
  };
}

const statusField: FieldCompiler = (term, now) => {
  if (term.comparator === 'eq' && !term.prefix && term.value.toLowerCase() === 'not_closed') {
    return (order) => order.status !== 'closed';
  }
  return textField((order) => [order.status])(term, now);
};

const tagField = textField((order) => order.tags);

/** `tag_not:x` keeps orders with no tag x; a range comparator still matches nothing. */
const tagNotField: FieldCompiler = (term, now) => {
  if (term.comparator !== 'eq') return NEVER;
  const hasTag = tagField(term, now);
  return (order) => !hasTag(order);
};

/** "#1001", "1001" and "#1001" in quotes are the same name; compare without the leading '#'. */
function normalizeName(name: string): string {
  return name.trim().replace(/^#/, '').toLowerCase();
}

const nameField: FieldCompiler = (term) => {
  const wanted = normalizeName(term.value);
  if (term.comparator === 'eq') {
    if (term.prefix) return (order) => normalizeName(order.name).startsWith(wanted);
    return (order) => normalizeName(order.name) === wanted;
  }
  // Ranges (`name:>=1005`) only make sense between order numbers.
  if (term.prefix || !/^\d+$/.test(wanted)) return NEVER;
  const bound = BigInt(wanted);
  return (order) => {
    const own = normalizeName(order.name);
    return /^\d+$/.test(own) && compare(BigInt(own), bound, term);
  };
};

/** Accepts `1234` and, for convenience, `gid://shopify/Order/1234`. */
function readNumericId(value: string): bigint | null {
  const match = /^(?:gid:\/\/shopify\/order\/)?(\d+)$/i.exec(value.trim());
  return match ? BigInt(match[1] as string) : null;
}

/** The id an `id:<n>` equality term names (as decimal text), for matching many of them with one Set. */
export function idEquality(term: TermNode): string | null {
  if (term.field !== 'id' || term.prefix || term.comparator !== 'eq') return null;
  const wanted = readNumericId(term.value);
  return wanted === null ? null : wanted.toString();
}

const idField: FieldCompiler = (term, now) => {
  if (term.prefix) return textField((order) => [String(order.id)])(term, now);
  const wanted = readNumericId(term.value);
  if (wanted === null) return NEVER;
  return (order) => Number.isInteger(order.id) && compare(BigInt(order.id), wanted, term);
};

function dateField(rawOf: (order: OrderSearchFields) => string): FieldCompiler {
  return (term, now) => {
    // `created_at:2024-01*` compares the ISO text; `created_at:*` asks for any date.
    if (term.prefix) return textField((order) => [rawOf(order)])(term, now);
    const span = parseSearchDate(term.value, now);
    if (span === null) return NEVER;
    return (order) => {
      const at = Date.parse(rawOf(order));
      if (Number.isNaN(at)) return false;
      // Equality covers the whole span (a day, a month…); ranges compare with its start.
      if (term.comparator === 'eq') return at >= span.start && at < span.end;
      return compare(at, span.start, term);
    };
  };
}

function compare<T extends number | bigint>(actual: T, bound: T, term: TermNode): boolean {
  switch (term.comparator) {
    case 'eq':
      return actual === bound;
    case 'lt':
      return actual < bound;
    case 'lte':
      return actual <= bound;
    case 'gt':
      return actual > bound;
    case 'gte':
      return actual >= bound;
  }
}

const ORDER_FIELDS: Readonly<Record<string, FieldCompiler>> = {
  status: statusField,
  financial_status: textField((order) => [order.financialStatus]),
  fulfillment_status: textField((order) => order.fulfillmentStatuses),
  delivery_method: textField((order) => order.deliveryMethods),
  tag: tagField,
  tag_not: tagNotField,
  name: nameField,
  id: idField,
  created_at: dateField((order) => order.createdAt),
  updated_at: dateField((order) => order.updatedAt),
  processed_at: dateField((order) => order.processedAt),
  email: textField((order) => [order.email]),
  test: textField((order) => [String(order.test)]),
  return_status: textField((order) => [order.returnStatus]),
};

/** The predicate for a field term, or null when the orders search has no such field. */
export function compileFieldTerm(field: string, term: TermNode, now: Date): OrderPredicate | null {
  // hasOwn, so `constructor:` or `__proto__:` are unknown fields rather than Object.prototype members.
  const compileField = Object.hasOwn(ORDER_FIELDS, field) ? ORDER_FIELDS[field] : undefined;
  return compileField ? compileField(term, now) : null;
}

/** Free text (no field) is a case-insensitive substring of the name, the email or any tag. */
export function compileFreeText(term: TermNode): OrderPredicate {
  const wanted = term.value.toLowerCase();
  const contains = (value: string | null): boolean => value !== null && value.toLowerCase().includes(wanted);
  return (order) => contains(order.name) || contains(order.email) || order.tags.some(contains);
}

export const ORDER_SEARCH_FIELD_NAMES: readonly string[] = Object.keys(ORDER_FIELDS);
