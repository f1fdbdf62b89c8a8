// Renders a search AST compactly so parser tests can state the expected tree in one line:
// AND(OR(a, b), c), NOT(tag:x), created_at:>=2024-01-01, "quoted phrase", foo*.

import type { SearchNode } from '../../src/search/parse.js';

const COMPARATOR_TEXT = { eq: ':', lt: ':<', gt: ':>', lte: ':<=', gte: ':>=' } as const;

export function showAst(node: SearchNode | null): string {
  if (node === null) return '∅';
  switch (node.kind) {
    case 'and':
    case 'or':
      return `${node.kind.toUpperCase()}(${node.children.map(showAst).join(', ')})`;
    case 'not':
      return `NOT(${showAst(node.child)})`;
    case 'term': {
      const value = `${node.quoted ? `"${node.value}"` : node.value}${node.prefix ? '*' : ''}`;
      return node.field === null ? value : `${node.field}${COMPARATOR_TEXT[node.comparator]}${value}`;
    }
  }
}
