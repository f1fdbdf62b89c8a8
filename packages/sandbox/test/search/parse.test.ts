import { describe, expect, it } from 'vitest';
import { MAX_GROUP_DEPTH, parseSearchQuery, SearchSyntaxError } from '../../src/search/parse.js';
import { showAst } from './show-ast.js';

const parsed = (query: string): string => showAst(parseSearchQuery(query));

function syntaxError(query: string): SearchSyntaxError {
  try {
    parseSearchQuery(query);
  } catch (error) {
    expect(error).toBeInstanceOf(SearchSyntaxError);
    return error as SearchSyntaxError;
  }
  throw new Error(`expected a SearchSyntaxError for ${JSON.stringify(query)}`);
}

describe('parseSearchQuery: empty input', () => {
  it.each(['', '   ', '\t\n '])('returns null for %j', (query) => {
    expect(parseSearchQuery(query)).toBeNull();
  });
});

describe('parseSearchQuery: terms', () => {
  it('reads a bare free-text term', () => {
    expect(parsed('bob')).toBe('bob');
  });

  it('reads field:value and lowercases the field name but not the value', () => {
    expect(parsed('Status:Open')).toBe('status:Open');
  });

  it.each([
    ['id:<5', 'id:<5'],
    ['id:>5', 'id:>5'],
    ['id:<=5', 'id:<=5'],
    ['id:>=5', 'id:>=5'],
    ['id:5', 'id:5'],
  ])('reads the comparator in %s', (query, expected) => {
    expect(parsed(query)).toBe(expected);
  });

  it('keeps a value that itself starts with = or contains comparator characters', () => {
    expect(parsed('id:=5')).toBe('id:=5');
    expect(parsed('id:>>5')).toBe('id:>>5');
  });

  it('allows colons inside a value, so unquoted timestamps work', () => {
    expect(parsed('created_at:>2024-01-01T10:00:00Z')).toBe('created_at:>2024-01-01T10:00:00Z');
  });

  it('keeps hyphens and quotes inside a word', () => {
    expect(parsed("name:1001-A D'Addario")).toBe("AND(name:1001-A, D'Addario)");
  });
});

describe('parseSearchQuery: quoting and escapes', () => {
  it('reads double- and single-quoted values with spaces', () => {
    expect(parsed('tag:"big spender"')).toBe('tag:"big spender"');
    expect(parsed("tag:'big spender'")).toBe('tag:"big spender"');
  });

  it('reads a quoted free-text phrase as one term', () => {
    expect(parsed('"sale shopper" vip')).toBe('AND("sale shopper", vip)');
  });

  it('reads quoted values after a comparator', () => {
    expect(parsed("created_at:>='2024-01-01'")).toBe('created_at:>="2024-01-01"');
  });

  it('unescapes backslash escapes inside quotes', () => {
    const term = parseSearchQuery(String.raw`tag:"say \"hi\" \\ o'k"`);
    expect(term).toMatchObject({ kind: 'term', value: String.raw`say "hi" \ o'k` });
  });

  it('lets the other quote kind stand unescaped', () => {
    expect(parseSearchQuery(`tag:"it's"`)).toMatchObject({ value: "it's" });
    expect(parseSearchQuery(`tag:'say "hi"'`)).toMatchObject({ value: 'say "hi"' });
  });

  it('unescapes special characters in bare words', () => {
    expect(parseSearchQuery(String.raw`tag:a\:b\(c\)\ d`)).toMatchObject({ field: 'tag', value: 'a:b(c) d' });
    expect(parseSearchQuery(String.raw`a\:b`)).toMatchObject({ field: null, value: 'a:b' });
  });

  it('reads quoted keywords and escaped keywords as values', () => {
    expect(parsed('"OR"')).toBe('"OR"');
    expect(parsed(String.raw`\AND`)).toBe('AND');
    expect(parseSearchQuery(String.raw`\AND`)).toMatchObject({ kind: 'term', value: 'AND' });
  });

  it('accepts an empty quoted value', () => {
    expect(parseSearchQuery('tag:""')).toMatchObject({ field: 'tag', value: '', quoted: true });
  });
});

describe('parseSearchQuery: prefix wildcard', () => {
  it('marks a trailing * as a prefix search and strips it', () => {
    expect(parseSearchQuery('norm*')).toMatchObject({ value: 'norm', prefix: true });
    expect(parseSearchQuery('tag:vip*')).toMatchObject({ field: 'tag', value: 'vip', prefix: true });
  });

  it('reads field:* as "has any value"', () => {
    expect(parseSearchQuery('email:*')).toMatchObject({ field: 'email', value: '', prefix: true });
  });

  it('treats an escaped or quoted * as a literal', () => {
    expect(parseSearchQuery(String.raw`tag:vip\*`)).toMatchObject({ value: 'vip*', prefix: false });
    expect(parseSearchQuery('tag:"vip*"')).toMatchObject({ value: 'vip*', prefix: false });
  });

  it('only treats the last * as the wildcard', () => {
    expect(parseSearchQuery('a*b*')).toMatchObject({ value: 'a*b', prefix: true });
    expect(parseSearchQuery('a*b')).toMatchObject({ value: 'a*b', prefix: false });
  });
});

describe('parseSearchQuery: connectives and precedence', () => {
  it('joins whitespace-separated terms with an implicit AND', () => {
    expect(parsed('a b c')).toBe('AND(a, b, c)');
  });

  it('treats explicit AND like whitespace', () => {
    expect(parsed('a AND b AND c')).toBe('AND(a, b, c)');
    expect(parsed('a AND b c')).toBe('AND(a, b, c)');
  });

  it('reads OR', () => {
    expect(parsed('status:open OR status:closed')).toBe('OR(status:open, status:closed)');
  });

  // Shopify documents `bob OR norman AND Shopify` as (bob OR norman) AND Shopify: OR binds tighter.
  it("follows Shopify's precedence: OR binds tighter than AND", () => {
    expect(parsed('bob OR norman AND Shopify')).toBe('AND(OR(bob, norman), Shopify)');
    expect(parsed('a OR b c')).toBe('AND(OR(a, b), c)');
    expect(parsed('a b OR c')).toBe('AND(a, OR(b, c))');
    expect(parsed('a OR b OR c d')).toBe('AND(OR(a, b, c), d)');
    expect(parsed('a OR b AND c OR d')).toBe('AND(OR(a, b), OR(c, d))');
  });

  it('lets parentheses override precedence', () => {
    expect(parsed('a OR (b c)')).toBe('OR(a, AND(b, c))');
    expect(parsed('state:disabled AND ("sale shopper" OR VIP)')).toBe('AND(state:disabled, OR("sale shopper", VIP))');
  });

  it('collapses redundant parentheses', () => {
    expect(parsed('((a))')).toBe('a');
    expect(parsed('(a b)')).toBe('AND(a, b)');
  });

  it('needs no whitespace next to parentheses', () => {
    expect(parsed('(a)(b)')).toBe('AND(a, b)');
    expect(parsed('x(a OR b)')).toBe('AND(x, OR(a, b))');
  });

  it('reads lowercase and/or/not as free text, as Shopify does', () => {
    expect(parsed('a or b and not c')).toBe('AND(a, or, b, and, not, c)');
  });

  it('reads Object.prototype member names as plain free text', () => {
    expect(parsed('constructor toString __proto__ hasOwnProperty')).toBe('AND(constructor, toString, __proto__, hasOwnProperty)');
  });

  it('reads a keyword followed by a colon as a field name', () => {
    expect(parsed('OR:x')).toBe('or:x');
  });
});

describe('parseSearchQuery: negation', () => {
  it.each([
    ['NOT tag:x', 'NOT(tag:x)'],
    ['-tag:x', 'NOT(tag:x)'],
    ['-bob', 'NOT(bob)'],
    ['NOT (a OR b)', 'NOT(OR(a, b))'],
    ['-(a OR b)', 'NOT(OR(a, b))'],
    ['NOT(a)', 'NOT(a)'],
    ['-"a b"', 'NOT("a b")'],
  ])('reads %s', (query, expected) => {
    expect(parsed(query)).toBe(expected);
  });

  it('binds tighter than AND and OR', () => {
    expect(parsed('NOT a b')).toBe('AND(NOT(a), b)');
    expect(parsed('NOT a OR b')).toBe('OR(NOT(a), b)');
    expect(parsed('a OR -b c')).toBe('AND(OR(a, NOT(b)), c)');
  });

  it('cancels double negation', () => {
    expect(parsed('NOT NOT a')).toBe('a');
    expect(parsed('--a')).toBe('a');
    expect(parsed('NOT -a')).toBe('a');
    expect(parsed('NOT NOT NOT a')).toBe('NOT(a)');
  });

  it('keeps a hyphen that is not at the start of a term', () => {
    expect(parsed('a-b tag:x-y id:>-5')).toBe('AND(a-b, tag:x-y, id:>-5)');
  });

  it('negates fields with comparators', () => {
    expect(parsed('-created_at:<now')).toBe('NOT(created_at:<now)');
  });
});

describe('parseSearchQuery: syntax errors', () => {
  it.each([
    ['tag:"unclosed', /Unclosed " quote/],
    ["tag:'unclosed", /Unclosed ' quote/],
    ['"unclosed phrase', /Unclosed " quote/],
    ['(a OR b', /Missing '\)'/],
    ['a OR b)', /Unmatched '\)'/],
    [')', /Unmatched '\)'/],
    ['()', /Expected a term before '\)' after '\('/],
    ['a OR', /Expected a term after OR/],
    ['OR a', /OR needs a term on its left at the start of the query/],
    ['a OR OR b', /OR needs a term on its left after OR/],
    ['a AND', /Expected a term after AND/],
    ['AND', /AND needs a term on its left/],
    ['a AND OR b', /OR needs a term on its left after AND/],
    ['(a OR) b', /Expected a term before '\)' after OR/],
    ['NOT', /Expected a term after NOT/],
    ['a NOT', /Expected a term after NOT/],
    ['a -', /'-' must be followed directly/],
    ['- a', /'-' must be followed directly/],
    ['tag:', /Missing value after 'tag:'/],
    ['id:>= 5', /Missing value after 'id:>='/],
    [':foo', /Missing field name before ':'/],
    ['"a"b', /Expected whitespace after a closing quote/],
    ['tag:"a":b', /Expected whitespace after a closing quote/],
    ['a\\', /Dangling '\\'/],
    ['tag:"a\\', /Dangling '\\'|Unclosed/],
  ])('rejects %j', (query, message) => {
    const error = syntaxError(query);
    expect(error.message).toMatch(message);
    expect(error.name).toBe('SearchSyntaxError');
  });

  it('reports the position of the problem', () => {
    expect(syntaxError('status:open tag:"vip').position).toBe(16);
    expect(syntaxError('a OR b)').position).toBe(6);
    expect(syntaxError('x (a').position).toBe(2);
  });

  it(`accepts parentheses nested ${MAX_GROUP_DEPTH} deep`, () => {
    const query = `${'('.repeat(MAX_GROUP_DEPTH)}a${')'.repeat(MAX_GROUP_DEPTH)}`;
    expect(parsed(query)).toBe('a');
  });

  it('rejects 50 nested parentheses with a SearchSyntaxError', () => {
    expect(syntaxError(`${'('.repeat(50)}a${')'.repeat(50)}`).message).toMatch(/nested deeper than/);
  });

  it('rejects 100,000 open parentheses without overflowing the stack', () => {
    expect(syntaxError('('.repeat(100_000)).message).toMatch(/nested deeper than/);
  });
});

describe('parseSearchQuery: large input', () => {
  // No wall-clock bound (it failed on a loaded machine): a quadratic parser would need minutes for this, far past
  // the test's timeout, which is the guard. Speed itself is measured in `npm run bench`, not here.
  it('parses 100,000 terms without going quadratic', () => {
    const query = Array.from({ length: 100_000 }, (_, i) => (i % 2 ? `tag:t${i}` : `x${i} OR`)).join(' ');
    const root = parseSearchQuery(query);
    expect(root?.kind).toBe('and');
  });

  it('survives a long run of negations', () => {
    expect(parsed(`${'NOT '.repeat(50_001)}a`)).toBe('NOT(a)');
    expect(parsed(`${'-'.repeat(100_000)}a`)).toBe('a');
  });

  it('survives a megabyte-long value', () => {
    const value = 'v'.repeat(1_000_000);
    expect(parseSearchQuery(`tag:"${value}"`)).toMatchObject({ value });
  });
});
