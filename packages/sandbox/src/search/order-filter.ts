// Compiles an `orders(query:)` string into a predicate over orders, the way the sandbox answers
// Shopify's orders search. Syntax errors throw SearchSyntaxError; an unknown field is not an error:
// like Shopify, it yields a warning, and here its term matches no order.

import type { SearchNode } from './ast.js';
import { compileFieldTerm, compileFreeText, idEquality, type OrderPredicate } from './order-fields.js';
import type { OrderSearchFields } from './order-search-fields.js';
import { parseSearchQuery } from './parse.js';

export type { OrderSearchFields } from './order-search-fields.js';

export interface CompiledOrderQuery {
  matches(order: OrderSearchFields): boolean;
  /** Shopify-style search warnings, e.g. `Invalid search field for this query: foo`. */
  warnings: string[];
}

const MATCH_ALL: OrderPredicate = () => true;

/** An empty, whitespace-only or missing query matches every order. */
export function compileOrderQuery(query: string | null | undefined, now: Date): CompiledOrderQuery {
  const root = query == null ? null : parseSearchQuery(query);
  const warnings = new Set<string>();
  const predicate = root === null ? MATCH_ALL : compileNode(root, now, warnings);
  return { matches: predicate, warnings: [...warnings] };
}

function compileNode(node: SearchNode, now: Date, warnings: Set<string>): OrderPredicate {
  switch (node.kind) {
    case 'and': {
      const children = node.children.map((child) => compileNode(child, now, warnings));
      return (order) => children.every((child) => child(order));
    }
    case 'or': {
      // `id:1 OR id:2 OR …` (a selection by id, hundreds long) is one Set lookup, not a term each.
      const ids = new Set<string>();
      const rest = node.children.filter((child) => {
        const id = child.kind === 'term' ? idEquality(child) : null;
        if (id !== null) ids.add(id);
        return id === null;
      });
      const children = rest.map((child) => compileNode(child, now, warnings));
      if (ids.size === 0) return (order) => children.some((child) => child(order));
      return (order) => ids.has(String(order.id)) || children.some((child) => child(order));
    }
    case 'not': {
      const child = compileNode(node.child, now, warnings);
      return (order) => !child(order);
    }
    case 'term': {
      if (node.field === null) return compileFreeText(node);
      const predicate = compileFieldTerm(node.field, node, now);
      if (predicate) return predicate;
      warnings.add(`Invalid search field for this query: ${node.rawField ?? node.field}`);
      return () => false;
    }
  }
}
