// Bad flags through the real program (main() with the real commands): every one exits 2 with a message
// on stderr naming the flag, and nothing connects to the store. The store is a loopback port with a
// server that only counts connections; the token is set, so a flag check that let a run through would
// reach it (and the test would see the connection, or time out on the run's retries).

import { createServer, type Server } from 'node:net';

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CANCEL_REASONS, REFUND_MODES } from '../../../src/actions/cancel/action.js';
import { duration } from '../../../src/util/duration.js';
import { integer } from '../../../src/util/option-parsers.js';
import { main } from '../../../src/cli.js';
import { createTestContext } from '../../helpers/context.js';

/** Case counts per property; the report in the PR quotes them. */
export const RUNS = { durations: 500, limits: 300, enums: 200 } as const;

let server: Server;
let store: string;
let connections = 0;

beforeAll(async () => {
  server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  store = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

interface Outcome {
  code: number;
  stderr: string;
  stdout: string;
}

/** Runs bulkfill with the store and token in place; fails if the run neither ends nor stays offline. */
async function run(argv: string[]): Promise<Outcome> {
  const ctx = createTestContext({ env: { SHOPIFY_ACCESS_TOKEN: 'shpat_test' } });
  const before = connections;
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([
    main([argv[0] ?? '', '--store', store, ...argv.slice(1)], ctx),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`bulkfill ${argv.join(' ')} did not stop at the flag check`)), 2_000);
    }),
  ]).finally(() => clearTimeout(timer));
  // Let a connection attempt, if any was started, reach the server.
  await new Promise((resolve) => setImmediate(resolve));
  expect(connections - before, `bulkfill ${argv.join(' ')} connected to the store`).toBe(0);
  return { code, stderr: ctx.stderrText(), stdout: ctx.stdoutText() };
}

const CANCEL = ['cancel', '1001', '--reason', 'fraud', '--refund', 'now', '--restock'];

describe('bad flags: exit 2, a message, no connection', () => {
  it.each<[string, string[], RegExp]>([
    [
      'an unknown --reason',
      ['cancel', '1001', '--reason', 'bogus'],
      /option '--reason <reason>' argument 'bogus' is invalid\. Allowed choices are customer, /,
    ],
    ['an unknown --refund', ['cancel', '1001', '--refund', 'all'], /option '--refund <mode>' argument 'all' is invalid/],
    [
      'an unsupported --api-version',
      ['cancel', '1001', '--api-version', '2020-01'],
      /argument '2020-01' is invalid\. Allowed choices are 2026-07, 2026-10/,
    ],
    [
      '--older-than without a unit',
      ['cancel', '1001', '--older-than', '48'],
      /'--older-than <duration>' argument '48' is invalid\. Expected a duration like 30m/,
    ],
    ['--older-than 0m', ['cancel', '1001', '--older-than', '0m'], /Expected a duration greater than zero/],
    ['--older-than past any date', [...CANCEL, '--older-than', '14800000w', '--dry-run'], /Expected a duration of at most 100 years/],
    ['--older-than with 20 digits', [...CANCEL, '--older-than', '99999999999999999999d', '--dry-run'], /Expected a duration of at most 100 years/],
    ['--limit 0', ['cancel', '1001', '--limit', '0'], /'--limit <n>' argument '0' is invalid\. Expected an integer ≥ 1/],
    ['--limit -1', ['cancel', '1001', '--limit', '-1'], /'--limit <n>' argument '-1' is invalid/],
    ['--limit abc', ['cancel', '1001', '--limit', 'abc'], /'--limit <n>' argument 'abc' is invalid/],
    ['--limit 1.5', ['cancel', '1001', '--limit', '1.5'], /'--limit <n>' argument '1\.5' is invalid/],
    ['--limit 1e3', ['cancel', '1001', '--limit', '1e3'], /'--limit <n>' argument '1e3' is invalid/],
    ['--limit past 2^53', ['cancel', '1001', '--limit', '9007199254740993'], /'--limit <n>' argument '9007199254740993' is invalid/],
    ['--concurrency 0', ['cancel', '1001', '--concurrency', '0'], /Expected an integer from 1 to 256/],
    ['--concurrency 257', ['cancel', '1001', '--concurrency', '257'], /Expected an integer from 1 to 256/],
    ['--timeout 5', ['cancel', '1001', '--timeout', '5'], /Expected an integer ≥ 100/],
    ['--settle-deadline -1', ['cancel', '1001', '--settle-deadline=-1'], /Expected an integer ≥ 0/],
    ['--resume with --dry-run', ['cancel', '--resume', 'last', '--dry-run'], /--dry-run cannot be combined with --resume/],
    ['--resume off a terminal without --yes', ['cancel', '--resume', 'last'], /Missing --yes/],
    ['--quiet with --verbose', ['cancel', '1001', '--quiet', '--verbose'], /'-q, --quiet' cannot be used with option '--verbose'/],
    ['no orders at all', ['cancel', '--reason', 'fraud'], /No orders selected/],
    ['missing action flags off a terminal', ['cancel', '1001'], /Missing --reason, --refund, --restock or --no-restock, --yes/],
    ['a mutating run off a terminal without --yes', CANCEL, /Missing --yes/],
    ['--csv - with nothing piped, off a terminal, without --yes', ['cancel', '--csv', '-', '--reason', 'fraud'], /Missing --refund/],
    ['an unknown option', ['cancel', '1001', '--bogus'], /unknown option '--bogus'/],
    ['a missing option value', ['cancel', '1001', '--limit'], /option '--limit <n>' argument missing/],
    ['an unknown command', ['cancle', '1001'], /unknown command 'cancle'/],
  ])('%s', async (_, argv, message) => {
    const { code, stderr, stdout } = await run(argv);
    expect({ code, stderr }).toEqual({ code: 2, stderr: expect.stringMatching(message) });
    expect(stdout).toBe('');
  });
});

/** Text a user might type after a flag: near misses, numbers in every notation, and noise. */
const nearMissDuration = fc.oneof(
  fc
    .tuple(
      fc.oneof(
        fc.nat({ max: 100_000 }).map(String),
        fc.constantFrom('0', '-1', '1.5', '1e3', '007', '', ' 7', '99999999999999999999', '٣', '７', '0x10'),
      ),
      fc.constantFrom('m', 'h', 'd', 'w', 's', 'ms', 'y', 'M', 'D', 'H', 'min', 'days', ' d', 'd ', '', 'mm'),
    )
    .map(([n, unit]) => `${n}${unit}`),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
);

describe('fuzzed flag values', () => {
  it('--older-than: a valid duration gets as far as the next missing flag; anything else is refused by name', async () => {
    await fc.assert(
      fc.asyncProperty(nearMissDuration, async (value) => {
        let valid = true;
        try {
          duration(value);
        } catch {
          valid = false;
        }
        // No --reason: a run whose duration is valid stops at "Missing --reason", before connecting.
        const { code, stderr } = await run(['cancel', '1001', `--older-than=${value}`]);
        expect(code).toBe(2);
        expect(stderr).toMatch(
          valid ? /^error: Missing --reason/ : /^error: option '--older-than <duration>' argument '[\s\S]*' is invalid\. Expected a duration/,
        );
      }),
      { numRuns: RUNS.durations },
    );
  });

  it('--limit: only a whole number ≥ 1 passes', async () => {
    const value = fc.oneof(
      fc.integer({ min: -5, max: 5 }).map(String),
      fc.constantFrom('1.0', '+1', ' 1', '1 ', '0x1', '1_000', '١', 'Infinity', 'NaN', ''),
      fc.string({ maxLength: 8 }),
    );
    await fc.assert(
      fc.asyncProperty(value, async (limit) => {
        let valid = true;
        try {
          integer(1)(limit);
        } catch {
          valid = false;
        }
        const { code, stderr } = await run(['cancel', '1001', `--limit=${limit}`]);
        expect(code).toBe(2);
        expect(stderr).toMatch(
          valid ? /^error: Missing --reason/ : /^error: option '--limit <n>' argument '[\s\S]*' is invalid\. Expected an integer ≥ 1\./,
        );
      }),
      { numRuns: RUNS.limits },
    );
  });

  it('--reason and --refund: anything but a listed choice is refused, naming the choices', async () => {
    const value = fc.oneof(
      fc.constantFrom(...CANCEL_REASONS, ...REFUND_MODES),
      fc.constantFrom('FRAUD', 'Fraud', ' fraud', 'store_credit', 'none', ''),
      fc.string({ maxLength: 10 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('--reason', '--refund'), value, async (flag, choice) => {
        const choices: readonly string[] = flag === '--reason' ? CANCEL_REASONS : REFUND_MODES;
        const { code, stderr } = await run(['cancel', '1001', `${flag}=${choice}`]);
        expect(code).toBe(2);
        expect(stderr).toMatch(choices.includes(choice) ? /^error: Missing --/ : /argument '[\s\S]*' is invalid\. Allowed choices are /);
      }),
      { numRuns: RUNS.enums },
    );
  });
});

describe('duration() and integer()', () => {
  it('every accepted duration makes a created_at bound that can be written as a date', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 22n }), fc.constantFrom('m', 'h', 'd', 'w'), (n, unit) => {
        let ms: number;
        try {
          ms = duration(`${n}${unit}`);
        } catch (error) {
          expect((error as Error).message).toMatch(/^Expected a duration (greater than zero|of at most 100 years)/);
          return;
        }
        expect(ms).toBeGreaterThan(0);
        // select-orders.ts writes the bound as new Date(now - ms).toISOString(), which throws past ±8.64e15.
        expect(() => new Date(Date.now() - ms).toISOString()).not.toThrow();
      }),
      { numRuns: RUNS.durations },
    );
    expect(duration('36500d')).toBe(36_500 * 86_400_000);
    expect(() => duration('36501d')).toThrow(/at most 100 years/);
  });

  it('integer() never returns -0', () => {
    expect(Object.is(integer(0)('-0'), 0)).toBe(true);
  });
});
