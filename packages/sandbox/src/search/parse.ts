// Recursive-descent parser for Shopify's search syntax (https://shopify.dev/docs/api/usage/search-syntax).
//
// Precedence, loosest first:
//   query   := andExpr END
//   andExpr := orExpr ( [AND] orExpr )*        explicit AND and whitespace (implicit AND) are the same
//   orExpr  := unary ( OR unary )*
//   unary   := ( NOT | '-' )* primary
//   primary := term | '(' andExpr ')'
//
// OR binds tighter than AND: the search-syntax page's example `bob OR norman AND Shopify` means
// `(bob OR norman) AND Shopify` (as Shopify's search-query builder and other clients read it), so
// `a OR b c` is `(a OR b) AND c`, not `a OR (b AND c)`. Parentheses override it.
// Keywords are upper case only: `and`/`or`/`not` are free text.
//
// Only parentheses recurse, and their depth is capped, so hostile input cannot overflow the stack;
// every loop moves forward one token, so time is linear in the input length.

import type { SearchNode, TermNode } from './ast.js';
import { SearchSyntaxError } from './errors.js';
import { tokenize, type Token } from './tokenize.js';

export type { AndNode, Comparator, NotNode, OrNode, SearchNode, TermNode } from './ast.js';
export { SearchSyntaxError } from './errors.js';

/** Deepest parenthesis nesting accepted; deeper input is rejected rather than recursed into. */
export const MAX_GROUP_DEPTH = 32;

/** Parses a query; returns null when it holds no terms (empty or whitespace only). */
export function parseSearchQuery(query: string): SearchNode | null {
  const tokens = tokenize(query);
  if (tokens.length === 1) return null; // only the end token
  return new Parser(tokens).parseQuery();
}

class Parser {
  private index = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  parseQuery(): SearchNode {
    const node = this.parseAnd();
    const next = this.peek();
    if (next.type === 'rparen') throw new SearchSyntaxError("Unmatched ')'", next.position);
    if (next.type !== 'end') throw new SearchSyntaxError('Unexpected input', next.position);
    return node;
  }

  private parseAnd(): SearchNode {
    const children = [this.parseOr()];
    for (;;) {
      const next = this.peek();
      if (next.type === 'end' || next.type === 'rparen') break;
      if (next.type === 'and') this.advance();
      children.push(this.parseOr());
    }
    return children.length === 1 ? (children[0] as SearchNode) : { kind: 'and', children };
  }

  private parseOr(): SearchNode {
    const children = [this.parseUnary()];
    while (this.peek().type === 'or') {
      this.advance();
      children.push(this.parseUnary());
    }
    return children.length === 1 ? (children[0] as SearchNode) : { kind: 'or', children };
  }

  private parseUnary(): SearchNode {
    // Counted in a loop, not recursed: `NOT NOT … x` of any length is safe; an even count cancels out.
    let negations = 0;
    while (this.peek().type === 'not') {
      this.advance();
      negations++;
    }
    const operand = this.parsePrimary();
    return negations % 2 === 1 ? { kind: 'not', child: operand } : operand;
  }

  private parsePrimary(): SearchNode {
    const token = this.peek();
    switch (token.type) {
      case 'term':
        this.advance();
        return token.term satisfies TermNode;
      case 'lparen':
        return this.parseGroup();
      case 'rparen':
        throw new SearchSyntaxError(this.depth === 0 ? "Unmatched ')'" : `Expected a term before ')'${this.afterPrevious()}`, token.position);
      case 'and':
      case 'or':
        throw new SearchSyntaxError(`${token.text} needs a term on its left${this.afterPrevious()}`, token.position);
      case 'not':
        // parseUnary consumes every NOT before calling here.
        throw new SearchSyntaxError(`Unexpected ${token.text}`, token.position);
      case 'end':
        throw new SearchSyntaxError(`Expected a term${this.afterPrevious()}`, token.position);
    }
  }

  private parseGroup(): SearchNode {
    const open = this.advance();
    if (this.depth >= MAX_GROUP_DEPTH) {
      throw new SearchSyntaxError(`Parentheses are nested deeper than ${MAX_GROUP_DEPTH} levels`, open.position);
    }
    this.depth++;
    const inner = this.parseAnd();
    const close = this.peek();
    if (close.type !== 'rparen') throw new SearchSyntaxError("Missing ')' for this '('", open.position);
    this.advance();
    this.depth--;
    return inner;
  }

  /** Names the token before the current one, so "Expected a term" says where one was expected. */
  private afterPrevious(): string {
    const previous = this.tokens[this.index - 1];
    if (previous === undefined) return ' at the start of the query';
    if (previous.type === 'and' || previous.type === 'or' || previous.type === 'not') return ` after ${previous.text}`;
    if (previous.type === 'lparen') return " after '('";
    return '';
  }

  private peek(): Token {
    // The tokenizer always ends the list with an end token, and the parser never moves past it.
    return this.tokens[this.index] as Token;
  }

  private advance(): Token {
    const token = this.peek();
    if (token.type !== 'end') this.index++;
    return token;
  }
}
