// Splits a search query into tokens in one left-to-right pass (linear time, no backtracking).
// Special characters outside quotes are `:`, `\`, `(` and `)`; a backslash makes the next character
// literal. Quotes open a quoted value only at the start of a value; inside a word (`D'Addario`) they
// are ordinary characters, as in Shopify's grammar.

import type { Comparator, TermNode } from './ast.js';
import { SearchSyntaxError } from './errors.js';

export type KeywordToken = { type: 'and' | 'or' | 'not'; position: number; text: string };
export type ParenToken = { type: 'lparen' | 'rparen'; position: number };
export type TermToken = { type: 'term'; position: number; term: TermNode };
export type EndToken = { type: 'end'; position: number };
export type Token = KeywordToken | ParenToken | TermToken | EndToken;

// A Map, not an object literal, so free text like `constructor` is never mistaken for a keyword.
const KEYWORDS: ReadonlyMap<string, KeywordToken['type']> = new Map([
  ['AND', 'and'],
  ['OR', 'or'],
  ['NOT', 'not'],
]);

function isWhitespace(char: string): boolean {
  return /\s/.test(char);
}

/** Characters that end a bare word (a quote is not one: it only opens a value). */
function endsWord(char: string): boolean {
  return isWhitespace(char) || char === '(' || char === ')';
}

interface Word {
  text: string;
  /** True when any character was backslash-escaped, so `\OR` is a value, not a keyword. */
  escaped: boolean;
  /** True when the word ended in an unescaped `*` (already removed from `text`). */
  wildcard: boolean;
}

class Tokenizer {
  private index = 0;
  private readonly tokens: Token[] = [];

  constructor(private readonly input: string) {}

  run(): Token[] {
    while (this.skipWhitespace()) {
      const start = this.index;
      const char = this.input[start] as string;
      if (char === '(' || char === ')') {
        this.tokens.push({ type: char === '(' ? 'lparen' : 'rparen', position: start });
        this.index++;
      } else if (char === '-' && this.startsTerm(start + 1)) {
        // `-term` is the short form of `NOT term`; a `-` elsewhere is an ordinary character.
        this.tokens.push({ type: 'not', position: start, text: '-' });
        this.index++;
      } else if (char === '-') {
        throw new SearchSyntaxError("'-' must be followed directly by the term it negates", start);
      } else {
        this.tokens.push(this.readTerm());
      }
    }
    this.tokens.push({ type: 'end', position: this.input.length });
    return this.tokens;
  }

  /** Moves past whitespace; false once the input is used up. */
  private skipWhitespace(): boolean {
    while (this.index < this.input.length && isWhitespace(this.input[this.index] as string)) this.index++;
    return this.index < this.input.length;
  }

  private startsTerm(at: number): boolean {
    const char = this.input[at];
    return char !== undefined && !isWhitespace(char) && char !== ')';
  }

  private readTerm(): Token {
    const start = this.index;
    if (this.isQuote(start)) {
      const value = this.readQuoted();
      return { type: 'term', position: start, term: freeText(value, true, false) };
    }
    const word = this.readWord(true);
    if (this.input[this.index] === ':') return this.readFieldTerm(start, word);
    const keyword = !word.escaped && !word.wildcard ? KEYWORDS.get(word.text) : undefined;
    if (keyword) return { type: keyword, position: start, text: word.text };
    return { type: 'term', position: start, term: freeText(word.text, false, word.wildcard) };
  }

  private readFieldTerm(start: number, word: Word): TermToken {
    // A `*` in a field name is not a wildcard; put it back.
    const fieldName = word.wildcard ? `${word.text}*` : word.text;
    if (fieldName === '') throw new SearchSyntaxError("Missing field name before ':'", this.index);
    this.index++; // the ':'
    const comparator = this.readComparator();
    const valueStart = this.index;
    const term: TermNode = {
      kind: 'term',
      field: fieldName.toLowerCase(),
      rawField: fieldName,
      comparator,
      value: '',
      quoted: false,
      prefix: false,
    };
    if (this.isQuote(valueStart)) {
      term.value = this.readQuoted();
      term.quoted = true;
    } else {
      // A value may contain ':' (e.g. an unquoted timestamp); only whitespace and parens end it.
      const value = this.readWord(false);
      if (value.text === '' && !value.escaped && !value.wildcard) {
        throw new SearchSyntaxError(`Missing value after '${this.input.slice(start, valueStart)}'`, valueStart);
      }
      term.value = value.text;
      term.prefix = value.wildcard;
    }
    return { type: 'term', position: start, term };
  }

  private readComparator(): Comparator {
    const next = this.input[this.index];
    if (next !== '<' && next !== '>') return 'eq';
    const orEqual = this.input[this.index + 1] === '=';
    this.index += orEqual ? 2 : 1;
    if (next === '<') return orEqual ? 'lte' : 'lt';
    return orEqual ? 'gte' : 'gt';
  }

  /** Reads up to whitespace or a paren; with `stopAtColon` also up to an unescaped `:`. */
  private readWord(stopAtColon: boolean): Word {
    let text = '';
    let escaped = false;
    let lastWasUnescapedStar = false;
    while (this.index < this.input.length) {
      const char = this.input[this.index] as string;
      if (endsWord(char) || (stopAtColon && char === ':')) break;
      if (char === '\\') {
        text += this.readEscape();
        escaped = true;
        lastWasUnescapedStar = false;
        continue;
      }
      text += char;
      lastWasUnescapedStar = char === '*';
      this.index++;
    }
    if (lastWasUnescapedStar) text = text.slice(0, -1);
    return { text, escaped, wildcard: lastWasUnescapedStar };
  }

  /** Reads a single- or double-quoted string starting at the current index and returns its content. */
  private readQuoted(): string {
    const start = this.index;
    const quote = this.input[start] as string;
    this.index++;
    let text = '';
    while (this.index < this.input.length) {
      const char = this.input[this.index] as string;
      if (char === quote) {
        this.index++;
        this.expectBoundaryAfterQuote();
        return text;
      }
      if (char === '\\') {
        text += this.readEscape();
        continue;
      }
      text += char;
      this.index++;
    }
    throw new SearchSyntaxError(`Unclosed ${quote} quote`, start);
  }

  /** `"a"b` is ambiguous; require whitespace, a paren or the end after a closing quote. */
  private expectBoundaryAfterQuote(): void {
    const next = this.input[this.index];
    if (next !== undefined && !endsWord(next)) {
      throw new SearchSyntaxError('Expected whitespace after a closing quote', this.index);
    }
  }

  private readEscape(): string {
    const escapedChar = this.input[this.index + 1];
    if (escapedChar === undefined) {
      throw new SearchSyntaxError("Dangling '\\' at the end of the query", this.index);
    }
    this.index += 2;
    return escapedChar;
  }

  private isQuote(at: number): boolean {
    const char = this.input[at];
    return char === '"' || char === "'";
  }
}

function freeText(value: string, quoted: boolean, prefix: boolean): TermNode {
  return { kind: 'term', field: null, rawField: null, comparator: 'eq', value, quoted, prefix };
}

export function tokenize(input: string): Token[] {
  return new Tokenizer(input).run();
}
