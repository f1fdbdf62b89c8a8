// Properties of the sandbox's search-syntax parser over generated queries: well-formed queries always
// parse (to as many terms as were written), and any text at all either parses or fails with a
// SearchSyntaxError pointing inside the query: never a TypeError, RangeError or stack overflow.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { compileOrderQuery } from '../../src/search/order-filter.js';
import { MAX_GROUP_DEPTH, parseSearchQuery, SearchSyntaxError, type SearchNode } from '../../src/search/parse.js';

/** Case counts per property; the report in the PR quotes them. */
export const RUNS = { valid: 500, mutated: 1_000, anything: 1_000, deep: 50 } as const;

const NOW = new Date('2026-01-15T12:00:00Z');

function terms(node: SearchNode): number {
  switch (node.kind) {
    case 'term':
      return 1;
    case 'not':
      return terms(node.child);
    default:
      return node.children.reduce((sum, child) => sum + terms(child), 0);
  }
}

/** Parses and compiles; a SearchSyntaxError is an answer, anything else fails the property. */
function attempt(query: string): SearchNode | null | SearchSyntaxError {
  try {
    const node = parseSearchQuery(query);
    compileOrderQuery(query, NOW);
    return node;
  } catch (error) {
    if (error instanceof SearchSyntaxError) {
      expect(error.position).toBeGreaterThanOrEqual(0);
      expect(error.position).toBeLessThanOrEqual(query.length);
      expect(error.message).toMatch(/\(at position \d+\)$/);
      return error;
    }
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------
// Well-formed queries

const word = fc.stringMatching(/^[a-z0-9_.@#][a-z0-9_.@#*-]{0,10}$/).filter((w) => !w.endsWith('-') && w !== '*');
const escapedWord = fc
  .array(fc.oneof(fc.constantFrom('a', 'b', '1'), fc.constantFrom('\\:', '\\(', '\\)', '\\ ', '\\"', '\\\\', '\\*')), { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join(''));
const quoted = fc
  .tuple(fc.constantFrom('"', "'"), fc.string({ unit: 'grapheme', maxLength: 12 }))
  .map(([q, text]) => `${q}${text.replaceAll('\\', '\\\\').replaceAll(q, `\\${q}`)}${q}`);
const field = fc.constantFrom('status', 'tag', 'tag_not', 'name', 'id', 'created_at', 'email', 'financial_status', 'Foo', 'constructor', '__proto__');
const value = fc.oneof(
  word,
  escapedWord,
  quoted,
  fc.constantFrom('2024-01-01', '2024-01-01T10:00:00Z', '*', 'now', '#1001', 'gid://shopify/Order/1'),
);
const comparator = fc.constantFrom('', '<', '>', '<=', '>=');

const term = fc.oneof(
  word.filter((w) => !['AND', 'OR', 'NOT'].includes(w)),
  quoted,
  escapedWord,
  fc.tuple(field, comparator, value).map(([f, c, v]) => `${f}:${c}${v}`),
);

interface Query {
  text: string;
  terms: number;
}

const query: fc.Arbitrary<Query> = fc.letrec<{ expr: Query }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    term.map((text) => ({ text, terms: 1 })),
    fc
      .tuple(fc.constantFrom('NOT ', '-', 'NOT NOT '), tie('expr'))
      .map(([not, q]) => ({ text: not === '-' && q.text.startsWith('(') ? `-${q.text}` : `${not === '-' ? 'NOT ' : not}${q.text}`, terms: q.terms })),
    fc
      .tuple(tie('expr'), fc.constantFrom(' ', ' AND ', ' OR ', '\t', '\n  '), tie('expr'))
      .map(([a, op, b]) => ({ text: `${a.text}${op}${b.text}`, terms: a.terms + b.terms })),
    tie('expr').map((q) => ({ text: `(${q.text})`, terms: q.terms })),
  ),
})).expr;

describe('parseSearchQuery: properties', () => {
  it('parses every well-formed query to as many terms as were written', () => {
    fc.assert(
      fc.property(query, fc.constantFrom('', ' ', '\t\n'), (q, pad) => {
        const text = `${pad}${q.text}${pad}`;
        const node = attempt(text);
        if (node instanceof SearchSyntaxError) {
          // Only parentheses nested past the cap are refused.
          expect(node.message).toMatch(/nested deeper/);
          return;
        }
        expect(node).not.toBeNull();
        expect(terms(node!)).toBe(q.terms);
      }),
      { numRuns: RUNS.valid },
    );
  });

  it('a well-formed query with one character inserted, deleted or replaced parses or fails with SearchSyntaxError', () => {
    const noise = fc.constantFrom('(', ')', '"', "'", '\\', ':', '-', '*', ' ', 'OR', 'AND', 'NOT', '\u0000', '\ud800', '🙂', '<', '>=');
    fc.assert(
      fc.property(query, fc.nat(), fc.constantFrom('insert', 'delete', 'replace'), noise, (q, at, how, char) => {
        const i = at % (q.text.length + 1);
        const text =
          how === 'insert'
            ? q.text.slice(0, i) + char + q.text.slice(i)
            : how === 'delete'
              ? q.text.slice(0, i) + q.text.slice(i + 1)
              : q.text.slice(0, i) + char + q.text.slice(i + 1);
        attempt(text);
      }),
      { numRuns: RUNS.mutated },
    );
  });

  it('any text at all parses or fails with SearchSyntaxError', () => {
    const anything = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 100 }),
      fc
        .array(fc.constantFrom('(', ')', '"', "'", '\\', ':', '-', '*', ' ', 'OR ', 'AND ', 'NOT ', 'a', 'tag', 'name:', 'id:'), { maxLength: 60 })
        .map((p) => p.join('')),
    );
    fc.assert(
      fc.property(anything, (text) => void attempt(text)),
      { numRuns: RUNS.anything },
    );
  });

  it('refuses nesting past the cap without recursing, and takes NOT chains of any length', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 1, max: 20_000 }), (depth, nots) => {
        const nested = attempt(`${'('.repeat(depth)}a${')'.repeat(depth)}`);
        if (depth > MAX_GROUP_DEPTH) expect(nested).toBeInstanceOf(SearchSyntaxError);
        else expect(nested).toMatchObject({ kind: 'term' });
        const negated = attempt(`${'NOT '.repeat(nots)}a`);
        expect(negated).toMatchObject(nots % 2 === 1 ? { kind: 'not' } : { kind: 'term' });
      }),
      { numRuns: RUNS.deep },
    );
  });

  it('a 100 KB query parses in linear time', () => {
    const big = Array.from({ length: 10_000 }, (_, i) => `tag:t${i}`).join(' OR ');
    const started = performance.now();
    const node = attempt(big);
    expect(node).toMatchObject({ kind: 'or' });
    expect(attempt(`"${'x'.repeat(100_000)}`)).toBeInstanceOf(SearchSyntaxError);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
