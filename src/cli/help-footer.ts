// What every action command's --help ends with, and `bulkfill --help` too: the environment variables
// bulkfill reads and its exit codes (docs/shopify-behaviour.md#exit-codes). One list, so the two never disagree.

import { ExitCode } from '../errors.js';

export type HelpRow = readonly [string, string];

/** Where the directories are, when known (the root help has a Context; a command's help text does not). */
export interface HelpDirs {
  stateDir: string;
}

export const EXIT_CODES: readonly HelpRow[] = [
  [String(ExitCode.Ok), 'success: every order done, already done, or skipped'],
  [String(ExitCode.Unexpected), 'unexpected error (--verbose shows the stack trace)'],
  [String(ExitCode.Usage), 'usage or input error (bad flag, argument, file or config)'],
  [String(ExitCode.RunFailed), 'some orders failed or their outcome is unknown'],
  [String(ExitCode.Auth), 'authentication refused, an access scope missing, or the shop refuses API access (frozen, locked)'],
  [String(ExitCode.Sigint), 'interrupted (Ctrl-C)'],
  [String(ExitCode.Sigterm), 'terminated (SIGTERM)'],
];

export function environmentRows(dirs?: HelpDirs): HelpRow[] {
  return [
    ['SHOPIFY_STORE', 'the store, as --store: shop.myshopify.com or sandbox URL'],
    ['SHOPIFY_ACCESS_TOKEN', 'Admin API access token (never accepted as a flag value)'],
    ['SHOPIFY_API_VERSION', 'Admin API version, as --api-version'],
    ['BULKFILL_PROFILE', 'the profile of the config file to use, as --profile'],
    ['BULKFILL_STATE_DIR', `run journals and locks${dirs ? ` (now: ${dirs.stateDir})` : ''}`],
    ['NO_COLOR', 'any non-empty value turns colour off'],
    ['FORCE_COLOR', 'colour even when not a terminal: 1-3 = on, 0 = off'],
    ['CI', 'when set (not 0/false), bulkfill never prompts'],
  ];
}

/** The help text after an action command's own (and after its examples). */
export function actionHelpFooter(): string {
  return [
    section('Environment', environmentRows()),
    [
      'Store, token and API version each come from a flag, else the environment, else',
      "the profile (--profile, BULKFILL_PROFILE, or the config file's defaultProfile).",
      '`bulkfill --help` shows where the config file is.',
    ].join('\n'),
    section('Exit codes', EXIT_CODES),
  ].join('\n\n');
}

export function section(title: string, rows: readonly HelpRow[]): string {
  const width = Math.max(...rows.map(([left]) => left.length));
  return [`${title}:`, ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`)].join('\n');
}
