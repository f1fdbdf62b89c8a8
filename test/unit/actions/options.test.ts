// Every registered action's options survive the journal (record, then restore on resume) and the retry
// command (the flags flagsFor prints parse back, through the real command, to the same options).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { CANCEL_REASONS, REFUND_MODES, type CancelOptions } from '../../../src/actions/cancel/action.js';
import type { RegisteredAction } from '../../../src/actions/definition.js';
import { DELIVERY_METHODS, type DeliveryMethod, type MarkOpenOptions } from '../../../src/actions/mark-open/action.js';
import type { CancelRequestOptions } from '../../../src/actions/cancel-request/action.js';
import type { RequestFulfillmentOptions } from '../../../src/actions/request-fulfillment/action.js';
import { ACTIONS, actionNamed } from '../../../src/actions/registry.js';
import { actionCommand } from '../../../src/commands/action/action-command.js';
import type { CommonFlags } from '../../../src/actions/common-flags.js';
import { UsageError } from '../../../src/errors.js';
import type { Connection } from '../../../src/config/credentials.js';
import { createTestContext } from '../../helpers/context.js';

const connection = { endpoint: { url: 'http://127.0.0.1:1' }, accessToken: 'shpat_test', apiVersion: '2026-10' } as unknown as Connection;

const handle = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/);
const services = fc.uniqueArray(handle, { minLength: 1, maxLength: 4 });
// An empty message is no message: flagsFor leaves it out, and a missing --message is null.
const message = fc.option(fc.string({ minLength: 1, maxLength: 40 }), { nil: null });

const ARBITRARY_OPTIONS: Record<string, fc.Arbitrary<unknown>> = {
  cancel: fc.record({
    reason: fc.constantFrom(...CANCEL_REASONS),
    refund: fc.constantFrom(...REFUND_MODES),
    restock: fc.boolean(),
    notify: fc.boolean(),
    staffNote: fc.option(fc.string({ minLength: 1, maxLength: 255 }), { nil: null }),
    allowPartiallyRefunded: fc.boolean(),
    apiVersion: fc.constant(connection.apiVersion),
  }) satisfies fc.Arbitrary<CancelOptions>,
  'mark-open': fc.record({
    methods: fc.option(fc.uniqueArray(fc.constantFrom(...(Object.keys(DELIVERY_METHODS) as DeliveryMethod[])), { minLength: 1 }), { nil: null }),
    includeScheduled: fc.boolean(),
  }) satisfies fc.Arbitrary<MarkOpenOptions>,
  'request-fulfillment': fc.record({ services, message, notify: fc.boolean() }) satisfies fc.Arbitrary<RequestFulfillmentOptions>,
  'cancel-request': fc.record({ services, message }) satisfies fc.Arbitrary<CancelRequestOptions>,
};

/** The options the action's own command makes of `flags`, as a retry would be given them. */
function optionsFromFlags(spec: RegisteredAction, flags: string[]): unknown {
  const command = actionCommand(createTestContext(), spec);
  command.exitOverride();
  const { operands, unknown } = command.parseOptions(flags);
  expect({ operands, unknown }).toEqual({ operands: [], unknown: [] });
  const given = command.opts<CommonFlags>();
  expect(spec.missingFlags(given)).toEqual([]);
  return spec.options(given, connection);
}

describe('every action is registered once, with its options schema', () => {
  it('lists each action by its own name', () => {
    expect(ACTIONS.map((spec) => spec.action.name)).toEqual(['mark-open', 'cancel', 'request-fulfillment', 'cancel-request']);
    expect(Object.keys(ARBITRARY_OPTIONS).sort()).toEqual(ACTIONS.map((spec) => spec.action.name).sort());
  });
});

describe.each(ACTIONS.map((spec) => [spec.action.name, spec] as const))('%s options', (name, spec) => {
  it('restore(record(options)) gives the options back, through the journal’s JSON', () => {
    fc.assert(
      fc.property(ARBITRARY_OPTIONS[name]!, (options) => {
        const recorded = JSON.parse(JSON.stringify(spec.record(options))) as unknown;
        // The journal also keeps the run's dryRun and limit beside the action's options.
        expect(spec.restore({ ...(recorded as object), dryRun: false, limit: null }, connection)).toEqual(options);
      }),
      { numRuns: 100 },
    );
  });

  it('the flags flagsFor prints parse back to the same options', () => {
    fc.assert(
      fc.property(ARBITRARY_OPTIONS[name]!, (options) => {
        expect(optionsFromFlags(spec, spec.flagsFor(options))).toEqual(options);
      }),
      { numRuns: 50 },
    );
  });

  it('refuses recorded options that are not its own', () => {
    expect(() => spec.restore({}, connection)).toThrow(UsageError);
    expect(() => spec.restore(null, connection)).toThrow(UsageError);
  });
});

describe('the journal keeps the options as before', () => {
  it('records cancel’s options without the API version', () => {
    const options: CancelOptions = {
      reason: 'fraud',
      refund: 'store-credit',
      restock: false,
      notify: true,
      staffNote: 'n',
      allowPartiallyRefunded: false,
      apiVersion: '2026-07',
    };
    expect(JSON.stringify(actionNamed('cancel').record(options))).toBe(
      '{"reason":"fraud","refund":"store-credit","restock":false,"notify":true,"staffNote":"n","allowPartiallyRefunded":false}',
    );
    expect(actionNamed('cancel').restore(JSON.parse(JSON.stringify(actionNamed('cancel').record(options))), connection)).toEqual({
      ...options,
      apiVersion: '2026-10', // a resumed run's connection (the journal header) says which
    });
  });

  it('records the fulfillment-order actions’ options as they are', () => {
    expect(JSON.stringify(actionNamed('mark-open').record({ methods: ['shipping', 'pick-up'], includeScheduled: true }))).toBe(
      '{"methods":["shipping","pick-up"],"includeScheduled":true}',
    );
    expect(JSON.stringify(actionNamed('request-fulfillment').record({ services: ['acme'], message: null, notify: false }))).toBe(
      '{"services":["acme"],"message":null,"notify":false}',
    );
    expect(JSON.stringify(actionNamed('cancel-request').record({ services: ['acme', 'beta'], message: 'hi' }))).toBe(
      '{"services":["acme","beta"],"message":"hi"}',
    );
  });

  it('says which recorded option is wrong', () => {
    expect(() =>
      actionNamed('cancel').restore(
        { reason: 'bored', refund: 'now', restock: true, notify: false, staffNote: null, allowPartiallyRefunded: false },
        connection,
      ),
    ).toThrow(/recorded options cannot be resumed \(reason: /);
    expect(() => actionNamed('mark-open').restore({ methods: ['teleport'], includeScheduled: false }, connection)).toThrow(/methods\.0: /);
  });
});
