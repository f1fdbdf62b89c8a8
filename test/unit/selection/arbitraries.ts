// fast-check arbitraries shared by the selection property tests: order references as users write
// them (valid and not), whitespace, and hostile text.

import fc from 'fast-check';

import { MAX_ORDER_ID } from '../../../src/selection/order-ref.js';

/** A legacy order id, 1 … UnsignedInt64 max, biased towards the edges. */
export const legacyId = fc
  .oneof(
    fc.bigInt({ min: 1n, max: MAX_ORDER_ID }),
    fc.constantFrom(1n, 9n, 10n, 9_007_199_254_740_991n, 9_007_199_254_740_993n, MAX_ORDER_ID - 1n, MAX_ORDER_ID),
  )
  .map(String);

/** Past UnsignedInt64: too large for an order id. */
export const tooLargeId = fc.oneof(fc.bigInt({ min: MAX_ORDER_ID + 1n, max: 10n ** 40n }), fc.constant(MAX_ORDER_ID + 1n)).map(String);

/** `gid://shopify/Order/N`, the fixed part in any letter case. */
export const orderGidText = fc.tuple(fc.mixedCase(fc.constant('gid://shopify/order/')), legacyId).map(([prefix, id]) => `${prefix}${id}`);

const nameChar = fc.oneof(
  fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-'),
  fc.constantFrom('é', 'ß', 'Ж', 'ö', '日', 'ק', 'ñ', 'Å'),
);
const nameStart = fc.oneof(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'), fc.constantFrom('É', 'З', '日'));

/**
 * An order name parseOrderRef accepts: letters, digits, `_.-`, starting with a letter or digit, with a
 * digit somewhere (or a leading `#`). Already NFC, so it round-trips unchanged.
 */
export const orderName = fc
  .tuple(fc.boolean(), nameStart, fc.array(nameChar, { maxLength: 20 }), fc.integer({ min: 0, max: 99_999 }))
  .map(([hash, start, rest, number]) => `${hash ? '#' : ''}${start}${rest.join('')}${number}`)
  // Without '#', all digits is an id, not a name.
  .filter((name) => Array.from(name).length <= 64 && (name.startsWith('#') || !/^[0-9]+$/.test(name)));

/** Whitespace that trim() removes, including no-break and ideographic spaces and a stray BOM. */
export const edgeSpace = fc
  .array(fc.constantFrom(' ', '\t', '\n', '\r\n', '\u00a0', '\u2003', '\u3000', '\ufeff'), { maxLength: 3 })
  .map((parts) => parts.join(''));

/** Strings that look like attacks on a shell, a search query, a terminal or a path. */
export const injectionLike = fc.constantFrom(
  '1001; DROP TABLE orders',
  '1001" OR "1"="1',
  "1001' OR '1'='1",
  'name:*',
  'status:any OR 1',
  '1001 OR name:*',
  '(1001)',
  '1001\\',
  '$(rm -rf ~)',
  '`id`',
  '../../etc/passwd',
  '1001\u001b[2J',
  '\u001b]0;pwned\u0007',
  '1001\u0000',
  '1001\u202e4321',
  '1001\u200b',
  '{"id":1001}',
  '<script>1</script>',
  '%00',
  '1001%0a',
  '${IFS}',
  '#1001:',
  '#1001*',
  '1.84467440737096E+19',
  '1,001',
  '１００１',
  '٣٤٥',
  '-1001',
  '+1001',
  'gid://shopify/Order/1001/../Product/1',
  'gid://shopify/Order/1001?x=1',
  'gid://shopify//1001',
  'gid://evil/Order/1001',
  'https://admin.shopify.com/store/x/orders/1001',
);

/**
 * Numbers a spreadsheet or script may have reformatted. They have the shape of an order name (letters,
 * digits, '.'), so they are accepted as names and fail later as "not found", never as ids.
 */
export const numberLookalike = fc.constantFrom('1001.0', '1e3', '0x3E9', '1001.00', '1.0E3');

/** Any UTF-16 string, lone surrogates included. */
export const anyUtf16 = (maxLength: number) =>
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength });

/** Anything at all a user might type or a file might hold in one cell. */
export const anyRefText = fc.oneof(
  { weight: 3, arbitrary: fc.oneof(legacyId, orderGidText, orderName, tooLargeId) },
  { weight: 2, arbitrary: fc.oneof(injectionLike, numberLookalike) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
  { weight: 2, arbitrary: anyUtf16(80) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 80 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 400 }) },
);
