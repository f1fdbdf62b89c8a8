// One order reference as the user wrote it: an order id or an order name (docs/shopify-behaviour.md#order-references).
//
//   123                       → id   gid://shopify/Order/123  (a bare number is the REST/legacy id)
//   gid://shopify/Order/123   → id   gid://shopify/Order/123
//   #1001                     → name #1001                    (the way to pass a name that is all digits)
//   EN1001, 1001-A            → name, as written
//
// Ids are kept as digit strings: Order.legacyResourceId is an UnsignedInt64, far beyond
// Number.MAX_SAFE_INTEGER. Names are restricted to letters, digits, `-`, `_` and `.` (plus one leading
// `#`), so they are safe to put into an orders search query without escaping.
//
// Error messages never repeat the raw text (it may hold terminal escape sequences); callers show the
// raw value with `printable()`.

export type OrderRef =
  | { kind: 'id'; /** gid://shopify/Order/N, N without leading zeros. */ gid: string }
  | { kind: 'name'; /** Trimmed and NFC-normalised, otherwise as written: "#1001", "EN1001". */ name: string };

export interface ParseOrderRefOptions {
  /**
   * How to read a token that is only digits. `'id'` (default): the legacy order id, as on the command
   * line and in `id`/`order_id`/`gid` CSV columns. `'name'`: an order name without its `#`, as in a
   * `name`/`order`/`order_name` CSV column.
   */
  bareNumber?: 'id' | 'name';
}

export const MAX_ORDER_REF_LENGTH = 64;
/** Order.legacyResourceId is an UnsignedInt64. */
export const MAX_ORDER_ID = 18446744073709551615n;

const ORDER_GID_PREFIX = 'gid://shopify/Order/';

export function orderGid(id: string | number | bigint): string {
  return `${ORDER_GID_PREFIX}${id}`;
}

/** The numeric id in an order ref, as a digit string. */
export function legacyIdOf(ref: Extract<OrderRef, { kind: 'id' }>): string {
  return ref.gid.slice(ORDER_GID_PREFIX.length);
}

/**
 * The identity used to collapse duplicates: the same gid, or the same name ignoring case and a
 * leading `#` ("#en1001" = "EN1001"). Also what a name resolver should compare against Order.name.
 */
export function refKey(ref: OrderRef): string {
  return ref.kind === 'id' ? `id:${ref.gid}` : `name:${nameKey(ref.name)}`;
}

export function nameKey(name: string): string {
  return name.trim().normalize('NFC').replace(/^#/, '').toLowerCase();
}

/**
 * A raw value made safe and short for a terminal or log: control and invisible characters escaped,
 * at most `max` characters.
 */
export function printable(raw: string, max = 80): string {
  const escaped = raw.replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cs}\u2028\u2029]/gu, (ch) => {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\n') return '\\n';
    if (ch === '\r') return '\\r';
    if (ch === '\t') return '\\t';
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
  const chars = Array.from(escaped);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : escaped;
}

const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Zl}\p{Zp}]/u;
const QUOTES = /["'`\u2018\u2019\u201A\u201B\u201C\u201D\u201E\u201F\u00AB\u00BB]/u;
const SPACE = /[\s\p{Zs}]/u;
const DIGITS = /^[0-9]+$/;
/** Letters (any script), ASCII digits, `-`, `_`, `.`; starts with a letter or digit. */
const NAME = /^[\p{L}0-9][\p{L}\p{M}0-9_.-]*$/u;
const SCIENTIFIC = /^[0-9](?:[.,][0-9]+)?e\+[0-9]+$/i;

const SHAPES = 'expected an order id (123), gid://shopify/Order/123 or an order name (#1001, EN1001)';

export function parseOrderRef(raw: string, options: ParseOrderRefOptions = {}): OrderRef | { error: string } {
  const value = raw.trim();
  if (value === '') return { error: 'empty order reference' };
  // Before anything else, so a 1 MB cell costs nothing more. Counted in code points.
  const tooLong = value.length > MAX_ORDER_REF_LENGTH && (value.length > 2 * MAX_ORDER_REF_LENGTH || Array.from(value).length > MAX_ORDER_REF_LENGTH);
  if (tooLong) {
    return { error: `too long for an order id or name (at most ${MAX_ORDER_REF_LENGTH} characters)` };
  }
  if (INVISIBLE.test(value)) return { error: 'contains control or invisible characters' };
  if (QUOTES.test(value)) return { error: 'contains quote characters; write the order without quotes, e.g. #1001' };
  if (SPACE.test(value)) return { error: 'contains a space; give one order per argument or cell' };
  if (SCIENTIFIC.test(value)) {
    return {
      error: 'looks like a number in scientific notation (a spreadsheet rounded an order id); ' + 'format the column as text or use the original CSV',
    };
  }
  if (value.includes(',')) return { error: 'contains a comma; give one order per argument, or use --ids 1,2,3' };

  if (/^gid:/i.test(value)) return parseGid(value);

  if (DIGITS.test(value)) {
    return options.bareNumber === 'name' ? { kind: 'name', name: value } : parseLegacyId(value);
  }

  if (value.startsWith('#')) {
    const rest = value.slice(1);
    if (rest === '') return { error: `"#" alone is not an order name; ${SHAPES}` };
    if (!NAME.test(rest)) return { error: `not a valid order name; ${SHAPES}` };
    return { kind: 'name', name: value.normalize('NFC') };
  }

  // Every order name contains the order number: a token without a digit is a mistake, not a name.
  if (NAME.test(value) && /[0-9]/.test(value)) return { kind: 'name', name: value.normalize('NFC') };
  return { error: `not an order; ${SHAPES}` };
}

function parseGid(value: string): OrderRef | { error: string } {
  const match = /^gid:\/\/shopify\/([^/?#]*)\/([^?#]*)(.*)$/i.exec(value);
  if (!match) return { error: 'not a Shopify order gid; expected gid://shopify/Order/123' };
  const [, type = '', id = '', rest = ''] = match;
  if (type.toLowerCase() !== 'order') {
    const named = /^[A-Za-z][A-Za-z0-9]*$/.test(type) ? `a ${type}` : 'not an Order';
    return { error: `${named} gid, not an Order gid; expected gid://shopify/Order/123` };
  }
  if (rest !== '') return { error: 'unexpected text after the order gid; expected gid://shopify/Order/123' };
  if (!DIGITS.test(id)) return { error: 'the id in an order gid must be a number; expected gid://shopify/Order/123' };
  return parseLegacyId(id);
}

function parseLegacyId(digits: string): OrderRef | { error: string } {
  if (/^0+$/.test(digits)) return { error: 'order ids start at 1' };
  if (digits.startsWith('0')) {
    return {
      error: `an order id never has a leading zero; to select an order by its name, write it with #: #${digits}`,
    };
  }
  if (digits.length > 20 || BigInt(digits) > MAX_ORDER_ID) {
    return { error: `too large for an order id (at most ${MAX_ORDER_ID})` };
  }
  return { kind: 'id', gid: orderGid(digits) };
}
