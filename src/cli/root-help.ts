// The part of `bulkfill --help` commander does not generate: examples, environment, exit codes.

import type { Context } from '../context.js';
import { configFilePath } from '../config/config-file.js';
import { environmentRows, EXIT_CODES, section } from './help-footer.js';

const EXAMPLES = [
  ['See it work: a real bulk cancel against an embedded sandbox store', 'bulkfill demo'],
  ['Cancel two orders, refunding them and restocking', 'bulkfill cancel 1001 "#1002" --reason fraud --refund now --restock'],
  [
    'From cron: cancel unpaid orders older than two days, no refund now, no emails',
    'bulkfill cancel --query "financial_status:pending" --older-than 48h --reason declined --refund later --no-restock --yes',
  ],
  [
    'Send the unfulfilled orders of a CSV to a fulfillment service, from a script',
    'cut -d, -f1 orders.csv | bulkfill request-fulfillment --csv - --service acme-3pl --yes --json',
  ],
  ['Stop a service working on two orders (withdraw, or request cancellation)', 'bulkfill cancel-request "#1001" "#1002" --service acme-3pl'],
  ['Put in-progress shipping orders back to unfulfilled', 'bulkfill mark-open --query "tag:wave-12" --method shipping'],
  ['Carry on after Ctrl-C, a crash or kill -9', 'bulkfill cancel --resume last'],
  ['What ran, and retry what failed', 'bulkfill runs show last'],
  ['A local test store with 200 orders at http://127.0.0.1:8787', 'bulkfill sandbox'],
] as const;

export function rootHelpText(ctx: Context): string {
  return [
    ['Examples:', ...EXAMPLES.map(([what, command]) => `  # ${what}\n  $ ${command}`)].join('\n'),
    section('Environment', environmentRows(ctx)),
    [
      'Configuration:',
      `  Profiles (store, token, API version): ${configFilePath(ctx.configDir)}`,
      "  Pick one with --profile <name>, BULKFILL_PROFILE, or the file's defaultProfile.",
      '  Flags win over the environment, which wins over the profile.',
      '  A config file holding a token must be private to you (chmod 600).',
    ].join('\n'),
    section('Exit codes', EXIT_CODES),
  ].join('\n\n');
}
