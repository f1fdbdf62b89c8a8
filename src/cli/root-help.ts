// The part of `bulkfill --help` commander does not generate: examples, environment, exit codes.

import type { Context } from '../context.js';
import { ExitCode } from '../errors.js';

const EXAMPLES = [
  ['See it work: a real bulk cancel against an embedded sandbox store', 'bulkfill demo'],
  ['Cancel two orders, refunding them and restocking', 'bulkfill cancel 1001 "#1002" --reason fraud --refund now --restock'],
  [
    'From cron: cancel unpaid orders older than two days, no refund now, no emails',
    'bulkfill cancel --query "financial_status:pending" --older-than 48h --reason declined --refund later --no-restock --yes',
  ],
  ['Carry on after Ctrl-C, a crash or kill -9', 'bulkfill cancel --resume last'],
  ['A local test store with 200 orders at http://127.0.0.1:8787', 'bulkfill sandbox'],
] as const;

const EXIT_CODES = [
  [ExitCode.Ok, 'success: every order done, already done, or skipped'],
  [ExitCode.Unexpected, 'unexpected error (--verbose shows the stack trace)'],
  [ExitCode.Usage, 'usage or input error (bad flag, argument or file)'],
  [ExitCode.RunFailed, 'some orders failed or their outcome is unknown'],
  [ExitCode.Auth, 'authentication refused or an access scope missing'],
  [ExitCode.Sigint, 'interrupted (Ctrl-C)'],
  [ExitCode.Sigterm, 'terminated (SIGTERM)'],
] as const;

export function rootHelpText(ctx: Context): string {
  const environment = [
    ['SHOPIFY_STORE', 'the store: shop.myshopify.com, or a loopback sandbox URL'],
    ['SHOPIFY_ACCESS_TOKEN', 'Admin API access token (never accepted as a flag value)'],
    ['BULKFILL_STATE_DIR', `run journals and locks (now: ${ctx.stateDir})`],
    ['NO_COLOR', 'any non-empty value turns colour off'],
    ['FORCE_COLOR', 'colour even when not a terminal: 1-3 = on, 0 = off'],
    ['CI', 'when set (not 0/false), bulkfill never prompts'],
  ] as const;
  return [
    ['Examples:', ...EXAMPLES.map(([what, command]) => `  # ${what}\n  $ ${command}`)].join('\n'),
    section('Environment', environment),
    section('Exit codes', EXIT_CODES.map(([code, meaning]) => [String(code), meaning])),
  ].join('\n\n');
}

function section(title: string, rows: ReadonlyArray<readonly [string, string]>): string {
  const width = Math.max(...rows.map(([left]) => left.length));
  return [`${title}:`, ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`)].join('\n');
}
