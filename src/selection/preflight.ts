// What can be checked about the selection flags before connecting to the store: the --query text, and
// the order references on the command line. A failure here is a UsageError (exit 2) and nothing has
// been sent anywhere. CSV rows are read later, as a stream (see sources.ts and strict.ts).

import { UsageError } from '../errors.js';
import { printable } from './order-ref.js';
import { argumentEvents, type SelectionProblem } from './sources.js';
import { selectionError, STRICT_HINT } from './strict.js';

/** Far longer than any hand-written search; longer text is almost certainly a pasted file. */
export const MAX_QUERY_LENGTH = 10_000;

/** The selection flags, as the action commands' CommonFlags hold them. */
export interface SelectionFlagValues {
  ids?: string[] | undefined;
  csv?: string | undefined;
  query?: string | undefined;
  olderThan?: number | undefined;
  strict?: boolean | undefined;
}

/**
 * Throws a UsageError when the --query text cannot be a search, when a command-line order reference
 * is bad under --strict, or when every one of them is bad and nothing else selects orders. Otherwise a
 * bad argument is left to be reported with the run, and the good ones go on.
 */
export function preflightSelection(flags: SelectionFlagValues, positional: readonly string[]): void {
  if (flags.query !== undefined) checkQueryText(flags.query);
  const problems: SelectionProblem[] = [];
  let refs = 0;
  for (const event of argumentEvents(positional, flags.ids ?? [])) {
    if (event.type === 'problem') problems.push(event.problem);
    else refs++;
  }
  if (problems.length === 0) return;
  if (flags.strict) throw selectionError(problems, STRICT_HINT);
  const otherSources = flags.csv !== undefined || flags.query !== undefined || flags.olderThan !== undefined;
  if (refs === 0 && !otherSources) throw selectionError(problems);
}

/**
 * The --query text is sent as it is, so refuse what cannot be meant: an empty search (often an unset
 * shell variable) would select every order in the store; control characters other than tab and line
 * breaks, and unpaired UTF-16 surrogates, cannot be a search; and a huge text is a mistake.
 */
export function checkQueryText(query: string): void {
  if (query.trim() === '') {
    throw new UsageError(
      '--query is empty: an empty search would select every order in the store.',
      'Pass a search, e.g. --query "financial_status:pending"; an unset shell variable gives an empty --query.',
    );
  }
  if (query.length > MAX_QUERY_LENGTH) {
    throw new UsageError(`--query is ${query.length} characters long; at most ${MAX_QUERY_LENGTH} are accepted.`);
  }
  // Control characters except tab, LF and CR; DEL and the C1 controls; a surrogate not in a pair.
  const bad = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.exec(query);
  if (bad) {
    const what = /[\uD800-\uDFFF]/.test(bad[0]) ? 'an unpaired UTF-16 surrogate (invalid Unicode)' : `a control character (${printable(bad[0])})`;
    throw new UsageError(`--query contains ${what} at position ${bad.index}.`, 'Write the search as plain text, e.g. --query "tag:vip".');
  }
}
