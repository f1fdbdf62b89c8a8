// Properties of the order-reference parser over generated input: it never throws (bad input is an
// `{ error }` value), accepts every valid form with whitespace around it, round-trips, and whatever it
// accepts is safe to put into a search query unescaped.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { legacyIdOf, MAX_ORDER_ID, nameKey, parseOrderRef, printable, refKey, type OrderRef } from '../../../src/selection/order-ref.js';
import { argumentEvents } from '../../../src/selection/sources.js';
import { anyRefText, edgeSpace, injectionLike, legacyId, numberLookalike, orderGidText, orderName, tooLargeId } from './arbitraries.js';

/** Case counts per property; the report in the PR quotes them. */
export const RUNS = { total: 3_000, accept: 500, reject: 500, roundTrip: 500, args: 300 } as const;

type Parsed = OrderRef | { error: string };

function parse(raw: string, bareNumber?: 'id' | 'name'): Parsed {
  // A throw of any kind fails the property with the input that caused it.
  return parseOrderRef(raw, bareNumber ? { bareNumber } : {});
}

function expectRef(result: Parsed): OrderRef {
  if ('error' in result) throw new Error(`expected a ref, got error: ${result.error}`);
  return result;
}

function expectError(result: Parsed): string {
  if (!('error' in result)) throw new Error(`expected an error, got ${JSON.stringify(result)}`);
  return result.error;
}

const GID = /^gid:\/\/shopify\/Order\/[1-9][0-9]*$/;
/** What an accepted name may hold: nothing a search query, shell or terminal treats specially. */
const SAFE_NAME = /^#?[\p{L}\p{M}0-9_.-]+$/u;

describe('parseOrderRef: properties', () => {
  it('never throws, for any text and either reading of bare numbers; results are well-formed', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyRefText,
          fc.tuple(edgeSpace, anyRefText, edgeSpace).map((p) => p.join('')),
        ),
        fc.boolean(),
        (raw, asName) => {
          const result = parse(raw, asName ? 'name' : 'id');
          if ('error' in result) {
            expect(result.error.length).toBeGreaterThan(0);
            // The message is safe to print: no control characters, and the raw text is never echoed.
            expect(result.error).not.toMatch(/\p{Cc}/u);
            return;
          }
          if (result.kind === 'id') {
            expect(result.gid).toMatch(GID);
            expect(BigInt(legacyIdOf(result))).toBeLessThanOrEqual(MAX_ORDER_ID);
          } else {
            expect(result.name).toMatch(SAFE_NAME);
            expect(result.name.normalize('NFC')).toBe(result.name);
            expect(Array.from(result.name).length).toBeLessThanOrEqual(64);
          }
        },
      ),
      { numRuns: RUNS.total },
    );
  });

  it('never throws on long input (up to 100,000 characters), and refuses it cheaply', () => {
    fc.assert(
      fc.property(fc.integer({ min: 65, max: 100_000 }), fc.constantFrom('1', '#', 'é', '\u0000', ' 1'), (length, unit) => {
        const error = expectError(parse(unit.repeat(Math.ceil(length / unit.length)).slice(0, length) + '1'));
        expect(error).toMatch(/too long|control|space/);
      }),
      { numRuns: 50 },
    );
  });

  it('accepts every legacy id up to 18446744073709551615, with any whitespace around it', () => {
    fc.assert(
      fc.property(legacyId, edgeSpace, edgeSpace, (id, before, after) => {
        expect(parse(`${before}${id}${after}`)).toEqual({ kind: 'id', gid: `gid://shopify/Order/${id}` });
      }),
      { numRuns: RUNS.accept },
    );
  });

  it('accepts every order gid, in any letter case, as the canonical gid', () => {
    fc.assert(
      fc.property(orderGidText, edgeSpace, (text, space) => {
        const ref = expectRef(parse(`${space}${text}${space}`));
        expect(ref).toEqual({ kind: 'id', gid: `gid://shopify/Order/${text.slice('gid://shopify/order/'.length)}` });
        // A gid is an id in a name column too.
        expect(parse(text, 'name')).toEqual(ref);
      }),
      { numRuns: RUNS.accept },
    );
  });

  it('accepts every order name, trimmed, as written', () => {
    fc.assert(
      fc.property(orderName, edgeSpace, edgeSpace, (name, before, after) => {
        expect(parse(`${before}${name}${after}`)).toEqual({ kind: 'name', name });
      }),
      { numRuns: RUNS.accept },
    );
  });

  it('refuses ids past UnsignedInt64, as a number or in a gid, naming the limit', () => {
    fc.assert(
      fc.property(tooLargeId, fc.boolean(), (id, asGid) => {
        const error = expectError(parse(asGid ? `gid://shopify/Order/${id}` : id));
        expect(error).toMatch(/too (large|long)/);
        if (error.includes('large')) expect(error).toContain('18446744073709551615');
      }),
      { numRuns: RUNS.reject },
    );
  });

  it('refuses gids of other types, naming the type', () => {
    const type = fc.oneof(
      fc.constantFrom('Product', 'Customer', 'FulfillmentOrder', 'DraftOrder', 'LineItem', 'Orders', 'OrderTransaction'),
      fc.stringMatching(/^[A-Z][A-Za-z0-9]{0,20}$/).filter((t) => t.toLowerCase() !== 'order'),
    );
    fc.assert(
      fc.property(type, legacyId, (typeName, id) => {
        expect(expectError(parse(`gid://shopify/${typeName}/${id}`))).toBe(`a ${typeName} gid, not an Order gid; expected gid://shopify/Order/123`);
      }),
      { numRuns: RUNS.reject },
    );
  });

  it('refuses a leading zero, pointing to the # form', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), legacyId, (zeros, id) => {
        const digits = `${'0'.repeat(zeros)}${id}`;
        expect(expectError(parse(digits))).toContain(`#${digits}`);
        expect(parse(`#${digits}`)).toEqual({ kind: 'name', name: `#${digits}` });
      }),
      { numRuns: RUNS.reject },
    );
  });

  it('refuses every injection-looking string, with or without a valid order around it', () => {
    fc.assert(
      fc.property(injectionLike, fc.oneof(fc.constant(''), legacyId, orderName), (evil, valid) => {
        for (const raw of [evil, `${valid}${evil}`, `${evil}${valid}`]) {
          const result = parse(raw);
          if (!('error' in result)) expect(result.kind === 'id' ? result.gid : result.name).toMatch(result.kind === 'id' ? GID : SAFE_NAME);
        }
        expect('error' in parse(evil)).toBe(true);
      }),
      { numRuns: RUNS.reject },
    );
  });

  it('reads number lookalikes as names (looked up, never acted on as an id)', () => {
    fc.assert(
      fc.property(numberLookalike, (raw) => {
        expect(expectRef(parse(raw)).kind).toBe('name');
      }),
      { numRuns: 20 },
    );
  });

  it('round-trips: a ref re-parses to itself from its gid, its legacy id or its name, and keys are stable', () => {
    fc.assert(
      fc.property(fc.oneof(legacyId, orderGidText, orderName), (raw) => {
        const ref = expectRef(parse(raw));
        if (ref.kind === 'id') {
          expect(parse(ref.gid)).toEqual(ref);
          expect(parse(legacyIdOf(ref))).toEqual(ref);
        } else {
          expect(parse(ref.name)).toEqual(ref);
          // With or without the '#', any case: the same order for dedupe.
          const bare = ref.name.replace(/^#/, '');
          const other = expectRef(parse(/^[0-9]+$/.test(bare) ? `#${bare.toUpperCase()}` : bare.toLowerCase()));
          if (other.kind === 'name') expect(nameKey(other.name)).toBe(nameKey(ref.name));
        }
        expect(refKey(expectRef(parse(` ${raw} `)))).toBe(refKey(ref));
      }),
      { numRuns: RUNS.roundTrip },
    );
  });

  it('printable() leaves no control character and keeps to its length', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), injectionLike), fc.integer({ min: 2, max: 100 }), (raw, max) => {
        const shown = printable(raw, max);
        expect(shown).not.toMatch(/[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/u);
        expect(Array.from(shown).length).toBeLessThanOrEqual(max);
      }),
      { numRuns: RUNS.reject },
    );
  });
});

describe('argument and --ids source: properties', () => {
  it('yields one event per argument and per --ids item, in order, numbered, never throwing', () => {
    fc.assert(
      fc.property(
        fc.array(anyRefText, { maxLength: 8 }),
        fc.array(fc.array(fc.oneof(legacyId, orderName, anyRefText), { maxLength: 5 }), { maxLength: 3 }),
        (args, idLists) => {
          const ids = idLists.map((items) => items.join(','));
          const events = [...argumentEvents(args, ids)];
          expect(events.slice(0, args.length).map((e) => (e.type === 'ref' ? e.item.origin : e.problem.origin))).toEqual(
            args.map((_, i) => `argument ${i + 1}`),
          );
          for (const [i, event] of events.slice(args.length).entries()) {
            const origin = event.type === 'ref' ? event.item.origin : event.problem.origin;
            expect(origin === '--ids' || origin === `--ids item ${i + 1}` || /^--ids item \d+$/.test(origin)).toBe(true);
          }
          // A good argument is never lost because of a bad one.
          const good = args.filter((a) => !('error' in parseOrderRef(a))).length;
          expect(events.slice(0, args.length).filter((e) => e.type === 'ref')).toHaveLength(good);
        },
      ),
      { numRuns: RUNS.args },
    );
  });
});
